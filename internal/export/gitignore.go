package export

import (
	"bytes"
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

// gitIgnores reports whether git ignores name in dir, and whether git could tell
// (false when git is missing or dir is not in a work tree).
func gitIgnores(dir, name string) (ignored, known bool) {
	if _, err := exec.LookPath("git"); err != nil {
		return false, false
	}
	// A directory the run is about to create: ask from the nearest one that exists.
	abs, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		return false, false
	}
	dir = filepath.Dir(abs)
	for {
		if info, err := os.Stat(dir); err == nil && info.IsDir() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false, false
		}
		dir = parent
	}
	if name, err = filepath.Rel(dir, abs); err != nil {
		return false, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--is-inside-work-tree").Output()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return false, false
	}
	// --no-index: judge by the ignore rules even if the file were tracked.
	err = exec.CommandContext(ctx, "git", "-C", dir, "check-ignore", "-q", "--no-index", "--", name).Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, true
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return false, true
	}
	return false, false
}

// gitignoreFor returns the .gitignore to write so that git ignores the secrets
// file name, or nil when it is ignored already. The only change it makes to an
// existing .gitignore is lines appended at its end, which win over every earlier
// pattern of that file.
func gitignoreFor(dir string, st *dirState, name string) *outputFile {
	existing, had := st.files[gitignoreFile]
	if st.exists[gitignoreFile] && !had {
		return nil // a symbolic link or a directory: not the export's to change; the summary warns
	}
	ignored, known := gitIgnores(dir, name)
	if !known {
		ignored = ignoredByFile(existing, name)
	}
	if ignored {
		return nil
	}
	content := append([]byte(nil), existing...)
	if had && len(content) > 0 && !bytes.HasSuffix(content, []byte("\n")) {
		content = append(content, '\n')
	}
	content = append(content, []byte("# Secret values written by terraform-provider-openhexa export.\n/"+name+"\n")...)
	return &outputFile{Name: gitignoreFile, Content: content, Mode: 0o644}
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
