package export_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// The acceptance tests of issue 24: the exporter knows a connection by its UUID,
// as the state holds it, never by a slug or name anyone can change in the web app.
// Each step asserts what OpenHEXA and the directory hold.

const ws = openhexatest.WorkspaceMain

// tryExport runs the export into the CLI's directory and returns its standard
// error and exit status.
func (c *cli) tryExport(srv *openhexatest.Server, token string, args ...string) (string, int) {
	c.t.Helper()
	_, stderr, code := c.runExport(srv, token, args...)
	c.t.Logf("export (exit %d):\n%s", code, stderr)
	return stderr, code
}

// write puts the user's files into the configuration directory.
func (c *cli) write(files map[string]string) {
	c.t.Helper()
	writeFiles(c.t, c.dir, files)
}

// mustRun runs the CLI and fails the test unless it succeeds.
func (c *cli) mustRun(args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("%v failed (%d):\n%s", args, code, out)
	}
	return out
}

var anyPlanSummary = regexp.MustCompile(`Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\.`)

// planWithoutImports checks that the plan imports nothing, adds and destroys
// nothing, and changes n connections (each named in changing, by address).
func (c *cli) planWithoutImports(n int, changing ...string) {
	c.t.Helper()
	out, code := c.run("plan", "-input=false", "-no-color")
	if code != 0 {
		c.t.Fatalf("plan failed (%d):\n%s", code, out)
	}
	m := anyPlanSummary.FindStringSubmatch(out)
	if n == 0 {
		if m != nil || !strings.Contains(out, "No changes.") {
			c.t.Fatalf("plan is not empty:\n%s", out)
		}
		return
	}
	if m == nil || (m[1] != "" && m[1] != "0") || m[2] != "0" || m[3] != fmt.Sprint(n) || m[4] != "0" {
		c.t.Fatalf("plan: want 0 imports, 0 to add, %d to change, 0 to destroy:\n%s", n, out)
	}
	for _, address := range changing {
		if !strings.Contains(out, "# "+address+" will be updated in-place") {
			c.t.Errorf("the plan does not update %s:\n%s", address, out)
		}
	}
}

// rootImports counts the import blocks of the root module's configuration files.
func rootImports(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	for name, content := range readDir(t, dir) {
		if strings.HasSuffix(name, ".tf") {
			n += strings.Count(content, "import {")
		}
	}
	return n
}

// wantSlugs checks that OpenHEXA holds exactly these slugs in the workspace ws.
func wantSlugs(t *testing.T, srv *openhexatest.Server, slugs ...string) {
	t.Helper()
	var got []string
	for _, c := range srv.Connections(ws) {
		got = append(got, c.Slug)
	}
	sort.Strings(got)
	sort.Strings(slugs)
	if strings.Join(got, ",") != strings.Join(slugs, ",") {
		t.Fatalf("OpenHEXA holds %v in %s, want %v", got, ws, slugs)
	}
}

// wantUnchanged checks that the directory's files (state aside) are as they were.
func wantUnchanged(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	if after := withoutState(readDir(t, dir)); !equalFiles(after, withoutState(before)) {
		t.Fatalf("the directory changed: %v, was %v", keys(after), keys(withoutState(before)))
	}
}

// dhis2 is a DHIS2 connection of the workspace ws.
func dhis2(slug, name, password string) openhexatest.StoredConnection {
	return openhexatest.StoredConnection{Workspace: ws, Name: name, Slug: slug, Type: openhexatest.TypeDHIS2,
		CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
			{Code: "url", Value: "https://" + slug + ".example.org"}, {Code: "username", Value: "u"},
			{Code: "password", Value: password, Secret: true}}}
}

// providerFile requires the provider from the dev override and sets the workspace.
const providerFile = `terraform {
  required_providers {
    openhexa = {
      source = "blsq/openhexa"
    }
  }
}

provider "openhexa" {
  workspace = "` + ws + `"
}
`

// TestAccExportSlugChangedAfterApply (issue 24, case 1): an export applied, then a
// slug changed in the web app; the next export declares nothing (the state holds
// the UUID), and the plan only puts the slug back. An earlier export's import block
// by slug, not applied, whose slug changed since, is named and stops the run; once
// it imports by UUID, it declares its connection.
func TestAccExportSlugChangedAfterApply(t *testing.T) {
	srv := openhexatest.Start(t)
	national := srv.CreateStored(dhis2("national", "DHIS2 national", "pw-national-marker"))
	srv.CreateStored(dhis2("regional", "DHIS2 regional", "pw-regional-marker"))
	secrets := []string{"pw-national-marker", "pw-regional-marker", "pw-fresh-marker"}
	c := newCLI(t, srv, openhexatest.TokenAdmin)

	c.export(srv, openhexatest.TokenAdmin, secrets, "-workspace", ws, "-write-secret-values")
	c.wantPlanImportsOnly(2)
	c.applyThenEmptyPlan()
	wantSlugs(t, srv, "national", "regional")
	if n := rootImports(t, c.dir); n != 2 {
		t.Fatalf("%d import blocks after the first export, want 2", n)
	}
	first := readDir(t, c.dir)

	// The slug changes in the web app.
	srv.ModifyStored(national.ID, func(s *openhexatest.StoredConnection) { s.Slug = "national-2024" })
	stderr, code := c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws, "-write-secret-values")
	if code != 0 {
		t.Fatalf("export failed (%d)", code)
	}
	if !strings.Contains(stderr, "skipped "+ws+"/national-2024: managed in the state") {
		t.Errorf("the summary does not say the renamed connection is managed in the state:\n%s", stderr)
	}
	wantUnchanged(t, c.dir, first)
	c.planWithoutImports(1, "openhexa_dhis2_connection."+export.ResourceLabel(ws, "national"))
	wantSlugs(t, srv, "national-2024", "regional")

	// An import block by slug that an earlier export wrote, never applied; the
	// connection's slug changes before the apply.
	fresh := srv.CreateStored(dhis2("fresh", "Fresh", "pw-fresh-marker"))
	earlier := `import {
  to = openhexa_dhis2_connection.fresh
  id = "` + ws + `/fresh"
}

resource "openhexa_dhis2_connection" "fresh" {
  workspace = "` + ws + `"
  name      = "Fresh"
  slug      = "fresh"
  url       = "https://fresh.example.org"
  username  = "u"
  password  = "pw"
}
`
	c.write(map[string]string{"earlier.tf": earlier})
	srv.ModifyStored(fresh.ID, func(s *openhexatest.StoredConnection) { s.Slug = "fresh-2024" })
	before := readDir(t, c.dir)
	stderr, code = c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws, "-write-secret-values")
	if code != 1 {
		t.Fatalf("export with a stale import block: exit %d, want 1", code)
	}
	for _, want := range []string{"earlier.tf:1", `"` + ws + `/fresh"`, "Nothing was written"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the error lacks %q:\n%s", want, stderr)
		}
	}
	wantUnchanged(t, c.dir, before)
	wantSlugs(t, srv, "national-2024", "regional", "fresh-2024")

	// Fixed to import by UUID: it declares the connection, and the plan imports it once.
	c.write(map[string]string{"earlier.tf": strings.Replace(strings.Replace(earlier, ws+"/fresh", ws+"/"+fresh.ID, 1),
		`slug      = "fresh"`, `slug      = "fresh-2024"`, 1)})
	before = readDir(t, c.dir)
	stderr, code = c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws, "-write-secret-values")
	if code != 0 || !strings.Contains(stderr, "skipped "+ws+"/fresh-2024: declared by an import block") {
		t.Fatalf("export after the fix: exit %d", code)
	}
	wantUnchanged(t, c.dir, before)
	out := c.mustRun("plan", "-input=false", "-no-color")
	if m := anyPlanSummary.FindStringSubmatch(out); m == nil || m[1] != "1" || m[2] != "0" || m[4] != "0" {
		t.Fatalf("plan after the fix:\n%s", out)
	}
}

// TestAccExportRenamedSluglessResource (issue 24, case 2): a connection created by
// a block without slug, renamed in the web app, is not declared again (the state
// holds its UUID), and the plan only puts the name back. A block without slug not
// applied yet, whose name derives a connection's slug, declares that connection.
func TestAccExportRenamedSluglessResource(t *testing.T) {
	srv := openhexatest.Start(t)
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.write(map[string]string{"main.tf": providerFile + `
resource "openhexa_custom_connection" "sms" {
  name   = "SMS gateway"
  fields = { url = "https://sms.example.org" }
}
`})
	c.applyThenEmptyPlan()
	wantSlugs(t, srv, "sms-gateway")
	sms, _ := srv.ConnectionBySlug(ws, "sms-gateway")
	srv.ModifyStored(sms.ID, func(s *openhexatest.StoredConnection) { s.Name = "SMS gateway (prod)" })
	before := readDir(t, c.dir)

	stderr, code := c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws)
	if code != 0 || !strings.Contains(stderr, "skipped "+ws+"/sms-gateway: managed in the state") {
		t.Fatalf("export: exit %d; want the renamed connection skipped as managed in the state", code)
	}
	wantUnchanged(t, c.dir, before)
	c.planWithoutImports(1, "openhexa_custom_connection.sms")
	wantSlugs(t, srv, "sms-gateway")
	if got, _ := srv.Connection(sms.ID); got.Name != "SMS gateway (prod)" {
		t.Errorf("name %q", got.Name)
	}

	// Not applied yet: the block's name derives the slug of a connection renamed since.
	srv.CreateStored(openhexatest.StoredConnection{Workspace: ws, Name: "Partner API (v2)", Slug: "partner-api",
		Type: openhexatest.TypeCustom, CreatedBy: openhexatest.EmailAdmin,
		Fields: []openhexatest.Field{{Code: "url", Value: "https://partner.example.org"}}})
	c.write(map[string]string{"partner.tf": `resource "openhexa_custom_connection" "partner" {
  name = "Partner API"
}
`})
	before = readDir(t, c.dir)
	stderr, code = c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws)
	if code != 0 || !strings.Contains(stderr, "skipped "+ws+"/partner-api: declared by openhexa_custom_connection.partner") {
		t.Fatalf("export: exit %d; want partner-api skipped as declared by the block whose name derives its slug", code)
	}
	wantUnchanged(t, c.dir, before)
	wantSlugs(t, srv, "sms-gateway", "partner-api")
}

// TestAccExportBesideALocalModule (issue 24, case 3): connections managed by a local
// module, one created by its apply, one declared by its literal slug and not applied
// yet, are not declared again at the root; the others are exported, imported once.
func TestAccExportBesideALocalModule(t *testing.T) {
	srv := openhexatest.Start(t)
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.write(map[string]string{
		"main.tf": providerFile + `
module "conns" {
  source = "./conns"
}
`,
		"conns/main.tf": `terraform {
  required_providers {
    openhexa = {
      source = "blsq/openhexa"
    }
  }
}

resource "openhexa_dhis2_connection" "made" {
  name     = "Made by the module"
  url      = "https://made.example.org"
  username = "u"
  password = "pw-made-marker"
}
`})
	c.mustRun("get")
	c.applyThenEmptyPlan()
	wantSlugs(t, srv, "made-by-the-module")

	srv.CreateStored(dhis2("existing", "Existing", "pw-existing-marker"))
	srv.CreateStored(dhis2("other", "Other", "pw-other-marker"))
	c.write(map[string]string{"conns/existing.tf": `resource "openhexa_dhis2_connection" "existing" {
  name     = "Existing"
  slug     = "existing"
  url      = "https://existing.example.org"
  username = "u"
  password = "pw-existing-marker"
}
`})
	stderr := c.export(srv, openhexatest.TokenAdmin, []string{"pw-made-marker", "pw-existing-marker", "pw-other-marker"},
		"-workspace", ws)
	files := readDir(t, c.dir)
	for _, want := range []string{"skipped " + ws + "/made-by-the-module: managed in the state (module.conns.openhexa_dhis2_connection.made)",
		"skipped " + ws + "/existing: declared by module.conns.openhexa_dhis2_connection.existing with its slug (conns/existing.tf:1)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	if n := rootImports(t, c.dir); n != 1 || !strings.Contains(files[ws+".tf"], "# "+ws+"/other") {
		t.Fatalf("%d import blocks at the root, want only other's:\n%s", n, files[ws+".tf"])
	}
	// The user decides the unapplied block was a mistake; the plan imports other alone.
	if err := os.Remove(filepath.Join(c.dir, "conns", "existing.tf")); err != nil {
		t.Fatal(err)
	}
	c.mustRun("plan", "-input=false", "-no-color", "-var", export.VariableName(ws, "other", "password")+"=pw-other-marker", "-out", "tfplan")
	c.mustRun("apply", "-input=false", "-no-color", "tfplan")
	wantSlugs(t, srv, "made-by-the-module", "existing", "other")
	out := c.mustRun("state", "list")
	if strings.Count(out, "openhexa_dhis2_connection.") != 2 {
		t.Errorf("state:\n%s", out)
	}
}

// TestAccExportSecretsNeverIntoATrackedFile (issue 24, case 4): the .gitignore entry
// covers the secret values' file and its temporary and backup copies; once git
// tracks the file, the export stops naming it and writes nothing; leftovers of a
// killed run are removed; git status never offers a secret value.
func TestAccExportSecretsNeverIntoATrackedFile(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	srv := openhexatest.Start(t)
	srv.CreateStored(dhis2("national", "DHIS2 national", "pw-national-marker"))
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	git := gitIn(t, c.dir)
	ignored := func(name string) bool {
		cmd := exec.Command("git", "-C", c.dir, "check-ignore", "-q", "--no-index", "--", name)
		cmd.Env = gitEnv()
		return cmd.Run() == nil
	}
	git("init", "-q")
	secrets := []string{"pw-national-marker", "pw-new-marker"}

	c.export(srv, openhexatest.TokenAdmin, secrets, "-workspace", ws, "-write-secret-values")
	for _, name := range []string{"secrets.auto.tfvars", ".secrets.auto.tfvars.tmp-1234", ".secrets.auto.tfvars.backup-1234"} {
		if !ignored(name) {
			t.Errorf("git does not ignore %s; .gitignore:\n%s", name, readDir(t, c.dir)[".gitignore"])
		}
	}
	c.wantPlanImportsOnly(1)
	c.applyThenEmptyPlan()
	wantSlugs(t, srv, "national")

	// Tracked once with `git add -f`: the next export must not write a secret into it.
	git("add", "-f", "secrets.auto.tfvars")
	git("add", ".gitignore", ws+".tf", "variables.tf", "providers.tf")
	git("commit", "-q", "-m", "export")
	srv.CreateStored(dhis2("new", "New", "pw-new-marker"))
	before := readDir(t, c.dir)
	stderr, code := c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws, "-write-secret-values")
	if code != 1 {
		t.Fatalf("export into a tracked secrets file: exit %d, want 1", code)
	}
	for _, want := range []string{"secrets.auto.tfvars", "git ls-files", "Nothing was written"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the error lacks %q:\n%s", want, stderr)
		}
	}
	wantUnchanged(t, c.dir, before)
	if status := git("status", "--porcelain", "--untracked-files=all"); strings.Contains(status, "secrets") {
		t.Errorf("git status lists secret values:\n%s", status)
	}

	// Untracked again; a killed run left copies of the files it was writing.
	git("rm", "-q", "--cached", "secrets.auto.tfvars")
	git("commit", "-q", "-m", "untrack the secret values")
	leftovers := map[string]string{".secrets.auto.tfvars.tmp-4242": "x = \"pw-national-marker\"\n", ".variables.tf.backup-4243": "# old\n"}
	c.write(leftovers)
	stderr = c.export(srv, openhexatest.TokenAdmin, secrets, "-workspace", ws, "-write-secret-values")
	files := readDir(t, c.dir)
	for name := range leftovers {
		if _, ok := files[name]; ok {
			t.Errorf("the leftover %s is still there", name)
		}
		if !strings.Contains(stderr, name) {
			t.Errorf("the summary does not name the leftover %s it removed", name)
		}
	}
	if !strings.Contains(files["secrets.auto.tfvars"], "pw-new-marker") {
		t.Errorf("the new secret value is not in secrets.auto.tfvars")
	}
	status := git("status", "--porcelain", "--untracked-files=all")
	if strings.Contains(status, "secrets") {
		t.Errorf("git status lists secret values:\n%s", status)
	}
	assertNoSecret(t, secrets, map[string]string{"git status": status, "git diff": git("diff")})
	c.wantPlanImportsOnly(1)
	c.applyThenEmptyPlan()
	wantSlugs(t, srv, "national", "new")
}

// blockingAPI holds a run inside its listing of connections until released.
type blockingAPI struct {
	export.API
	reached, release chan struct{}
}

func (b *blockingAPI) WorkspaceConnections(ctx context.Context, workspace string) ([]openhexa.Connection, error) {
	close(b.reached)
	<-b.release
	return b.API.WorkspaceConnections(ctx, workspace)
}

// TestAccExportOneRunAtATime (issue 24, case 5): while a run is under way, a second
// one into the same directory fails at once, saying so, and changes nothing; the
// first then finishes and its plan imports each connection once. A lock file left
// by a killed run is named with its age and stops the run until removed.
func TestAccExportOneRunAtATime(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.CreateStored(dhis2("national", "DHIS2 national", "pw-national-marker"))
	srv.CreateStored(dhis2("regional", "DHIS2 regional", "pw-regional-marker"))
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	client, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: openhexatest.TokenAdmin})
	if err != nil {
		t.Fatal(err)
	}
	api := &blockingAPI{API: client, reached: make(chan struct{}), release: make(chan struct{})}
	opts := export.Options{Workspaces: []string{ws}, Dir: c.dir, WriteSecretValues: true, Source: export.DefaultSource,
		CLI: c.path, Getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	go func() {
		_, err := export.Run(context.Background(), api, opts)
		done <- err
	}()
	select {
	case <-api.reached:
	case err := <-done:
		t.Fatalf("the first run ended before listing connections: %v", err)
	}
	before := readDir(t, c.dir)
	stderr, code := c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws, "-write-secret-values")
	if code != 1 || !strings.Contains(stderr, "another export") {
		close(api.release)
		if err := <-done; err != nil {
			t.Logf("the first run: %v", err)
		}
		t.Fatalf("the second run: exit %d, want 1 saying another export is under way", code)
	}
	if after := readDir(t, c.dir); !equalFiles(after, before) {
		t.Errorf("the second run changed the directory: %v, was %v", keys(after), keys(before))
	}
	close(api.release)
	if err := <-done; err != nil {
		t.Fatalf("the first run: %v", err)
	}
	for name := range readDir(t, c.dir) {
		if strings.HasSuffix(name, ".lock") {
			t.Errorf("the lock file %s is left behind", name)
		}
	}
	c.wantPlanImportsOnly(2)
	c.applyThenEmptyPlan()
	wantSlugs(t, srv, "national", "regional")

	// A lock left by a run that was killed three hours ago.
	lock := filepath.Join(c.dir, ".terraform-provider-openhexa-export.lock")
	if err := os.WriteFile(lock, []byte("pid 4242 on host ci-runner\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	if err := os.Chtimes(lock, old, old); err != nil {
		t.Fatal(err)
	}
	before = readDir(t, c.dir)
	stderr, code = c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws)
	if code != 1 || !strings.Contains(stderr, ".terraform-provider-openhexa-export.lock") || !regexp.MustCompile(`\b3h\d*m? ago`).MatchString(stderr) {
		t.Fatalf("a stale lock: exit %d, want 1 naming the lock and its age", code)
	}
	wantUnchanged(t, c.dir, before)
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	before = readDir(t, c.dir)
	if _, code := c.tryExport(srv, openhexatest.TokenAdmin, "-workspace", ws); code != 0 {
		t.Fatalf("after removing the stale lock: exit %d", code)
	}
	wantUnchanged(t, c.dir, before)
}

// TestAccExportSummaryIsTheFirstPlan (issue 24, case 6): a VIEWER's export says what
// the first plan shows with its own token, and how many of those changes come only
// from the secrets it could not read; both plans show what it said: the viewer's,
// and an admin's, which sees the secrets (and so finds the public bucket's optional
// secret empty, which the viewer could not tell: the summary names it). The admin's
// apply then changes only what the export announced.
func TestAccExportSummaryIsTheFirstPlan(t *testing.T) {
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, ws, "main")
	// Two built-in secrets held without their secret flag: the first apply sets it.
	for _, slug := range []string{"flagless-a", "flagless-b"} {
		stored := dhis2(slug, "Flagless "+slug, "pw-"+slug)
		stored.Fields[2].Secret = false
		srv.CreateStored(stored)
	}
	// Empty secrets, which a viewer cannot tell from others.
	srv.CreateStored(dhis2("empty-password", "Empty password", ""))
	srv.CreateStored(openhexatest.StoredConnection{Workspace: ws, Name: "Empty custom secret", Slug: "empty-custom",
		Type: openhexatest.TypeCustom, CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
			{Code: "url", Value: "https://x.example.org"}, {Code: "token", Value: "", Secret: true}}})
	c := newCLI(t, srv, openhexatest.TokenViewer)
	stderr, code := c.tryExport(srv, openhexatest.TokenViewer, "-workspace", ws, "-write-secret-values")
	if code != 0 {
		t.Fatalf("export failed (%d)", code)
	}
	viewer := regexp.MustCompile(`with this token: (\d+ to import, 0 to add, \d+ to change, 0 to destroy)`).FindStringSubmatch(stderr)
	admin := regexp.MustCompile(`[Ww]ith an ADMIN or EDITOR token[^:]*: (\d+) to import, 0 to add, (\d+) to change, 0 to destroy` +
		`(?:, plus one change for each of these optional secrets that OpenHEXA holds empty[^:]*: ([^.]*))?\.`).FindStringSubmatch(stderr)
	if viewer == nil || admin == nil {
		t.Fatalf("the summary does not give the first plan with this token and with an ADMIN or EDITOR token:\n%s", stderr)
	}
	// The buckets' optional secrets, which the viewer cannot read: the public one's,
	// empty in OpenHEXA, is imported as null and set to "" (one more change).
	maybe := export.VariableName(ws, "s3-archive", "access_key_secret") + ", " + export.VariableName(ws, "s3-public", "access_key_secret")
	if admin[1] != fmt.Sprint(seed.Connections+4) || admin[2] != "2" || admin[3] != maybe {
		t.Errorf("the summary predicts %s imports and %s changes for an admin, plus one per empty secret of %q; "+
			"want %d, 2 and %q", admin[1], admin[2], admin[3], seed.Connections+4, maybe)
	}
	for _, stored := range srv.Connections(ws) {
		for _, f := range stored.Fields {
			if f.Secret {
				c.env = append(c.env, "TF_VAR_"+export.VariableName(ws, stored.Slug, f.Code)+"="+f.Value)
			}
		}
	}
	if got := c.planCounts(); got != "Plan: "+viewer[1]+"." {
		t.Errorf("the viewer's plan: %q; the export said %q", got, viewer[1])
	}
	c.env = append(c.env, "OPENHEXA_TOKEN="+openhexatest.TokenAdmin)
	c.wantPlanImports(seed.Connections+4, 3)
	c.applyThenEmptyPlan()
	for _, slug := range []string{"flagless-a", "flagless-b"} {
		stored, _ := srv.ConnectionBySlug(ws, slug)
		if f := stored.Fields[2]; f.Code != "password" || !f.Secret || f.Value != "pw-"+slug {
			t.Errorf("%s: password field %+v after the apply", slug, f)
		}
	}
	if n := len(srv.Connections(ws)); n != seed.Connections+4 {
		t.Errorf("OpenHEXA holds %d connections, want %d", n, seed.Connections+4)
	}
}

// TestAccExportFindsTheCLIAndItsWorkspace: without -cli, the export runs tofu from
// PATH (before terraform, here a program that fails), and reads the state of the
// selected CLI workspace, saying which; -cli-workspace reads another one's; a
// relative -cli is found from where the command runs.
func TestAccExportFindsTheCLIAndItsWorkspace(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.CreateStored(dhis2("national", "DHIS2 national", "pw-national-marker"))
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.export(srv, openhexatest.TokenAdmin, []string{"pw-national-marker"}, "-workspace", ws, "-write-secret-values")
	c.applyThenEmptyPlan()
	c.mustRun("workspace", "new", "staging")
	before := readDir(t, c.dir)

	bin := gitOnlyPath(t)
	if err := os.Symlink(c.path, filepath.Join(bin, "tofu")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "terraform"), []byte("#!/bin/sh\necho 'not this one' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_CLI_CONFIG_FILE", c.config)
	for _, tc := range []struct {
		args      []string
		workspace string
		skipped   string
	}{
		{nil, `CLI workspace "staging" (the selected one`, "declared by an import block"},
		{[]string{"-cli-workspace", "default"}, `CLI workspace "default" (given by -cli-workspace)`, "managed in the state"},
	} {
		_, stderr, code := runExportWithPath(t, srv, openhexatest.TokenAdmin, bin,
			append([]string{"-workspace", ws, "-dir", c.dir, "-write-secret-values"}, tc.args...)...)
		t.Logf("export %v (exit %d):\n%s", tc.args, code, stderr)
		if code != 0 || !strings.Contains(stderr, "State: `tofu state pull` ("+filepath.Join(bin, "tofu")+") of "+tc.workspace) ||
			!strings.Contains(stderr, "skipped "+ws+"/national: "+tc.skipped) {
			t.Errorf("export %v: exit %d; want the state of %s read with tofu from PATH, national %s", tc.args, code, tc.workspace, tc.skipped)
		}
		wantUnchanged(t, c.dir, before)
	}
	// A relative -cli is taken from where the command runs, not from -dir.
	t.Chdir(filepath.Dir(bin))
	_, stderr, code := runExportWithPath(t, srv, openhexatest.TokenAdmin, bin, "-workspace", ws, "-dir", c.dir,
		"-write-secret-values", "-cli", filepath.Join(filepath.Base(bin), "tofu"))
	if code != 0 || !strings.Contains(stderr, "skipped "+ws+"/national: declared by an import block") {
		t.Errorf("with -cli %s: exit %d\n%s", filepath.Join(filepath.Base(bin), "tofu"), code, stderr)
	}
	wantUnchanged(t, c.dir, before)
	wantSlugs(t, srv, "national")
}
