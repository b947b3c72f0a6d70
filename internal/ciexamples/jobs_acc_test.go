package ciexamples_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// The example's settings as the test gives them: the workflow's secrets and variables.
const (
	warehousePassword = "warehouse-password-of-the-environment"
	rotatedPassword   = "rotated-warehouse-password"
	state             = "production"
	warehouseSlug     = "malaria-data-warehouse"
)

// mutations are the operations that change OpenHEXA (testConnection included: it needs
// the right to manage connections).
var mutations = []string{"CreateConnection", "UpdateConnection", "DeleteConnection", "TestConnection"}

// runner plays the GitHub runner for the workflow of examples/ci against the test
// server: a checkout of an infra repository holding the example's state, `tofu` on
// PATH, and the provider built from this tree through a dev override, which stands in
// for the install step (TestAccGitHubWorkflowInstallsReleaseArchive runs that one on
// release archives) and makes `init` unneeded.
type runner struct {
	t         *testing.T
	srv       *openhexatest.Server
	workflow  githubWorkflow
	workspace string // GITHUB_WORKSPACE, the infra repository
	temp      string // RUNNER_TEMP
	baseEnv   []string
	secrets   map[string]string
}

func newRunner(t *testing.T) *runner {
	t.Helper()
	cli := acctest.CLIPath(t)
	if !acctest.IsOpenTofu() {
		t.Skip("the workflow runs OpenTofu, and its example needs ephemeral variables and write-only attributes (1.11)")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cli, filepath.Join(bin, "tofu")); err != nil {
		t.Fatal(err)
	}
	cliConfig := acctest.DevOverrideCLIConfig(t)

	r := &runner{t: t, srv: openhexatest.Start(t), workspace: filepath.Join(tmp, "repo"), temp: filepath.Join(tmp, "runner-temp")}
	load(t, "github-actions.yml", &r.workflow)
	for _, dir := range []string{r.temp, filepath.Join(tmp, "home")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.baseEnv = []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + filepath.Join(tmp, "home"),
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"GITHUB_WORKSPACE=" + r.workspace,
		"RUNNER_TEMP=" + r.temp,
	}
	r.baseEnv = append(r.baseEnv, acctest.NoNetworkEnv...) // nothing may reach a registry
	r.secrets = map[string]string{
		"OPENHEXA_VIEWER_TOKEN":             openhexatest.TokenViewer,
		"OPENHEXA_WRITE_TOKEN":              openhexatest.TokenEditor,
		"WAREHOUSE_PASSWORD":                warehousePassword,
		"STATE_READ_AWS_ACCESS_KEY_ID":      "state-reader",
		"STATE_READ_AWS_SECRET_ACCESS_KEY":  "state-reader-secret",
		"STATE_WRITE_AWS_ACCESS_KEY_ID":     "state-writer",
		"STATE_WRITE_AWS_SECRET_ACCESS_KEY": "state-writer-secret",
	}

	// The example's state, with a local state instead of its S3 backend.
	main := exampleFile(t, "openhexa/production/main.tf")
	local := regexp.MustCompile(`(?s)\n  backend "s3" \{.*?\n  \}\n`).ReplaceAllString(main, "\n")
	if local == main {
		t.Fatal(`the example has no backend "s3" block to replace with a local state`)
	}
	r.writeState(local)
	return r
}

// writeState writes the state's main.tf, as a commit of the infra repository would.
func (r *runner) writeState(content string) {
	r.t.Helper()
	dir := filepath.Join(r.workspace, "openhexa", state)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// editState replaces old with replacement in the state's main.tf.
func (r *runner) editState(old, replacement string) {
	r.t.Helper()
	content, err := os.ReadFile(filepath.Join(r.workspace, "openhexa", state, "main.tf"))
	if err != nil {
		r.t.Fatal(err)
	}
	if !strings.Contains(string(content), old) {
		r.t.Fatalf("the example's main.tf lacks %q", old)
	}
	r.writeState(strings.Replace(string(content), old, replacement, 1))
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand evaluates the workflow expressions the jobs use, as GitHub does before a step
// runs; a secret the runner does not have becomes "", as on GitHub.
func (r *runner) expand(text string, env map[string]string) string {
	r.t.Helper()
	return expression.ReplaceAllStringFunc(text, func(m string) string {
		expr := expression.FindStringSubmatch(m)[1]
		scope, name, _ := strings.Cut(expr, ".")
		switch {
		case expr == "matrix.state":
			return state
		case expr == "runner.temp":
			return r.temp
		case expr == "vars.OPENHEXA_URL":
			return r.srv.URL()
		case scope == "secrets":
			return r.secrets[name]
		case scope == "env":
			return env[name]
		}
		r.t.Fatalf("the runner cannot evaluate ${{ %s }}: teach it", expr)
		return ""
	})
}

// job runs one job of the workflow for the example's state: its steps with a `run`,
// except the install step and `init`, which the dev override replaces. It returns what
// the steps printed, the job summary, and the first failure.
func (r *runner) job(name string) (output, summary string, err error) {
	r.t.Helper()
	job, ok := r.workflow.Jobs[name]
	if !ok {
		r.t.Fatalf("the workflow has no job %s", name)
	}
	summaryFile := filepath.Join(r.temp, name+"-summary.md")
	if err := os.WriteFile(summaryFile, nil, 0o600); err != nil {
		r.t.Fatal(err)
	}
	env := map[string]string{}
	for k, v := range r.workflow.Env {
		env[k] = r.expand(v, env)
	}
	for k, v := range job.Env {
		env[k] = r.expand(v, env)
	}
	var out bytes.Buffer
	for _, step := range job.Steps {
		if step.Run == "" || strings.Contains(step.Run, "sha256sum") || strings.Contains(step.Run, "tofu init") {
			continue
		}
		if step.If != "" {
			r.t.Fatalf("step %q has a condition (%s), which the runner cannot evaluate: teach it", step.Name, step.If)
		}
		stepEnv := map[string]string{}
		for k, v := range env {
			stepEnv[k] = v
		}
		for k, v := range step.Env {
			stepEnv[k] = r.expand(v, env)
		}
		dir := step.WorkingDirectory
		if dir == "" {
			dir = job.Defaults.Run.WorkingDirectory
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-c", r.expand(step.Run, env))
		cmd.Dir = filepath.Join(r.workspace, r.expand(dir, env))
		cmd.Env = append(slices.Clone(r.baseEnv), "GITHUB_STEP_SUMMARY="+summaryFile)
		for k, v := range stepEnv {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			content, _ := os.ReadFile(summaryFile)
			return out.String(), string(content), fmt.Errorf("step %q: %w", step.Name, err)
		}
	}
	content, err := os.ReadFile(summaryFile)
	if err != nil {
		r.t.Fatal(err)
	}
	return out.String(), string(content), nil
}

// mustRun runs a job that must succeed and returns its summary.
func (r *runner) mustRun(name string) string {
	r.t.Helper()
	out, summary, err := r.job(name)
	if err != nil {
		r.t.Fatalf("the %s job failed: %v\n%s", name, err, out)
	}
	return summary
}

// callers lists the tokens (by their label in the request log) that sent requests
// since the last reset, and the mutations they sent.
func (r *runner) callers() (tokens, sent []string) {
	for _, req := range r.srv.Requests() {
		if !slices.Contains(tokens, req.Token) {
			tokens = append(tokens, req.Token)
		}
		if slices.Contains(mutations, req.OperationName) {
			sent = append(sent, req.OperationName)
		}
	}
	return tokens, sent
}

// warehouse is the example's connection as the test server holds it, and its password.
func (r *runner) warehouse() (openhexatest.StoredConnection, string) {
	r.t.Helper()
	c, ok := r.srv.ConnectionBySlug(openhexatest.WorkspaceMain, warehouseSlug)
	if !ok {
		r.t.Fatalf("the test server holds no connection %s", warehouseSlug)
	}
	for _, f := range c.Fields {
		if f.Code == "password" {
			return c, f.Value
		}
	}
	r.t.Fatalf("connection %s has no password field", warehouseSlug)
	return c, ""
}

// TestAccGitHubWorkflowJobs runs the jobs of examples/ci/github-actions.yml against the
// test server, as GitHub would for merges and pull requests: the apply job creates the
// connection with the write token and its environment's secret; the plan job of a pull
// request, with the VIEWER's token and the secret's variable null, plans cleanly, then
// shows a change and a rotation, and sends nothing but reads; an apply job missing its
// secret or given a read-only token fails at plan, before any write; the merge's apply
// sends the environment's rotated secret.
func TestAccGitHubWorkflowJobs(t *testing.T) {
	r := newRunner(t)

	r.srv.ResetRequests()
	r.mustRun("apply")
	c, password := r.warehouse()
	if password != warehousePassword {
		t.Errorf("the apply job created %s with the password %q, want the environment's secret", warehouseSlug, password)
	}
	if tokens, _ := r.callers(); !slices.Equal(tokens, []string{"editor"}) {
		t.Errorf("the apply job sent requests as %v, want the write token's user only", tokens)
	}

	r.srv.ResetRequests()
	summary := r.mustRun("plan")
	mustContain(t, "the plan job's summary, after the apply", summary, "No changes.")
	tokens, sent := r.callers()
	if !slices.Equal(tokens, []string{"viewer"}) || len(sent) != 0 {
		t.Errorf("the plan job sent requests as %v and the mutations %v, want reads by the VIEWER only", tokens, sent)
	}

	// A pull request that changes the description and rotates the password.
	r.editState(`description = "Read-only access to the reporting schema."`, `description = "Reporting schema, read only."`)
	r.editState("password_wo_version = 1", "password_wo_version = 2")
	r.srv.ResetRequests()
	summary = r.mustRun("plan")
	mustContain(t, "the plan job's summary of the change", strings.Join(strings.Fields(summary), " "), "1 to change",
		`"Read-only access to the reporting schema." -> "Reporting schema, read only."`,
		"password_wo_version = 1 -> 2", "Write-only secret will be sent", "This plan was made without the value")
	mustLack(t, "the plan job's summary", summary, warehousePassword)
	tokens, sent = r.callers()
	if !slices.Equal(tokens, []string{"viewer"}) || len(sent) != 0 {
		t.Errorf("the plan job sent requests as %v and the mutations %v, want reads by the VIEWER only", tokens, sent)
	}
	if after, password := r.warehouse(); password != warehousePassword || after.Description != c.Description {
		t.Errorf("the plan job changed the connection: description %q, password changed %v", after.Description, password != warehousePassword)
	}

	// An apply job whose environment lacks the secret gets "", and one given a VIEWER's
	// token by mistake: both fail at plan, before any write.
	for secret, value := range map[string]string{"WAREHOUSE_PASSWORD": "", "OPENHEXA_WRITE_TOKEN": openhexatest.TokenViewer} {
		kept := r.secrets[secret]
		r.secrets[secret] = value
		r.srv.ResetRequests()
		out, _, err := r.job("apply")
		r.secrets[secret] = kept
		if err == nil {
			t.Errorf("the apply job succeeded with %s = %q", secret, value)
		}
		want := map[string]string{
			"WAREHOUSE_PASSWORD":   "The warehouse password is empty",
			"OPENHEXA_WRITE_TOKEN": "may not manage connections",
		}[secret]
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the apply job with %s = %q failed without saying %q:\n%s", secret, value, want, out)
		}
		if _, sent := r.callers(); len(sent) != 0 {
			t.Errorf("the apply job with %s = %q sent %v", secret, value, sent)
		}
	}

	// The merge, once the environment's secret holds the rotated password: the apply job
	// sends it.
	r.secrets["WAREHOUSE_PASSWORD"] = rotatedPassword
	r.srv.ResetRequests()
	r.mustRun("apply")
	after, password := r.warehouse()
	if password != rotatedPassword || after.Description != "Reporting schema, read only." {
		t.Errorf("after the apply job: description %q, password rotated %v", after.Description, password == rotatedPassword)
	}
	if _, sent := r.callers(); !slices.Equal(sent, []string{"UpdateConnection"}) {
		t.Errorf("the apply job sent %v, want one update", sent)
	}
}
