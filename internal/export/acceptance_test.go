package export_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/go-version"
)

// The acceptance tests run the exporter, then the pinned CLI on what it wrote:
// plan imports every connection with exactly the expected counts, apply, and the
// next plan is empty. The provider is built as a binary and served through a dev
// override, with no registry (an empty filesystem mirror).

func TestMain(m *testing.M) { acctest.Main(m) }

// cli is the pinned CLI, configured for one test's working directory.
type cli struct {
	t      *testing.T
	path   string
	config string
	dir    string
	env    []string
}

func newCLI(t *testing.T, srv *openhexatest.Server, token string) *cli {
	t.Helper()
	c := &cli{t: t, path: acctest.CLIPath(t), config: acctest.DevOverrideCLIConfig(t), dir: filepath.Join(t.TempDir(), "config")}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+c.config, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_LOG=",
		"OPENHEXA_URL="+srv.URL(), "OPENHEXA_TOKEN="+token, "HEXA_SERVER_URL=", "HEXA_TOKEN=", "OPENHEXA_WORKSPACE=", "HEXA_WORKSPACE=")
	return c
}

// run runs the CLI in the configuration directory and returns its combined output
// and exit status.
func (c *cli) run(args ...string) (string, int) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.path, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if cmd.ProcessState == nil {
		c.t.Fatalf("%s %v did not run: %v", c.path, args, err)
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

var planSummary = regexp.MustCompile(`Plan: (\d+) to import, (\d+) to add, (\d+) to change, (\d+) to destroy\.`)

// planCounts plans and returns the summary line.
func (c *cli) planCounts() string {
	c.t.Helper()
	out, code := c.run("plan", "-input=false", "-no-color")
	if code != 0 {
		c.t.Fatalf("plan failed (%d):\n%s", code, out)
	}
	line := planSummary.FindString(out)
	if line == "" {
		c.t.Fatalf("plan printed no summary line:\n%s", out)
	}
	c.t.Logf("plan: %s", line)
	return line
}

// wantPlanImportsOnly checks that the first plan imports n connections and changes
// nothing: "n to import, 0 to add, 0 to change, 0 to destroy". Terraform before 1.6
// plans an in-place update of an imported secret whose configured value comes from
// a `sensitive` variable even when the value is the same (only its sensitivity mark
// differs; OpenTofu and later Terraform do not): there the changes are accepted,
// and the callers' apply must still send nothing and leave an empty plan.
func (c *cli) wantPlanImportsOnly(n int) {
	c.t.Helper()
	c.wantPlanImports(n, 0)
}

// wantPlanImports is wantPlanImportsOnly with the changes an export announced.
func (c *cli) wantPlanImports(n, changes int) {
	c.t.Helper()
	got := c.planCounts()
	want := fmt.Sprintf("Plan: %d to import, 0 to add, %d to change, 0 to destroy.", n, changes)
	if got == want {
		return
	}
	if v := acctest.CLIVersion(); !acctest.IsOpenTofu() && v != nil && v.LessThan(version.Must(version.NewVersion("1.6.0"))) &&
		regexp.MustCompile(fmt.Sprintf(`^Plan: %d to import, 0 to add, \d+ to change, 0 to destroy\.$`, n)).MatchString(got) {
		c.t.Logf("Terraform %s plans updates for sensitive values marked by their variables; nothing may be sent", v)
		return
	}
	c.t.Fatalf("plan: %q, want %q", got, want)
}

// applyThenEmptyPlan applies, then checks that the next plan has nothing to do.
func (c *cli) applyThenEmptyPlan() {
	c.t.Helper()
	if out, code := c.run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		c.t.Fatalf("apply failed (%d):\n%s", code, out)
	}
	if out, code := c.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		c.t.Fatalf("the plan after apply is not empty (exit %d):\n%s", code, out)
	}
}

// fmtClean checks that the CLI's formatter would change nothing.
func (c *cli) fmtClean() {
	c.t.Helper()
	if out, code := c.run("fmt", "-check", "-diff", "-recursive"); code != 0 {
		c.t.Fatalf("the export is not fmt-clean (exit %d):\n%s", code, out)
	}
}

// runExport runs the command into the CLI's directory, reading its state with the
// pinned CLI, never another one.
func (c *cli) runExport(srv *openhexatest.Server, token string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	c.t.Setenv("TF_CLI_CONFIG_FILE", c.config)
	c.t.Setenv("CHECKPOINT_DISABLE", "1")
	return runExport(c.t, srv, token, slices.Concat(args, []string{"-dir", c.dir, "-cli", c.path})...)
}

// export runs the command into the CLI's directory (runExport), checks that it
// succeeds and that its output holds no secret value, and returns its standard error.
func (c *cli) export(srv *openhexatest.Server, token string, secrets []string, args ...string) string {
	c.t.Helper()
	stdout, stderr, code := c.runExport(srv, token, args...)
	if code != 0 {
		c.t.Fatalf("export failed (%d):\n%s", code, stderr)
	}
	c.t.Logf("export:\n%s", stderr)
	files := readDir(c.t, c.dir)
	for name := range files {
		// The secret values' file, and the state of sensitive attributes, hold them by design.
		if strings.HasPrefix(name, "secrets.") || strings.HasPrefix(name, "terraform.tfstate") {
			delete(files, name)
		}
	}
	files["stdout"], files["stderr"] = stdout, stderr
	assertNoSecret(c.t, secrets, files)
	return stderr
}

// TestAccExportSensitiveWithSecretValues: a workspace with a connection of every
// kind, exported with sensitive attributes and -write-secret-values, imports with
// "N to import, 0 to add, 0 to change, 0 to destroy"; apply writes nothing to
// OpenHEXA, and the next plan is empty.
func TestAccExportSensitiveWithSecretValues(t *testing.T) {
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	c := newCLI(t, srv, openhexatest.TokenEditor)
	c.export(srv, openhexatest.TokenEditor, seed.Secrets, "-workspace", openhexatest.WorkspaceMain, "-write-secret-values")
	c.fmtClean()
	c.wantPlanImportsOnly(seed.Connections)
	srv.ResetRequests()
	c.applyThenEmptyPlan()
	assertNoWrites(t, srv)
}

// TestAccExportWriteOnly: exported with -write-only (ephemeral variables fed from
// secrets.auto.tfvars, import IDs ending in "#write-only"), the first plan imports
// every connection with no change; that apply sends nothing to OpenHEXA and leaves
// no secret in state; the next plan is empty.
func TestAccExportWriteOnly(t *testing.T) {
	if v := acctest.CLIVersion(); v != nil && v.LessThan(version.Must(version.NewVersion("1.11.0"))) {
		t.Skipf("ephemeral variables and write-only attributes need Terraform or OpenTofu 1.11; the CLI is %s", v)
	}
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.export(srv, openhexatest.TokenAdmin, seed.Secrets, "-workspace", openhexatest.WorkspaceMain, "-write-only", "-write-secret-values")
	c.fmtClean()
	c.wantPlanImportsOnly(seed.Connections)
	srv.ResetRequests()
	c.applyThenEmptyPlan()
	assertNoWrites(t, srv)
	state, err := os.ReadFile(filepath.Join(c.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, seed.Secrets, map[string]string{"terraform.tfstate": string(state), "terraform.tfstate (JSON-escaped)": strings.ReplaceAll(string(state), `\"`, `"`)})
}

// TestAccExportTwoWorkspacesWithTheSameSlugs: every workspace the token sees
// (-all-workspaces), two of them holding connections with the same slugs, get
// distinct labels and variables; the plan imports all of them with no change.
func TestAccExportTwoWorkspacesWithTheSameSlugs(t *testing.T) {
	srv := openhexatest.Start(t)
	const copyWS = "malaria-copy"
	srv.AddWorkspace(copyWS, "Malaria (copie)")
	srv.AddMember(copyWS, openhexatest.TokenAdmin, openhexatest.RoleAdmin)
	main := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	other := seedEveryKind(t, srv, copyWS, "copy")
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.export(srv, openhexatest.TokenAdmin, append(main.Secrets, other.Secrets...), "-all-workspaces", "-write-secret-values")
	c.fmtClean()
	files := readDir(t, c.dir)
	if _, ok := files[openhexatest.WorkspaceOther+".tf"]; ok {
		t.Errorf("a file for %s, which has no connection", openhexatest.WorkspaceOther)
	}
	for _, name := range []string{openhexatest.WorkspaceMain + ".tf", copyWS + ".tf"} {
		if _, ok := files[name]; !ok {
			t.Errorf("no %s among %v", name, keys(files))
		}
	}
	if !strings.Contains(files[copyWS+".tf"], `"openhexa_custom_connection" "malaria-copy_3rd_party-api"`) {
		t.Errorf("the copy's custom connection is not labelled with its workspace:\n%s", files[copyWS+".tf"])
	}
	c.wantPlanImportsOnly(main.Connections + other.Connections)
	srv.ResetRequests()
	c.applyThenEmptyPlan()
	assertNoWrites(t, srv)
}

func assertNoWrites(t *testing.T, srv *openhexatest.Server) {
	t.Helper()
	for _, op := range []string{"CreateConnection", "UpdateConnection", "DeleteConnection"} {
		if n := srv.RequestCount(op); n != 0 {
			t.Errorf("the apply sent %d %s", n, op)
		}
	}
}

// TestAccExportBesideTheUsersFiles: a root module with the user's variables.tf,
// providers.tf (requiring the provider) and <workspace>.tf: the export leaves them
// byte for byte and writes its own files beside them, which the CLI accepts with
// the user's: the plan imports every connection with no change.
func TestAccExportBesideTheUsersFiles(t *testing.T) {
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	mine := map[string]string{
		"providers.tf":                     "terraform {\n  required_providers {\n    openhexa = {\n      source = \"registry.opentofu.org/blsq/openhexa\"\n    }\n  }\n}\n\nprovider \"openhexa\" {}\n",
		"variables.tf":                     "variable \"region\" {\n  type    = string\n  default = \"eu\"\n}\n",
		openhexatest.WorkspaceMain + ".tf": "output \"region\" {\n  value = var.region\n}\n",
	}
	for name, content := range mine {
		if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c.export(srv, openhexatest.TokenAdmin, seed.Secrets, "-workspace", openhexatest.WorkspaceMain, "-write-secret-values")
	files := readDir(t, c.dir)
	for name, content := range mine {
		if files[name] != content {
			t.Errorf("%s was changed", name)
		}
	}
	c.wantPlanImportsOnly(seed.Connections)
	c.applyThenEmptyPlan()
	for name, content := range mine {
		if got := readDir(t, c.dir)[name]; got != content {
			t.Errorf("%s was changed", name)
		}
	}
}

// TestAccExportWithAViewerTokenTellsTheTruth: what a VIEWER's export says the
// first plan shows is what it shows. Without values for the secrets it could not
// read, plan stops; with them, it imports every connection and changes those whose
// secrets it could not read; applying that fails with the viewer's token and goes
// through with an editor's, after which the plan is empty.
func TestAccExportWithAViewerTokenTellsTheTruth(t *testing.T) {
	for _, writeOnly := range []string{"-write-only=false", "-write-only"} {
		t.Run(writeOnly, func(t *testing.T) {
			if v := acctest.CLIVersion(); writeOnly == "-write-only" && v != nil && v.LessThan(version.Must(version.NewVersion("1.11.0"))) {
				t.Skipf("write-only attributes need Terraform or OpenTofu 1.11; the CLI is %s", v)
			}
			viewerRoundTrip(t, writeOnly)
		})
	}
}

func viewerRoundTrip(t *testing.T, writeOnly string) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	c := newCLI(t, srv, openhexatest.TokenViewer)
	_, stderr, code := runExport(t, srv, openhexatest.TokenViewer, "-workspace", openhexatest.WorkspaceMain, "-dir", c.dir, "-write-secret-values", writeOnly)
	if code != 0 {
		t.Fatalf("export failed (%d): %s", code, stderr)
	}
	t.Logf("export:\n%s", stderr)
	predicted := regexp.MustCompile(`with this token: (\d+ to import, 0 to add, \d+ to change, 0 to destroy)`).FindStringSubmatch(stderr)
	if predicted == nil || !strings.Contains(stderr, "ADMIN or EDITOR") || !strings.Contains(stderr, "plan stops and asks for them") {
		t.Fatalf("the summary does not say what the first plan shows, nor what applying needs:\n%s", stderr)
	}
	if out, code := c.run("plan", "-input=false", "-no-color"); code == 0 || !strings.Contains(out, "No value for required variable") {
		t.Errorf("plan without the variables: exit %d\n%s", code, out)
	}
	// The values OpenHEXA holds, which an editor could read.
	for _, ws := range []string{openhexatest.WorkspaceMain} {
		for _, slug := range []string{"entrepot", "replica", "dhis2-national", "iaso", "s3-archive", "s3-public", "gcs-exports", "3rd_party-api"} {
			stored, _ := srv.ConnectionBySlug(ws, slug)
			for _, f := range stored.Fields {
				if f.Secret {
					c.env = append(c.env, "TF_VAR_"+export.VariableName(ws, slug, f.Code)+"="+f.Value)
				}
			}
		}
	}
	if got := c.planCounts(); got != "Plan: "+predicted[1]+"." {
		t.Errorf("plan: %q; the export said %q", got, predicted[1])
	}
	if out, code := c.run("apply", "-auto-approve", "-input=false", "-no-color"); code == 0 {
		t.Errorf("apply with the viewer's token went through:\n%s", out)
	}
	c.env = append(c.env, "OPENHEXA_TOKEN="+openhexatest.TokenEditor)
	c.applyThenEmptyPlan()
}
