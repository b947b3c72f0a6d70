package export

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// writeFiles writes the export into opts.Dir: the rendered files, providers.tf
// unless the directory already requires the openhexa provider, and a .gitignore
// entry for secrets.auto.tfvars. Every file is first written to a temporary file
// beside it and renamed into place only once all of them are written, so a failure
// leaves no partial file. Files of the directory the export does not write are
// never touched (a .gitignore that lacks the entry gets it appended).
func writeFiles(opts Options, files []outputFile) ([]string, error) {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", opts.Dir, err)
	}
	replaced := map[string]bool{}
	for _, f := range files {
		replaced[f.Name] = true
	}
	declared, err := requiresOpenHEXA(opts.Dir, replaced)
	if err != nil {
		return nil, err
	}
	if !declared {
		files = append(files, outputFile{Name: providersFile, Content: renderProviders(opts), Mode: 0o644})
	}
	if replaced[secretsFile] {
		content, needed, err := gitignoreWithSecrets(opts.Dir)
		if err != nil {
			return nil, err
		}
		if needed {
			files = append(files, outputFile{Name: gitignoreFile, Content: content, Mode: 0o644})
		}
	}

	temps := make([]string, 0, len(files))
	cleanup := func() {
		for _, t := range temps {
			_ = os.Remove(t)
		}
	}
	for _, f := range files {
		tmp, err := writeTemp(opts.Dir, f)
		if tmp != "" {
			temps = append(temps, tmp)
		}
		if err != nil {
			cleanup()
			return nil, err
		}
	}
	names := make([]string, 0, len(files))
	for i, f := range files {
		if err := os.Rename(temps[i], filepath.Join(opts.Dir, f.Name)); err != nil {
			cleanup()
			return nil, fmt.Errorf("moving %s into place: %w", f.Name, err)
		}
		names = append(names, f.Name)
	}
	return names, nil
}

// writeTemp writes a file's content to a new temporary file in dir, with its mode.
func writeTemp(dir string, f outputFile) (string, error) {
	tmp, err := os.CreateTemp(dir, "."+f.Name+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", f.Name, err)
	}
	_, err = tmp.Write(f.Content)
	if err == nil {
		err = tmp.Chmod(f.Mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return tmp.Name(), fmt.Errorf("writing %s: %w", f.Name, err)
	}
	return tmp.Name(), nil
}

// requiresOpenHEXA reports whether a configuration file of dir that the export
// does not replace already lists the openhexa provider in required_providers.
func requiresOpenHEXA(dir string, replaced map[string]bool) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || replaced[name] {
			continue
		}
		switch {
		case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tofu"):
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return false, fmt.Errorf("reading %s: %w", name, err)
			}
			if hclRequiresOpenHEXA(name, src) {
				return true, nil
			}
		case strings.HasSuffix(name, ".tf.json"), strings.HasSuffix(name, ".tofu.json"):
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return false, fmt.Errorf("reading %s: %w", name, err)
			}
			if bytes.Contains(src, []byte(`"required_providers"`)) && bytes.Contains(src, []byte(`"openhexa"`)) {
				return true, nil
			}
		}
	}
	return false, nil
}

// hclRequiresOpenHEXA looks for terraform { required_providers { openhexa = … } }.
// A file that does not parse is judged by its text.
func hclRequiresOpenHEXA(name string, src []byte) bool {
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return bytes.Contains(src, []byte("required_providers")) && bytes.Contains(src, []byte("openhexa"))
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return false
	}
	for _, tf := range body.Blocks {
		if tf.Type != "terraform" {
			continue
		}
		for _, rp := range tf.Body.Blocks {
			if rp.Type == "required_providers" {
				if _, ok := rp.Body.Attributes["openhexa"]; ok {
					return true
				}
			}
		}
	}
	return false
}

// gitignoreWithSecrets returns the .gitignore of dir with an entry that keeps
// secrets.auto.tfvars out of git, and whether it must be written (false when an
// existing entry already covers the file).
func gitignoreWithSecrets(dir string) ([]byte, bool, error) {
	existing, err := os.ReadFile(filepath.Join(dir, gitignoreFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("reading %s: %w", gitignoreFile, err)
	}
	for _, line := range strings.Split(string(existing), "\n") {
		pattern := strings.TrimPrefix(strings.TrimSpace(line), "/")
		if pattern == "" || strings.HasPrefix(pattern, "#") || strings.HasPrefix(pattern, "!") {
			continue
		}
		if ok, _ := path.Match(pattern, secretsFile); ok {
			return nil, false, nil
		}
	}
	content := existing
	if len(content) > 0 && !bytes.HasSuffix(content, []byte("\n")) {
		content = append(content, '\n')
	}
	content = append(content, []byte("# Secret values written by terraform-provider-openhexa export.\n/"+secretsFile+"\n")...)
	return content, true, nil
}
