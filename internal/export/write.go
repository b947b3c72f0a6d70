package export

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// renameFile moves a file into place; tests replace it to fail in the middle of a
// run.
var renameFile = os.Rename

// writeFiles moves every file of the run into dir, or none. Each is first written
// to a temporary file beside its target; a target that exists (an own unchanged
// file, the .gitignore appended to) is kept as a backup first, and every target is
// checked to hold what the run read, so that nothing the user wrote meanwhile is
// replaced. A failure while moving puts back every file already moved. It returns
// the names written.
func writeFiles(dir string, st *dirState, files []outputFile) ([]string, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w; nothing was written", dir, err)
	}
	var temps, backups []string
	removeAll := func(paths []string) {
		for _, p := range paths {
			if p != "" {
				_ = os.Remove(p)
			}
		}
	}
	fail := func(err error) ([]string, error) {
		removeAll(temps)
		removeAll(backups)
		return nil, fmt.Errorf("%w; nothing was written", err)
	}
	for _, f := range files {
		tmp, err := writeTemp(dir, "."+f.Name+".tmp-*", f.Content, f.Mode)
		temps = append(temps, tmp)
		if err != nil {
			return fail(fmt.Errorf("writing %s: %w", f.Name, err))
		}
	}
	for _, f := range files {
		target := filepath.Join(dir, f.Name)
		current, err := os.ReadFile(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if st.exists[f.Name] {
				return fail(fmt.Errorf("%s was removed while the export ran", f.Name))
			}
			backups = append(backups, "")
			continue
		case err != nil:
			return fail(fmt.Errorf("reading %s: %w", f.Name, err))
		}
		if info, err := os.Lstat(target); err != nil || !info.Mode().IsRegular() {
			return fail(fmt.Errorf("%s is not a regular file", f.Name))
		}
		if before, had := st.files[f.Name]; !had || !bytes.Equal(before, current) {
			return fail(fmt.Errorf("%s changed while the export ran", f.Name))
		}
		info, err := os.Stat(target)
		if err != nil {
			return fail(err)
		}
		backup, err := writeTemp(dir, "."+f.Name+".backup-*", current, info.Mode().Perm())
		backups = append(backups, backup)
		if err != nil {
			return fail(fmt.Errorf("keeping a copy of %s: %w", f.Name, err))
		}
	}
	for i, f := range files {
		if err := renameFile(temps[i], filepath.Join(dir, f.Name)); err != nil {
			return rollBack(dir, files[:i], backups, temps, fmt.Errorf("moving %s into place: %w", f.Name, err))
		}
		temps[i] = ""
	}
	removeAll(backups)
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, f.Name)
	}
	return names, nil
}

// rollBack undoes the moves already made: a file that existed gets its backup back,
// a new one is removed. It says which files it could not restore.
func rollBack(dir string, moved []outputFile, backups, temps []string, cause error) ([]string, error) {
	var left []string
	for i := len(moved) - 1; i >= 0; i-- {
		target := filepath.Join(dir, moved[i].Name)
		var err error
		if backups[i] != "" {
			err = os.Rename(backups[i], target)
			backups[i] = ""
		} else {
			err = os.Remove(target)
		}
		if err != nil {
			left = append(left, fmt.Sprintf("%s (%s)", moved[i].Name, err))
		}
	}
	for _, p := range append(temps, backups...) {
		if p != "" {
			_ = os.Remove(p)
		}
	}
	if len(left) > 0 {
		return nil, fmt.Errorf("%w; the files already moved could not all be put back, these hold the export's "+
			"version: %s (the others are as they were)", cause, strings.Join(left, ", "))
	}
	return nil, fmt.Errorf("%w; every file already moved was put back: nothing was written", cause)
}

// writeTemp writes content to a new temporary file in dir, with its mode.
func writeTemp(dir, pattern string, content []byte, mode os.FileMode) (string, error) {
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(content)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	return tmp.Name(), err
}

// readFileIfAny reads a file, nil when it does not exist.
func readFileIfAny(name string) ([]byte, error) {
	src, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return src, err
}
