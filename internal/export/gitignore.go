package export

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Whether git ignores the secret values is git's to say: `git check-ignore` knows
// negations, nested .gitignore files, .git/info/exclude and core.excludesFile.
// Without git, or outside a work tree, the directory's .gitignore is read with
// git's rules for a file in that directory (the last matching pattern wins).

// inWorkTree finds where to ask git about name in dir: the nearest directory that
// exists (the run may be about to create dir), with name relative to it; ok is
// false when git is missing or that directory is not in a work tree.
func inWorkTree(ctx context.Context, dir, name string) (gitDir, rel string, ok bool) {
	if _, err := exec.LookPath("git"); err != nil {
		return "", "", false
	}
	abs, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		return "", "", false
	}
	gitDir = filepath.Dir(abs)
	for {
		if info, err := os.Stat(gitDir); err == nil && info.IsDir() {
			break
		}
		parent := filepath.Dir(gitDir)
		if parent == gitDir {
			return "", "", false
		}
		gitDir = parent
	}
	if rel, err = filepath.Rel(gitDir, abs); err != nil {
		return "", "", false
	}
	out, err := exec.CommandContext(ctx, "git", "-C", gitDir, "rev-parse", "--is-inside-work-tree").Output()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return "", "", false
	}
	return gitDir, rel, true
}

// gitIgnores reports whether git ignores name in dir, and whether git could tell
// (false when git is missing or dir is not in a work tree).
func gitIgnores(dir, name string) (ignored, known bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	gitDir, rel, ok := inWorkTree(ctx, dir, name)
	if !ok {
		return false, false
	}
	// --no-index: judge by the ignore rules even if the file were tracked.
	err := exec.CommandContext(ctx, "git", "-C", gitDir, "check-ignore", "-q", "--no-index", "--", rel).Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, true
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return false, true
	}
	return false, false
}

// gitTracks reports whether git tracks name in dir (whether or not the file
// exists): ignore rules do not apply to a tracked file, so secret values written
// into it would be in the next commit.
func gitTracks(dir, name string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	gitDir, rel, ok := inWorkTree(ctx, dir, name)
	if !ok {
		return false
	}
	out, err := exec.CommandContext(ctx, "git", "-C", gitDir, "ls-files", "--cached", "-z", "--", rel).Output()
	return err == nil && len(out) > 0
}

// gitignoreFor returns the lines to append to the directory's .gitignore so that
// git ignores the secrets file name and the temporary and backup copies the write
// makes of it (writeTemp's patterns), nil when it ignores them already; and what the
// .gitignore holds. The only change it makes to an existing .gitignore is lines
// appended at its end, which win over every earlier pattern of that file.
func gitignoreFor(dir string, st *dirState, name string) (lines []string, before []byte) {
	existing, had := st.files[gitignoreFile]
	if st.exists[gitignoreFile] && !had {
		return nil, nil // a symbolic link or a directory: not the export's to change; the summary warns
	}
	ignores := func(file string) bool {
		ignored, known := gitIgnores(dir, file)
		if !known {
			ignored = ignoredByFile(existing, file)
		}
		return ignored
	}
	if !ignores(name) {
		lines = append(lines, "/"+name)
	}
	if !ignores("."+name+".tmp-0") || !ignores("."+name+".backup-0") {
		lines = append(lines, "/."+name+".*")
	}
	if lines == nil {
		return nil, nil
	}
	return append([]string{"# Secret values written by terraform-provider-openhexa export, and the copies it makes while writing."},
		lines...), existing
}

// describeIgnored says, after the files are in place, whether the secrets file
// is kept out of git, never claiming more than git (or the .gitignore) says.
func describeIgnored(dir, name string) string {
	ignored, known := gitIgnores(dir, name)
	switch {
	case known && ignored:
		return "git ignores it (git check-ignore)"
	case known:
		return "WARNING: git does NOT ignore it (git check-ignore): add it to .gitignore before committing"
	}
	src, _ := readFileIfAny(filepath.Join(dir, gitignoreFile))
	if ignoredByFile(src, name) {
		return "not in a git work tree (or git not found); the directory's .gitignore lists it"
	}
	return "WARNING: not in a git work tree (or git not found), and the directory's .gitignore does not list it"
}

// ignoredByFile applies a .gitignore's patterns to a file of its own directory:
// the last pattern that matches decides, a "!" pattern un-ignores.
func ignoredByFile(src []byte, name string) bool {
	ignored := false
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasSuffix(line, "\\ ") {
			line = strings.TrimSuffix(line, "\\ ") + " "
		} else {
			line = strings.TrimRight(line, " ")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		negate := strings.HasPrefix(line, "!")
		pattern := strings.TrimPrefix(line, "!")
		pattern = strings.TrimPrefix(pattern, `\`)
		if strings.HasSuffix(pattern, "/") {
			continue // directories only
		}
		pattern = strings.TrimPrefix(pattern, "/")
		pattern = strings.TrimPrefix(pattern, "**/")
		if strings.Contains(pattern, "/") {
			continue // a path below the directory
		}
		if ok, _ := path.Match(pattern, name); ok {
			ignored = !negate
		}
	}
	return ignored
}
