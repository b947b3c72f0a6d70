package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// lockFile is created exclusively by a run in its directory and removed at its
// end: two runs at once (two CI jobs exporting into one checkout) would each write
// files the other read before, and the second rename would replace the first's.
const lockFile = ".terraform-provider-openhexa-export.lock"

// lockDir takes the directory's lock, failing at once when another run holds it;
// the returned function releases it.
func lockDir(dir string) (func(), error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, heldLock(dir, path)
	}
	if err != nil {
		return nil, fmt.Errorf("creating the lock file %s: %w; nothing was written", path, err)
	}
	host, _ := os.Hostname()
	_, err = fmt.Fprintf(f, "pid %d on host %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("writing the lock file %s: %w; nothing was written", path, err)
	}
	return func() { _ = os.Remove(path) }, nil
}

// heldLock says who holds the lock and since when, so that a lock left by a killed
// run can be told from one of a run under way.
func heldLock(dir, path string) error {
	age, holder := "of unknown age", ""
	if info, err := os.Stat(path); err == nil {
		age = "created " + roundAge(time.Since(info.ModTime())) + " ago"
	}
	if src, err := os.ReadFile(path); err == nil {
		if line, _, _ := strings.Cut(string(src), "\n"); line != "" && len(line) < 200 {
			holder = " by " + line
		}
	}
	return fmt.Errorf("another export is under way in %s: it holds the lock file %s, %s%s. Two runs at once "+
		"would replace each other's files, so this one stops; nothing was written. If no export is running (one was "+
		"killed before it could remove the file), remove %s and run again", dir, lockFile, age, holder, path)
}

// roundAge writes a duration to the second under a minute, else to the minute.
func roundAge(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
}

// leftover matches the temporary and backup copies writeFiles makes of the files
// the export writes (writeTemp's patterns): a run killed while writing leaves them,
// some holding secret values.
var leftover = regexp.MustCompile(`^\.(.+\.tf|.+\.auto\.tfvars|\.gitignore)\.(tmp|backup)-[0-9]+$`)

// removeLeftovers removes the copies that earlier runs, killed while writing, left
// in dir (no run is under way: the caller holds the lock) and returns their names.
func removeLeftovers(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !leftover.MatchString(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return removed, fmt.Errorf("removing %s, left by an earlier run: %w", e.Name(), err)
		}
		removed = append(removed, e.Name())
	}
	return removed, nil
}
