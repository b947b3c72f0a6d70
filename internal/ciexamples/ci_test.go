package ciexamples_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// load parses one of the CI files under examples/ci.
func load(t *testing.T, name string, into any) {
	t.Helper()
	content, err := os.ReadFile(filepath.Join("..", "..", "examples", "ci", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(content, into); err != nil {
		t.Fatalf("%s is not valid YAML: %v", name, err)
	}
}

// mustContain fails for each want that text lacks.
func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}

// installSteps is what installing the provider from a release must do, in either CI:
// check the archive against SHA256SUMS, unpack it under both registry hosts, and give
// the CLI a configuration that takes the provider from there and never from a registry.
var installSteps = []string{
	"terraform-provider-openhexa_${v}_linux_amd64.zip",
	"terraform-provider-openhexa_${v}_SHA256SUMS",
	"sha256sum",
	"unzip",
	"$mirror/$host/blsq/openhexa/$v/linux_amd64",
	"for host in registry.terraform.io registry.opentofu.org",
	`include = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]`,
	`exclude = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]`,
	"TF_CLI_CONFIG_FILE=",
}

type githubWorkflow struct {
	On struct {
		PullRequest *struct{} `yaml:"pull_request"`
		Push        *struct {
			Branches []string `yaml:"branches"`
		} `yaml:"push"`
	} `yaml:"on"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Strategy struct {
			Matrix map[string][]string `yaml:"matrix"`
		} `yaml:"strategy"`
		Concurrency struct {
			Group            string `yaml:"group"`
			CancelInProgress *bool  `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			If   string            `yaml:"if"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestGitHubWorkflow: plan on pull requests (into the job summary), apply on main only,
// one concurrency group per state that never cancels a run in progress, the token from a
// secret, OpenTofu from its official setup action, the provider from release archives
// checked against SHA256SUMS into a mirror, the committed lock file enforced.
func TestGitHubWorkflow(t *testing.T) {
	var wf githubWorkflow
	load(t, "github-actions.yml", &wf)
	if wf.On.PullRequest == nil || wf.On.Push == nil || !slices.Equal(wf.On.Push.Branches, []string{"main"}) {
		t.Errorf("the workflow must run on pull requests and on pushes to main: %+v", wf.On)
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("want one job (plan, or plan and apply on main), got %d", len(wf.Jobs))
	}
	for name, job := range wf.Jobs {
		if len(job.Strategy.Matrix["state"]) == 0 {
			t.Errorf("job %s: no matrix of states", name)
		}
		if job.Concurrency.Group != "openhexa-state-${{ matrix.state }}" {
			t.Errorf("job %s: concurrency group %q, want one per state", name, job.Concurrency.Group)
		}
		if job.Concurrency.CancelInProgress == nil || *job.Concurrency.CancelInProgress {
			t.Errorf("job %s: a run in progress must not be cancelled (cancel-in-progress: false)", name)
		}
		if job.Env["OPENHEXA_TOKEN"] != "${{ secrets.OPENHEXA_TOKEN }}" {
			t.Errorf("job %s: OPENHEXA_TOKEN = %q, want the secret", name, job.Env["OPENHEXA_TOKEN"])
		}
		var setup, install, initStep, plan, apply bool
		for _, step := range job.Steps {
			switch {
			case strings.HasPrefix(step.Uses, "opentofu/setup-opentofu@"):
				setup = step.With["tofu_version"] != "" && step.With["tofu_wrapper"] == "false"
			case strings.Contains(step.Run, "sha256sum"):
				install = true
				mustContain(t, "the install step", step.Run, installSteps...)
				mustContain(t, "the install step", step.Run, "$GITHUB_ENV")
			case strings.Contains(step.Run, "tofu init"):
				initStep = true
				mustContain(t, "init", step.Run, "-lockfile=readonly")
			case strings.Contains(step.Run, "tofu plan"):
				plan = step.If == ""
				mustContain(t, "the plan step", step.Run, "-out=tfplan", "$GITHUB_STEP_SUMMARY")
			case strings.Contains(step.Run, "tofu apply"):
				apply = step.If == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
				mustContain(t, "the apply step", step.Run, "tfplan")
			}
		}
		if !setup || !install || !initStep || !plan || !apply {
			t.Errorf("job %s: setup-opentofu without wrapper %v, install %v, init %v, plan on every event %v, "+
				"apply only on main %v", name, setup, install, initStep, plan, apply)
		}
	}
}

type gitlabJob struct {
	Extends       string            `yaml:"extends"`
	Stage         string            `yaml:"stage"`
	Image         string            `yaml:"image"`
	ResourceGroup string            `yaml:"resource_group"`
	BeforeScript  []string          `yaml:"before_script"`
	Script        []string          `yaml:"script"`
	Variables     map[string]string `yaml:"variables"`
	Rules         []struct {
		If string `yaml:"if"`
	} `yaml:"rules"`
	Artifacts struct {
		ExposeAs string   `yaml:"expose_as"`
		Paths    []string `yaml:"paths"`
	} `yaml:"artifacts"`
}

// TestGitLabCI: the same as the workflow, in GitLab's terms: a plan job on merge
// requests with the plan as an exposed artifact, an apply job on the default branch,
// both in one resource group per state, the token from a CI/CD variable (never in the
// file), OpenTofu and the provider from their releases, checked against SHA256SUMS.
func TestGitLabCI(t *testing.T) {
	var doc map[string]yaml.Node
	load(t, "gitlab-ci.yml", &doc)
	jobs := map[string]gitlabJob{}
	var stages []string
	var variables map[string]string
	for key, node := range doc {
		var err error
		switch key {
		case "stages":
			err = node.Decode(&stages)
		case "variables":
			err = node.Decode(&variables)
		default:
			var job gitlabJob
			err = node.Decode(&job)
			jobs[key] = job
		}
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	if !slices.Equal(stages, []string{"plan", "apply"}) {
		t.Errorf("stages %v, want [plan apply]", stages)
	}
	if _, ok := variables["OPENHEXA_TOKEN"]; ok {
		t.Error("OPENHEXA_TOKEN is set in the file: it must come from a masked CI/CD variable")
	}
	var names []string
	for name := range jobs {
		if !strings.HasPrefix(name, ".") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"apply", "plan"}) {
		t.Fatalf("jobs %v, want apply and plan", names)
	}
	base := jobs[jobs["plan"].Extends]
	if jobs["apply"].Extends != jobs["plan"].Extends || base.Image == "" {
		t.Fatalf("plan and apply must extend one template with an image: %q, %q", jobs["plan"].Extends, jobs["apply"].Extends)
	}
	if base.ResourceGroup != "openhexa-state-$STATE" || jobs["plan"].ResourceGroup != "" || jobs["apply"].ResourceGroup != "" {
		t.Errorf("want one resource group per state, shared by plan and apply: %q", base.ResourceGroup)
	}
	setup := strings.Join(base.BeforeScript, "\n")
	mustContain(t, "before_script", setup, installSteps...)
	mustContain(t, "before_script", setup, "tofu_${TOFU_VERSION}_SHA256SUMS", "tofu init -lockfile=readonly")

	plan, apply := jobs["plan"], jobs["apply"]
	if plan.Stage != "plan" || len(plan.Rules) != 1 || plan.Rules[0].If != `$CI_PIPELINE_SOURCE == "merge_request_event"` {
		t.Errorf("plan must run on merge requests only: %+v", plan)
	}
	if plan.Artifacts.ExposeAs == "" || !slices.Equal(plan.Artifacts.Paths, []string{"plan.txt"}) {
		t.Errorf("plan must expose plan.txt in the merge request: %+v", plan.Artifacts)
	}
	mustContain(t, "the plan job", strings.Join(plan.Script, "\n"), "set -o pipefail", "tofu plan", "-out=tfplan")
	if plan.Script != nil && strings.Contains(strings.Join(plan.Script, "\n"), "apply") {
		t.Error("the plan job applies")
	}
	if apply.Stage != "apply" || len(apply.Rules) != 1 || apply.Rules[0].If != "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" {
		t.Errorf("apply must run on the default branch only: %+v", apply)
	}
	mustContain(t, "the apply job", strings.Join(apply.Script, "\n"), "tofu plan", "tofu apply -no-color tfplan")
}
