package ciexamples_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// exampleFile reads a file under examples/ci.
func exampleFile(t *testing.T, name string) string {
	t.Helper()
	content, err := os.ReadFile(filepath.Join("..", "..", "examples", "ci", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}

// load parses one of the CI files under examples/ci.
func load(t *testing.T, name string, into any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(exampleFile(t, name)), into); err != nil {
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

// mustLack fails for each unwanted string that text holds.
func mustLack(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s holds %q", what, u)
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

// The names of the example's settings: what a plan job may read, and what only the
// apply job may.
const (
	viewerTokenSecret = "OPENHEXA_VIEWER_TOKEN"
	writeTokenSecret  = "OPENHEXA_WRITE_TOKEN"
)

// readOnlySecrets are the only secrets a plan job may reference: the VIEWER's token and
// credentials that may only read the state.
var readOnlySecrets = []string{viewerTokenSecret, "STATE_READ_AWS_ACCESS_KEY_ID", "STATE_READ_AWS_SECRET_ACCESS_KEY"}

// writeSecrets are what the apply job alone gets: the write token, the example's
// write-only password, credentials that may write the state.
var writeSecrets = []string{writeTokenSecret, "WAREHOUSE_PASSWORD", "STATE_WRITE_AWS_ACCESS_KEY_ID", "STATE_WRITE_AWS_SECRET_ACCESS_KEY"}

// writeOnlyVariables are the TF_VAR_ names of the example's write-only secrets: the
// apply jobs alone set them; in a plan they stay null.
var writeOnlyVariables = []string{"TF_VAR_warehouse_password"}

type githubStep struct {
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	If               string            `yaml:"if"`
	Run              string            `yaml:"run"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
}

type githubJob struct {
	If          string `yaml:"if"`
	Environment string `yaml:"environment"`
	Strategy    struct {
		Matrix map[string][]string `yaml:"matrix"`
	} `yaml:"strategy"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Defaults struct {
		Run struct {
			WorkingDirectory string `yaml:"working-directory"`
		} `yaml:"run"`
	} `yaml:"defaults"`
	Env   map[string]string `yaml:"env"`
	Steps []githubStep      `yaml:"steps"`
}

type githubWorkflow struct {
	On struct {
		PullRequest *struct{} `yaml:"pull_request"`
		Push        *struct {
			Branches []string `yaml:"branches"`
		} `yaml:"push"`
	} `yaml:"on"`
	Permissions map[string]string    `yaml:"permissions"`
	Env         map[string]string    `yaml:"env"`
	Jobs        map[string]githubJob `yaml:"jobs"`
}

var secretReference = regexp.MustCompile(`secrets\.([A-Za-z0-9_]+)`)

// secretsOf lists the secrets a job references anywhere (env, steps, with).
func secretsOf(t *testing.T, job any) []string {
	t.Helper()
	text, err := yaml.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range secretReference.FindAllStringSubmatch(string(text), -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return names
}

// stepRunning is the job's step whose script contains command ("" when none).
func stepRunning(job githubJob, command string) githubStep {
	for _, step := range job.Steps {
		if strings.Contains(step.Run, command) {
			return step
		}
	}
	return githubStep{}
}

// TestGitHubWorkflowLeastPrivilege: a plan job on pull requests with the VIEWER's token
// and no write secret, and an apply job on main only, in an environment per state,
// with the write token; separate concurrency groups, so that nothing a pull request
// queues can cancel an apply, and an apply is never cancelled once it runs.
func TestGitHubWorkflowLeastPrivilege(t *testing.T) {
	var wf githubWorkflow
	load(t, "github-actions.yml", &wf)
	if wf.On.PullRequest == nil || wf.On.Push == nil || !slices.Equal(wf.On.Push.Branches, []string{"main"}) {
		t.Errorf("the workflow must run on pull requests and on pushes to main: %+v", wf.On)
	}
	if len(wf.Permissions) != 1 || wf.Permissions["contents"] != "read" {
		t.Errorf("the workflow's GITHUB_TOKEN must only read the repository: permissions %v", wf.Permissions)
	}
	var names []string
	for name := range wf.Jobs {
		names = append(names, name)
	}
	sort.Strings(names)
	if !slices.Equal(names, []string{"apply", "plan"}) {
		t.Fatalf("jobs %v, want apply and plan", names)
	}
	plan, apply := wf.Jobs["plan"], wf.Jobs["apply"]

	if plan.If != "github.event_name == 'pull_request'" {
		t.Errorf("the plan job must run on pull requests only: if %q", plan.If)
	}
	if plan.Environment != "" {
		t.Errorf("the plan job has environment %q: its secrets are the apply's", plan.Environment)
	}
	if plan.Env["OPENHEXA_TOKEN"] != "${{ secrets."+viewerTokenSecret+" }}" {
		t.Errorf("the plan job's OPENHEXA_TOKEN = %q, want the VIEWER's token", plan.Env["OPENHEXA_TOKEN"])
	}
	for _, name := range secretsOf(t, plan) {
		if !slices.Contains(readOnlySecrets, name) {
			t.Errorf("the plan job reads the secret %s; it may read only %v", name, readOnlySecrets)
		}
	}
	if plan.Env["TF_VAR_read_only_plan"] != "true" {
		t.Errorf("the plan job must set TF_VAR_read_only_plan=true (its token may not manage connections)")
	}
	for _, variable := range writeOnlyVariables {
		if value, ok := plan.Env[variable]; ok {
			t.Errorf("the plan job sets %s = %q: a write-only secret stays null in a plan", variable, value)
		}
	}
	mustContain(t, "the plan job's format step", stepRunning(plan, "tofu fmt").Run, "-check")
	mustContain(t, "the plan job's validate step", stepRunning(plan, "tofu validate").Run, "tofu validate")
	mustContain(t, "the plan job's plan step", stepRunning(plan, "tofu plan").Run, "-lock=false", "$GITHUB_STEP_SUMMARY")
	if step := stepRunning(plan, "tofu apply"); step.Run != "" {
		t.Errorf("the plan job applies: %q", step.Run)
	}

	if apply.If != "github.event_name == 'push' && github.ref == 'refs/heads/main'" {
		t.Errorf("the apply job must run on pushes to main only: if %q", apply.If)
	}
	if !strings.Contains(apply.Environment, "${{ matrix.state }}") {
		t.Errorf("the apply job's environment %q: want one per state, which holds its secrets", apply.Environment)
	}
	if apply.Env["OPENHEXA_TOKEN"] != "${{ secrets."+writeTokenSecret+" }}" {
		t.Errorf("the apply job's OPENHEXA_TOKEN = %q, want the write token", apply.Env["OPENHEXA_TOKEN"])
	}
	for _, name := range writeSecrets {
		if !slices.Contains(secretsOf(t, apply), name) {
			t.Errorf("the apply job does not read the secret %s", name)
		}
	}
	for _, variable := range writeOnlyVariables {
		if !strings.HasPrefix(apply.Env[variable], "${{ secrets.") {
			t.Errorf("the apply job's %s = %q, want a secret of its environment", variable, apply.Env[variable])
		}
	}
	mustContain(t, "the apply job's plan step", stepRunning(apply, "tofu plan").Run, "-out=tfplan", "$GITHUB_STEP_SUMMARY")
	mustContain(t, "the apply job's apply step", stepRunning(apply, "tofu apply").Run, "tfplan")

	// Concurrency: an apply never waits in a group that anything else can join.
	if plan.Concurrency.Group == apply.Concurrency.Group {
		t.Errorf("plans and applies share the concurrency group %q: a queued plan could cancel a pending apply",
			plan.Concurrency.Group)
	}
	if !strings.HasPrefix(apply.Concurrency.Group, "openhexa-apply-") || !strings.Contains(apply.Concurrency.Group, "${{ matrix.state }}") {
		t.Errorf("the apply job's concurrency group %q: want one per state, for applies only", apply.Concurrency.Group)
	}
	if apply.Concurrency.CancelInProgress == nil || *apply.Concurrency.CancelInProgress {
		t.Error("an apply in progress must never be cancelled (cancel-in-progress: false)")
	}
	if !strings.Contains(plan.Concurrency.Group, "${{ matrix.state }}") || !strings.Contains(plan.Concurrency.Group, "pull_request.number") {
		t.Errorf("the plan job's concurrency group %q: want one per state and pull request", plan.Concurrency.Group)
	}

	// Both jobs: one job per state, working in that state's directory, installed alike.
	for name, job := range wf.Jobs {
		states := job.Strategy.Matrix["state"]
		if len(states) == 0 {
			t.Errorf("job %s: no matrix of states", name)
		}
		if !slices.Equal(states, plan.Strategy.Matrix["state"]) {
			t.Errorf("job %s runs the states %v, the plan job %v", name, states, plan.Strategy.Matrix["state"])
		}
		if job.Defaults.Run.WorkingDirectory != "openhexa/${{ matrix.state }}" {
			t.Errorf("job %s works in %q, want the state's directory", name, job.Defaults.Run.WorkingDirectory)
		}
		if _, ok := job.Env["OPENHEXA_WORKSPACE"]; ok {
			t.Errorf("job %s sets OPENHEXA_WORKSPACE: each state names its workspace in its provider block", name)
		}
		var setup, install bool
		for _, step := range job.Steps {
			switch {
			case strings.HasPrefix(step.Uses, "opentofu/setup-opentofu@"):
				setup = step.With["tofu_version"] != "" && step.With["tofu_wrapper"] == "false"
			case strings.HasPrefix(step.Uses, "actions/checkout@"):
				if step.With["persist-credentials"] != "false" {
					t.Errorf("job %s: checkout keeps the GITHUB_TOKEN in .git (persist-credentials: false)", name)
				}
			case strings.Contains(step.Run, "sha256sum"):
				install = true
				mustContain(t, "the install step", step.Run, installSteps...)
				mustContain(t, "the install step", step.Run, "$GITHUB_ENV")
				if step.Run != stepRunning(plan, "sha256sum").Run {
					t.Errorf("job %s installs the provider unlike the plan job", name)
				}
			}
		}
		if !setup || !install {
			t.Errorf("job %s: setup-opentofu without wrapper %v, install from the release %v", name, setup, install)
		}
		mustContain(t, "job "+name+"'s init", stepRunning(job, "tofu init").Run, "-lockfile=readonly")
	}
	if _, ok := wf.Env["OPENHEXA_WORKSPACE"]; ok {
		t.Error("the workflow sets OPENHEXA_WORKSPACE for every job: each state names its workspace in its provider block")
	}
	mustContain(t, "the example state's provider block", exampleFile(t, "openhexa/production/main.tf"),
		"provider \"openhexa\" {\n  workspace = ")
}

// pinnedAction is a `uses:` line pinned to a commit, with the version in a comment.
var pinnedAction = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$`)

// TestGitHubActionsArePinned: every action is pinned to a commit SHA, its version in a
// comment, since a tag can be moved to other code.
func TestGitHubActionsArePinned(t *testing.T) {
	var uses int
	for i, line := range strings.Split(exampleFile(t, "github-actions.yml"), "\n") {
		if !strings.Contains(line, "uses:") || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		uses++
		if !pinnedAction.MatchString(line) {
			t.Errorf("github-actions.yml:%d: %q is not pinned as `owner/action@<commit SHA> # vX.Y.Z`", i+1, strings.TrimSpace(line))
		}
	}
	if uses == 0 {
		t.Fatal("no `uses:` line in the workflow")
	}
}

type gitlabJob struct {
	Extends       string            `yaml:"extends"`
	Stage         string            `yaml:"stage"`
	Image         string            `yaml:"image"`
	ResourceGroup string            `yaml:"resource_group"`
	Interruptible *bool             `yaml:"interruptible"`
	BeforeScript  []string          `yaml:"before_script"`
	Script        []string          `yaml:"script"`
	Variables     map[string]string `yaml:"variables"`
	Environment   struct {
		Name string `yaml:"name"`
	} `yaml:"environment"`
	Rules []struct {
		If string `yaml:"if"`
	} `yaml:"rules"`
	Artifacts struct {
		ExposeAs string   `yaml:"expose_as"`
		Paths    []string `yaml:"paths"`
	} `yaml:"artifacts"`
}

// TestGitLabCILeastPrivilege: the same as the workflow, in GitLab's terms: per state a
// plan job on merge requests with the VIEWER's token and no write variable, and an
// apply job on the default branch in an environment and a resource group of that
// state, with the write token mapped from a protected variable.
func TestGitLabCILeastPrivilege(t *testing.T) {
	text := exampleFile(t, "gitlab-ci.yml")
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
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
	for name := range variables {
		if name == "OPENHEXA_TOKEN" || name == "OPENHEXA_WORKSPACE" || strings.HasPrefix(name, "TF_VAR_") {
			t.Errorf("%s is set for every job: tokens and secrets are the jobs' own, the workspace the state's", name)
		}
	}

	// One plan and one apply job per state, named after it.
	planStates, applyStates := map[string]bool{}, map[string]bool{}
	for name, job := range jobs {
		if strings.HasPrefix(name, ".") {
			continue
		}
		kind, state, _ := strings.Cut(name, ":")
		if job.Variables["STATE"] != state || job.Extends != "."+kind {
			t.Errorf("job %s: want extends .%s and STATE %q, got %q and %q", name, kind, state, job.Extends, job.Variables["STATE"])
		}
		switch kind {
		case "plan":
			planStates[state] = true
		case "apply":
			applyStates[state] = true
		default:
			t.Errorf("job %s is neither a plan nor an apply", name)
		}
	}
	if len(planStates) == 0 || len(planStates) != len(applyStates) {
		t.Errorf("want one plan and one apply job per state: plans %v, applies %v", planStates, applyStates)
	}
	for state := range planStates {
		if !applyStates[state] {
			t.Errorf("state %s has a plan job and no apply job", state)
		}
	}

	base, plan, apply := jobs[".openhexa"], jobs[".plan"], jobs[".apply"]
	if base.Image == "" || plan.Extends != ".openhexa" || apply.Extends != ".openhexa" {
		t.Fatalf(".plan and .apply must extend .openhexa, which has an image: %q, %q", plan.Extends, apply.Extends)
	}
	setup := strings.Join(base.BeforeScript, "\n")
	mustContain(t, "before_script", setup, installSteps...)
	mustContain(t, "before_script", setup, "tofu_${TOFU_VERSION}_SHA256SUMS", `cd "$CI_PROJECT_DIR/openhexa/$STATE"`,
		"tofu init -lockfile=readonly")

	if plan.Stage != "plan" || len(plan.Rules) != 1 || plan.Rules[0].If != `$CI_PIPELINE_SOURCE == "merge_request_event"` {
		t.Errorf("plan jobs must run on merge requests only: %+v", plan)
	}
	if plan.Variables["OPENHEXA_TOKEN"] != "$"+viewerTokenSecret {
		t.Errorf("plan jobs' OPENHEXA_TOKEN = %q, want the VIEWER's token", plan.Variables["OPENHEXA_TOKEN"])
	}
	if plan.Variables["TF_VAR_read_only_plan"] != "true" {
		t.Error("plan jobs must set TF_VAR_read_only_plan=true (their token may not manage connections)")
	}
	for _, variable := range writeOnlyVariables {
		if value, ok := plan.Variables[variable]; ok {
			t.Errorf("plan jobs set %s = %q: a write-only secret stays null in a plan", variable, value)
		}
	}
	planText, err := yaml.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range writeSecrets {
		mustLack(t, "the .plan template", string(planText), "$"+name)
	}
	if plan.Environment.Name != "" || plan.ResourceGroup != "" {
		t.Errorf("plan jobs have environment %q and resource group %q: those are the applies'", plan.Environment.Name, plan.ResourceGroup)
	}
	if plan.Interruptible == nil || !*plan.Interruptible {
		t.Error("plan jobs should be interruptible: a newer pipeline makes them moot")
	}
	planScript := strings.Join(plan.Script, "\n")
	mustContain(t, "the plan script", planScript, "tofu fmt -check", "tofu validate", "set -o pipefail", "tofu plan -lock=false")
	mustLack(t, "the plan script", planScript, "apply")
	if plan.Artifacts.ExposeAs == "" || !slices.Equal(plan.Artifacts.Paths, []string{"plan.txt"}) {
		t.Errorf("plan jobs must expose plan.txt in the merge request: %+v", plan.Artifacts)
	}

	if apply.Stage != "apply" || len(apply.Rules) != 1 || apply.Rules[0].If != "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" {
		t.Errorf("apply jobs must run on the default branch only: %+v", apply)
	}
	if !strings.Contains(apply.Environment.Name, "$STATE") || !strings.Contains(apply.ResourceGroup, "$STATE") {
		t.Errorf("apply jobs need an environment and a resource group per state: %q, %q", apply.Environment.Name, apply.ResourceGroup)
	}
	if apply.Interruptible == nil || *apply.Interruptible {
		t.Error("apply jobs must not be interruptible")
	}
	if apply.Variables["OPENHEXA_TOKEN"] != "$"+writeTokenSecret {
		t.Errorf("apply jobs' OPENHEXA_TOKEN = %q, want the write token", apply.Variables["OPENHEXA_TOKEN"])
	}
	for _, variable := range writeOnlyVariables {
		if !strings.HasPrefix(apply.Variables[variable], "$") {
			t.Errorf("apply jobs' %s = %q, want a protected CI/CD variable", variable, apply.Variables[variable])
		}
	}
	mustContain(t, "the apply script", strings.Join(apply.Script, "\n"), "tofu plan", "-out=tfplan", "tofu apply -no-color tfplan")
	// The header tells which variables to protect: every write secret, and no other.
	protected := headerGroup(text, "masked, protected")
	for _, name := range writeSecrets {
		if !slices.Contains(protected, name) {
			t.Errorf("the header does not list %s among the protected variables %v", name, protected)
		}
	}
	for _, name := range protected {
		if !slices.Contains(writeSecrets, name) {
			t.Errorf("the header lists %s among the protected variables: only write secrets are", name)
		}
	}
}

var headerName = regexp.MustCompile(`\b[A-Z][A-Z0-9_]{3,}\b`)

// headerGroup lists the variable names of the header's group whose title line holds
// marker: the lines after it indented deeper, up to the next title.
func headerGroup(text, marker string) []string {
	var names []string
	in := false
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		body := strings.TrimPrefix(line, "#")
		indent := len(body) - len(strings.TrimLeft(body, " "))
		switch {
		case strings.Contains(line, marker):
			in = true
		case in && indent <= 3:
			return names
		case in:
			// The name column: the words before the description.
			names = append(names, headerName.FindAllString(strings.SplitN(strings.TrimSpace(body), "  ", 2)[0], -1)...)
		}
	}
	return names
}
