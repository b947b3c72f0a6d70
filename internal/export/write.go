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
// to a temporary file beside its target (a rename is atomic only within one file
// system); a target that exists (an own unchanged file, the .gitignore appended to)
// is kept as a backup first, and every target is checked to hold what the run
// read, so that nothing the user wrote meanwhile is replaced. The .gitignore goes
// into place before any other temporary file is written: its entry covers the
// secret values and their copies, which a run killed at any point must not leave
// for git status to offer. A failure while moving puts back every file already
// moved. It returns the names written.
func writeFiles(dir string, st *dirState, files []outputFile) ([]string, error) {
	if len(files) == 0 {
		return nil, nil
	}
	var first, rest []outputFile
	for _, f := range files {
		if f.Name == gitignoreFile {
			first = append(first, f)
		} else {
			rest = append(rest, f)
		}
	}
	w := &writer{dir: dir, st: st}
	for _, group := range [][]outputFile{first, rest} {
		if err := w.prepare(group); err != nil {
			return nil, w.rollBack(err)
		}
		if err := w.move(group); err != nil {
			return nil, w.rollBack(err)
		}
	}
	w.removeAll(w.backups)
	names := make([]string, 0, len(files))
	for _, f := range append(first, rest...) {
		names = append(names, f.Name)
	}
	return names, nil
}

// writer moves files into place, keeping what it needs to put them back.
type writer struct {
	dir string
	st  *dirState
	// temps and backups of the files prepared, by name ("" once moved, or when
	// the target did not exist); moved lists the files moved into place, in order.
	temps, backups map[string]string
	moved          []string
}

// prepare writes the temporary files of a group and keeps a backup of each target
// that exists, after checking it holds what the run read.
func (w *writer) prepare(files []outputFile) error {
	if w.temps == nil {
		w.temps, w.backups = map[string]string{}, map[string]string{}
	}
	for _, f := range files {
		tmp, err := writeTempFile(w.dir, "."+f.Name+".tmp-*", f.Content, f.Mode)
		w.temps[f.Name] = tmp
		if err != nil {
			return fmt.Errorf("writing %s: %w", f.Name, err)
		}
	}
	for _, f := range files {
		target := filepath.Join(w.dir, f.Name)
		current, err := os.ReadFile(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if w.st.exists[f.Name] {
				return fmt.Errorf("%s was removed while the export ran", f.Name)
			}
			continue
		case err != nil:
			return fmt.Errorf("reading %s: %w", f.Name, err)
		}
		if info, err := os.Lstat(target); err != nil || !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", f.Name)
		}
		if before, had := w.st.files[f.Name]; !had || !bytes.Equal(before, current) {
			return fmt.Errorf("%s changed while the export ran", f.Name)
		}
		info, err := os.Stat(target)
		if err != nil {
			return err
		}
		backup, err := writeTempFile(w.dir, "."+f.Name+".backup-*", current, info.Mode().Perm())
		w.backups[f.Name] = backup
		if err != nil {
			return fmt.Errorf("keeping a copy of %s: %w", f.Name, err)
		}
	}
	return nil
}

// move renames the temporary files of a group into place.
func (w *writer) move(files []outputFile) error {
	for _, f := range files {
		if err := renameFile(w.temps[f.Name], filepath.Join(w.dir, f.Name)); err != nil {
			return fmt.Errorf("moving %s into place: %w", f.Name, err)
		}
		w.temps[f.Name] = ""
		w.moved = append(w.moved, f.Name)
	}
	return nil
}

func (w *writer) removeAll(paths map[string]string) {
	for _, p := range paths {
		if p != "" {
			_ = os.Remove(p)
		}
	}
}

// rollBack undoes a failed write: the temporary files go first (they may hold
// secret values, which the .gitignore moved first covers), then each file moved
// gets its backup back, or is removed if it is new, the last moved first. It says
// which files it could not restore.
func (w *writer) rollBack(cause error) error {
	w.removeAll(w.temps)
	var left []string
	for i := len(w.moved) - 1; i >= 0; i-- {
		name := w.moved[i]
		target := filepath.Join(w.dir, name)
		var err error
		if backup := w.backups[name]; backup != "" {
			err = os.Rename(backup, target)
			w.backups[name] = ""
		} else {
			err = os.Remove(target)
		}
		if err != nil {
			left = append(left, fmt.Sprintf("%s (%s)", name, err))
		}
	}
	w.removeAll(w.backups)
	if len(left) > 0 {
		return fmt.Errorf("%w; the files already moved could not all be put back, these hold the export's "+
			"version: %s (the others are as they were)", cause, strings.Join(left, ", "))
	}
	if len(w.moved) > 0 {
		return fmt.Errorf("%w; every file already moved was put back: nothing was written", cause)
	}
	return fmt.Errorf("%w; nothing was written", cause)
}

// writeTempFile writes a temporary or backup copy; tests replace it to look at the
// directory at that moment.
var writeTempFile = writeTemp

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
