package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// What the state manages is known by UUID, which no change in the web app moves:
// a connection whose UUID the state holds (in the root or any module, tainted and
// deposed objects too) is declared, whatever its slug and name have become. The
// state is read as the CLI reads it (`state pull`, which needs only the backend)
// or from a file; it holds every provider's secrets, so it is parsed in memory,
// only the fields below kept, and never logged or written.

// stateView is what the directory's state manages.
type stateView struct {
	// source says where the state came from, for the report.
	source string
	// byID maps each connection UUID (lower case) to the address holding it.
	byID map[string]string
	// addresses are the configuration addresses (module path without instance
	// keys, type.name) of every managed resource; modules every module path
	// holding one, with each of its parents.
	addresses map[string]bool
	modules   map[string]bool
}

// covers reports whether the state holds what an undetermined block may manage:
// then every connection it manages is known by UUID.
func (s *stateView) covers(u undeterminedBlock) bool {
	if u.uncoverable {
		return false
	}
	for _, a := range u.addresses {
		if !s.addresses[a] {
			return false
		}
	}
	for _, m := range u.modules {
		if !s.modules[m] {
			return false
		}
	}
	return true
}

// rawState is the part of a state (format version 4, as `state pull` writes it)
// that the export reads; json skips everything else, secrets included.
type rawState struct {
	Version       int             `json:"version"`
	EncryptedData json.RawMessage `json:"encrypted_data"`
	Resources     []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   json.RawMessage `json:"index_key"`
			Status     string          `json:"status"`
			Deposed    string          `json:"deposed"`
			Attributes struct {
				ID string `json:"id"`
			} `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// readState reads the directory's state: the file -state names, else, when the
// directory may have one, what `state pull` gives for the selected CLI workspace
// (or -cli-workspace's). A directory with neither backend block nor state file is
// a first export, which needs no CLI. A state that may exist but cannot be read
// stops the run, saying how to give it.
func readState(ctx context.Context, st *dirState, opts Options) (*stateView, error) {
	if opts.StateFile != "" {
		src, err := os.ReadFile(opts.StateFile)
		if err != nil {
			return nil, fmt.Errorf("-state: %w", err)
		}
		return parseState(src, fmt.Sprintf("the state file %s", opts.StateFile), "Give -state FILE the state as `tofu "+
			"state pull` (or `terraform state pull`) prints it, or leave -state out for the export to run it. Nothing "+
			"was written")
	}
	dataDir := opts.Getenv("TF_DATA_DIR")
	if dataDir == "" {
		dataDir = ".terraform"
	}
	if !filepath.IsAbs(dataDir) {
		dataDir = filepath.Join(opts.Dir, dataDir)
	}
	workspace, selected := opts.CLIWorkspace, "given by -cli-workspace"
	if workspace == "" {
		workspace, selected = selectedWorkspace(opts.Getenv, dataDir)
	}
	evidence := append([]string(nil), st.backends...)
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.d"} {
		if st.exists[name] {
			evidence = append(evidence, name)
		}
	}
	if _, err := os.Stat(filepath.Join(dataDir, "terraform.tfstate")); err == nil {
		evidence = append(evidence, "an initialised backend ("+filepath.Join(dataDir, "terraform.tfstate")+")")
	}
	if len(evidence) == 0 && opts.CLIWorkspace == "" {
		return &stateView{source: "none: no backend block, no state file (a first export)", byID: map[string]string{},
			addresses: map[string]bool{}, modules: map[string]bool{}}, nil
	}
	how := fmt.Sprintf("Run `tofu init` (or `terraform init`) in %s so that `state pull` reaches the backend with its "+
		"credentials, or give the state with -state FILE (what `state pull` prints where the backend is reachable, "+
		"decrypted), or name the CLI with -cli. Nothing was written", opts.Dir)
	cli, err := findCLI(opts.CLI)
	if err != nil {
		return nil, fmt.Errorf("the directory may have a state (%s), which says what it manages by UUID, but %v. %s",
			strings.Join(evidence, ", "), err, how)
	}
	cmd := exec.CommandContext(ctx, cli, "state", "pull")
	cmd.Dir = opts.Dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_INPUT=0", "TF_IN_AUTOMATION=1")
	if opts.CLIWorkspace != "" {
		cmd.Env = append(cmd.Env, "TF_WORKSPACE="+opts.CLIWorkspace)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	pull := fmt.Sprintf("`%s state pull`", filepath.Base(cli))
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("the directory may have a state (%s), which says what it manages by UUID, but %s (%s, "+
			"CLI workspace %q) could not read it (%v):\n%s\n%s", strings.Join(evidence, ", "), pull, cli, workspace, err,
			cliMessage(stderr.Bytes()), how)
	}
	return parseState(stdout.Bytes(), fmt.Sprintf("%s (%s) of CLI workspace %q (%s)", pull, cli, workspace, selected), how)
}

// selectedWorkspace is the CLI workspace `state pull` reads, found as the CLIs find
// it: TF_WORKSPACE, else the data directory's environment file, else "default".
func selectedWorkspace(getenv func(string) string, dataDir string) (name, how string) {
	if ws := getenv("TF_WORKSPACE"); ws != "" {
		return ws, "selected by TF_WORKSPACE; -cli-workspace for another"
	}
	if src, err := os.ReadFile(filepath.Join(dataDir, "environment")); err == nil && strings.TrimSpace(string(src)) != "" {
		return strings.TrimSpace(string(src)), "the selected one; -cli-workspace for another"
	}
	return "default", "the selected one; -cli-workspace for another"
}

// findCLI resolves -cli, else finds tofu, else terraform, on PATH.
func findCLI(named string) (string, error) {
	if named != "" {
		if strings.ContainsRune(named, filepath.Separator) {
			if info, err := os.Stat(named); err != nil || info.IsDir() {
				return "", fmt.Errorf("-cli %s is not a file", named)
			}
			// The CLI runs in the directory exported into: a relative path is taken from here.
			return filepath.Abs(named)
		}
		path, err := exec.LookPath(named)
		if err != nil {
			return "", fmt.Errorf("-cli %s is not on PATH", named)
		}
		return path, nil
	}
	for _, name := range []string{"tofu", "terraform"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("neither tofu nor terraform is on PATH to read it")
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// cliMessage is what a CLI printed on standard error, without colours, its last
// lines when long. The CLI prints no state there.
func cliMessage(stderr []byte) string {
	lines := strings.Split(strings.TrimSpace(ansiEscape.ReplaceAllString(string(stderr), "")), "\n")
	if len(lines) > 20 {
		lines = append([]string{"…"}, lines[len(lines)-20:]...)
	}
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// parseState reads the UUIDs of the connections a state holds. Its errors never
// quote the state.
func parseState(src []byte, source, how string) (*stateView, error) {
	view := &stateView{source: source, byID: map[string]string{}, addresses: map[string]bool{}, modules: map[string]bool{}}
	if len(bytes.TrimSpace(src)) == 0 {
		view.source += ": no state yet"
		return view, nil
	}
	var raw rawState
	if err := json.Unmarshal(src, &raw); err != nil {
		var syntax *json.SyntaxError
		at := ""
		if errors.As(err, &syntax) {
			at = fmt.Sprintf(" (at byte %d)", syntax.Offset)
		}
		return nil, fmt.Errorf("%s is not a state the export can read: not JSON%s. %s", source, at, how)
	}
	switch {
	case len(raw.EncryptedData) > 0:
		return nil, fmt.Errorf("%s is encrypted (OpenTofu state encryption), so what it manages cannot be read. "+
			"Let the export run `tofu state pull` in the directory with the encryption keys configured, or give the "+
			"decrypted state. %s", source, how)
	case raw.Version != 4:
		return nil, fmt.Errorf("%s has the format version %d; the export reads version 4 (Terraform 0.12 and later, "+
			"OpenTofu). %s", source, raw.Version, how)
	}
	for _, r := range raw.Resources {
		if r.Mode != "managed" {
			continue
		}
		modulePath := stripInstanceKeys(r.Module)
		view.addresses[joinAddress(modulePath, r.Type+"."+r.Name)] = true
		for p := modulePath; p != ""; {
			view.modules[p] = true
			i := strings.LastIndex(p, ".module.")
			if i < 0 {
				break
			}
			p = p[:i]
		}
		if !connectionType.MatchString(r.Type) {
			continue
		}
		for _, inst := range r.Instances {
			if inst.Attributes.ID == "" {
				continue
			}
			address := joinAddress(r.Module, r.Type+"."+r.Name) + indexKey(inst.IndexKey)
			switch {
			case inst.Deposed != "":
				address += ", a deposed object"
			case inst.Status == "tainted":
				address += ", tainted"
			}
			view.byID[strings.ToLower(inst.Attributes.ID)] = address
		}
	}
	n := len(view.byID)
	view.source += fmt.Sprintf(": %d %s managed", n, plural(n, "connection"))
	return view, nil
}

// indexKey writes an instance key as an address does: [0], ["key"].
func indexKey(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return "[" + string(raw) + "]"
}

// stripInstanceKeys removes the instance keys of a module path
// (module.a["x"].module.b[0] → module.a.module.b).
func stripInstanceKeys(modulePath string) string {
	if modulePath == "" {
		return ""
	}
	address, ok := configAddress(modulePath + ".t.n")
	if !ok {
		return modulePath
	}
	return strings.TrimSuffix(address, ".t.n")
}
