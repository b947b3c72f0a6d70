package workflows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type step struct {
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	Run  string            `yaml:"run"`
}

type workflow struct {
	// Event → its filters (nil for an event without any, such as `pull_request:`).
	On map[string]*struct {
		Branches []string `yaml:"branches"`
		Tags     []string `yaml:"tags"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]struct {
		Steps []step `yaml:"steps"`
	} `yaml:"jobs"`
}

func root() string { return filepath.Join("..", "..") }

// load parses .github/workflows/<name>.
func load(t *testing.T, name string) workflow {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(root(), ".github", "workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(content, &wf); err != nil {
		t.Fatalf("%s is not valid YAML: %v", name, err)
	}
	return wf
}

// runs reports whether some step of the workflow runs exactly command.
func runs(wf workflow, command string) bool {
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if strings.TrimSpace(s.Run) == command {
				return true
			}
		}
	}
	return false
}

// TestPullRequestTests: the test workflow runs on pull requests and on main, with read-only
// permissions, and runs the README's test command (`make test`, the OpenTofu leg), the
// Terraform leg and the checks .ci/run makes, with the PostgreSQL and signing tests
// required rather than skipped.
func TestPullRequestTests(t *testing.T) {
	wf := load(t, "test.yml")
	_, pullRequest := wf.On["pull_request"]
	if push := wf.On["push"]; !pullRequest || push == nil || !slices.Equal(push.Branches, []string{"main"}) || len(wf.On) != 2 {
		t.Errorf("test.yml must run on pull requests and on pushes to main: %v", wf.On)
	}
	if len(wf.Permissions) != 1 || wf.Permissions["contents"] != "read" {
		t.Errorf("test.yml permissions %v, want contents: read only", wf.Permissions)
	}
	for _, command := range []string{"make test", "make testacc-terraform", "make docs-check", "make check-examples",
		"make release-check", "make lint"} {
		if !runs(wf, command) {
			t.Errorf("no step of test.yml runs %q", command)
		}
	}
	for _, required := range []string{"OPENHEXA_REQUIRE_POSTGRES", "OPENHEXA_REQUIRE_GPG"} {
		if wf.Env[required] != "1" {
			t.Errorf("test.yml: %s = %q, want 1", required, wf.Env[required])
		}
	}
	for name, job := range wf.Jobs {
		var setupGo bool
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "actions/setup-go@") {
				setupGo = s.With["go-version-file"] == "go.mod"
			}
		}
		if !setupGo {
			t.Errorf("job %s: no actions/setup-go with go-version-file: go.mod", name)
		}
	}
}

// TestReleaseOnTag: the release workflow runs on v* tags only, may write contents (the
// GitHub release), imports the signing key from the repository's secrets, and runs the
// goreleaser GNUmakefile pins, with the key's fingerprint as GPG_FINGERPRINT (which
// .goreleaser.yml's signs section uses).
func TestReleaseOnTag(t *testing.T) {
	wf := load(t, "release.yml")
	if push := wf.On["push"]; push == nil || !slices.Equal(push.Tags, []string{"v*"}) || len(push.Branches) != 0 ||
		len(wf.On) != 1 {
		t.Errorf("release.yml must run on v* tags only: %v", wf.On)
	}
	if wf.Permissions["contents"] != "write" {
		t.Errorf("release.yml permissions %v: the release needs contents: write", wf.Permissions)
	}
	makefile, err := os.ReadFile(filepath.Join(root(), "GNUmakefile"))
	if err != nil {
		t.Fatal(err)
	}
	pinned := regexp.MustCompile(`(?m)^GORELEASER_VERSION := (\S+)$`).FindSubmatch(makefile)
	if pinned == nil {
		t.Fatal("GNUmakefile pins no GORELEASER_VERSION")
	}
	var importID string
	var goreleaser *step
	for _, job := range wf.Jobs {
		for i, s := range job.Steps {
			switch {
			case strings.HasPrefix(s.Uses, "actions/checkout@"):
				if s.With["fetch-depth"] != "0" {
					t.Errorf("checkout fetch-depth %q: goreleaser needs the tags (0)", s.With["fetch-depth"])
				}
			case strings.HasPrefix(s.Uses, "crazy-max/ghaction-import-gpg@"):
				importID = s.ID
				if s.With["gpg_private_key"] != "${{ secrets.GPG_PRIVATE_KEY }}" ||
					s.With["passphrase"] != "${{ secrets.GPG_PASSPHRASE }}" {
					t.Errorf("the signing key must come from the repository secrets: %v", s.With)
				}
			case strings.HasPrefix(s.Uses, "goreleaser/goreleaser-action@"):
				goreleaser = &job.Steps[i]
			}
		}
	}
	if importID == "" || goreleaser == nil {
		t.Fatalf("release.yml must import the signing key (with an id) and run goreleaser-action")
	}
	if goreleaser.With["version"] != string(pinned[1]) || goreleaser.With["distribution"] != "goreleaser" {
		t.Errorf("goreleaser %s %s, want goreleaser %s as GNUmakefile pins", goreleaser.With["distribution"],
			goreleaser.With["version"], pinned[1])
	}
	if goreleaser.With["args"] != "release --clean" {
		t.Errorf("goreleaser args %q, want release --clean (publishing, with the tag checked)", goreleaser.With["args"])
	}
	if want := "${{ steps." + importID + ".outputs.fingerprint }}"; goreleaser.Env["GPG_FINGERPRINT"] != want {
		t.Errorf("GPG_FINGERPRINT = %q, want %s", goreleaser.Env["GPG_FINGERPRINT"], want)
	}
	if goreleaser.Env["GITHUB_TOKEN"] != "${{ secrets.GITHUB_TOKEN }}" {
		t.Errorf("GITHUB_TOKEN = %q, want the workflow's token", goreleaser.Env["GITHUB_TOKEN"])
	}
	goreleaserConfig, err := os.ReadFile(filepath.Join(root(), ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(goreleaserConfig), `"{{ .Env.GPG_FINGERPRINT }}"`) {
		t.Error(".goreleaser.yml does not sign with the key GPG_FINGERPRINT names")
	}
}

var (
	usesRE   = regexp.MustCompile(`^\s*(?:- )?uses:\s*(.*)$`)
	pinnedRE = regexp.MustCompile(`^([A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+)*)$`)
)

// TestActionsPinnedToCommits: every action of every workflow is pinned to a full commit
// SHA, with its release in a comment, and one action is pinned to one commit everywhere.
func TestActionsPinnedToCommits(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root(), ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows (%v)", err)
	}
	commits := map[string]string{}
	for _, file := range files {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(content), "\n") {
			m := usesRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			p := pinnedRE.FindStringSubmatch(m[1])
			if p == nil {
				t.Errorf("%s:%d: %q is not pinned as owner/repo@<40-hex commit> # v<release>", filepath.Base(file), i+1, m[1])
				continue
			}
			pin := p[2] + " " + p[3]
			if prev, ok := commits[p[1]]; ok && prev != pin {
				t.Errorf("%s:%d: %s pinned to %s here and to %s elsewhere", filepath.Base(file), i+1, p[1], pin, prev)
			}
			commits[p[1]] = pin
		}
	}
}
