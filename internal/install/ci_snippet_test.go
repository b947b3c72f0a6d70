package install_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"go.yaml.in/yaml/v3"
)

// TestAccGitHubWorkflowInstallsReleaseArchive runs the install step of
// examples/ci/github-actions.yml as a runner would, with the release files served from
// the dist of a signed `make release` (a file:// base URL instead of a download server): the
// archive is checked against SHA256SUMS and unpacked into a mirror, and with the CLI
// configuration the step exports, `init` installs the provider and plan runs it.
func TestAccGitHubWorkflowInstallsReleaseArchive(t *testing.T) {
	cli := acctest.CLIPath(t)
	if runtime.GOOS+"_"+runtime.GOARCH != "linux_amd64" {
		t.Skip("the workflow installs the linux_amd64 archive, for its ubuntu runner")
	}
	rel := signedRelease(t)
	dist, version := rel.dist, rel.version
	content, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "ci", "github-actions.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(content, &wf); err != nil {
		t.Fatal(err)
	}
	var install string
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if strings.Contains(step.Run, "sha256sum") {
				install = step.Run
			}
		}
	}
	if install == "" {
		t.Fatal("no install step (one that runs sha256sum) in the workflow")
	}

	tmp := t.TempDir()
	runnerTemp := filepath.Join(tmp, "runner-temp")
	githubEnv := filepath.Join(tmp, "github-env")
	if err := os.MkdirAll(runnerTemp, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-e", "-c", install)
	cmd.Dir = runnerTemp
	cmd.Env = append(os.Environ(),
		"RUNNER_TEMP="+runnerTemp,
		"GITHUB_ENV="+githubEnv,
		"BASE_URL=file://"+dist,
		"OPENHEXA_PROVIDER_VERSION="+version,
	)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the workflow's install step failed: %v\n%s", err, out)
	}
	exported, err := os.ReadFile(githubEnv)
	if err != nil {
		t.Fatal(err)
	}
	config, ok := strings.CutPrefix(strings.TrimSpace(string(exported)), "TF_CLI_CONFIG_FILE=")
	if !ok {
		t.Fatalf("the install step exported %q, want TF_CLI_CONFIG_FILE", exported)
	}

	srv := openhexatest.Start(t)
	work := filepath.Join(tmp, "infra")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(infraConfig(srv, version)), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cliRun{t: t, cli: cli, dir: work, cliConfig: config}
	r.must("init", "-input=false", "-no-color")
	lockEntry(t, work, version, version)
	if out := r.must("plan", "-input=false", "-no-color"); !strings.Contains(out, "1 to add") {
		t.Errorf("plan with the provider the workflow installed:\n%s", out)
	}
}
