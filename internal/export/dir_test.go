package export_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// writeFiles writes the user's files into dir (names may hold a subdirectory).
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExportSkipsWhatTheDirectoryDeclares: a connection is declared by an import
// block's id (slug or UUID form), by a resource block's literal slug, or without
// slug by its literal name in the workspace given literally or by the provider;
// those are skipped, named in the summary with the block, and the rest exported.
func TestExportSkipsWhatTheDirectoryDeclares(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	iaso, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "iaso")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"mine.tf": `
provider "openhexa" {
  workspace = "` + openhexatest.WorkspaceMain + `"
}
import {
  to = openhexa_postgres_connection.warehouse
  id = "` + openhexatest.WorkspaceMain + `/entrepot"
}
import {
  to = openhexa_iaso_connection.iaso
  id = "` + iaso.ID + `"
}
resource "openhexa_postgres_connection" "replica" {
  workspace = "` + openhexatest.WorkspaceMain + `"
  name      = "Réplica"
  slug      = "replica"
  host      = "replica.example.org"
}
resource "openhexa_dhis2_connection" "national" {
  name = "DHIS2 national"
  url  = "https://play.dhis2.example.org"
}
resource "openhexa_s3_connection" "archive" {
  workspace = "another-workspace"
  name      = "S3 archive"
}
`})
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir)
	if code != 0 {
		t.Fatalf("export failed (%d): %s", code, stderr)
	}
	for _, want := range []string{
		"skipped " + openhexatest.WorkspaceMain + "/entrepot: declared by an import block with its id (mine.tf:5)",
		"skipped " + openhexatest.WorkspaceMain + "/iaso: declared by an import block with its id (mine.tf:9)",
		"skipped " + openhexatest.WorkspaceMain + "/replica: declared by openhexa_postgres_connection.replica with its slug (mine.tf:13)",
		"skipped " + openhexatest.WorkspaceMain + "/dhis2-national: declared by openhexa_dhis2_connection.national with its name and no slug (mine.tf:19)",
		"4 new connections",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stderr)
		}
	}
	ws := readDir(t, dir)[openhexatest.WorkspaceMain+".tf"]
	for slug, want := range map[string]bool{"entrepot": false, "iaso": false, "replica": false, "dhis2-national": false,
		"s3-archive": true, "s3-public": true, "gcs-exports": true, "3rd_party-api": true} {
		stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, slug)
		if got := strings.Contains(ws, `id = "`+openhexatest.WorkspaceMain+"/"+stored.ID+`"`); got != want {
			t.Errorf("%s exported: %v, want %v", slug, got, want)
		}
	}
}

// TestExportRefusesUndeterminedBlocks: a connection block whose target only
// evaluation can tell (for_each, a slug from a variable, a JSON file) stops the
// run, naming each block, and nothing is written; -allow-undetermined goes on.
func TestExportRefusesUndeterminedBlocks(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir := t.TempDir()
	mine := map[string]string{
		"many.tf": `resource "openhexa_postgres_connection" "many" {
  for_each  = toset(["a", "b"])
  workspace = "` + openhexatest.WorkspaceMain + `"
  name      = each.key
}
resource "openhexa_dhis2_connection" "dyn" {
  workspace = "` + openhexatest.WorkspaceMain + `"
  name      = "x"
  slug      = var.slug
}
`,
		"gen.tf.json": `{"resource": {"openhexa_s3_connection": {"x": {"name": "x"}}}}`,
	}
	writeFiles(t, dir, mine)
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stderr)
	}
	for _, want := range []string{"many.tf:1: resource openhexa_postgres_connection.many (it has for_each)",
		"many.tf:6: resource openhexa_dhis2_connection.dyn (its slug is an expression)", "gen.tf.json", "-allow-undetermined",
		"Nothing was written"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the error lacks %q:\n%s", want, stderr)
		}
	}
	if files := readDir(t, dir); len(files) != len(mine) {
		t.Errorf("files written: %v", keys(files))
	}
	_, stderr, code = runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-allow-undetermined")
	if code != 0 || !strings.Contains(stderr, "8 new connections") {
		t.Errorf("with -allow-undetermined: exit %d\n%s", code, stderr)
	}
}

// TestExportRefusesALabelTakenByAnotherConnection: the address a connection would
// get is used in the directory by a block of another connection: that connection
// is not exported, both are named, the others are, and the status is 1.
func TestExportRefusesALabelTakenByAnotherConnection(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"mine.tf": `resource "openhexa_postgres_connection" "` + openhexatest.WorkspaceMain + `_replica" {
  workspace = "` + openhexatest.WorkspaceMain + `"
  name      = "Another one"
  slug      = "another"
}
variable "` + export.VariableName(openhexatest.WorkspaceMain, "iaso", "password") + `" {
  type = string
}
`})
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stderr)
	}
	for _, want := range []string{
		"NOT exported " + openhexatest.WorkspaceMain + "/replica: its address openhexa_postgres_connection." + openhexatest.WorkspaceMain + "_replica is already used in mine.tf:1",
		"NOT exported " + openhexatest.WorkspaceMain + "/iaso: the variable " + export.VariableName(openhexatest.WorkspaceMain, "iaso", "password"),
		"6 new connections", "2 connections NOT exported",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stderr)
		}
	}
}

// TestExportAsksGitWhetherSecretsAreIgnored: in a git work tree whose .gitignore
// ignores *.tfvars but not *.auto.tfvars, the export appends an entry, and git
// status does not list the secret values.
func TestExportAsksGitWhetherSecretsAreIgnored(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	repo := t.TempDir()
	git := gitIn(t, repo)
	git("init", "-q")
	dir := filepath.Join(repo, "infra")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, repo, map[string]string{".gitignore": "*.tfvars\n!*.auto.tfvars\n"})
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-write-secret-values")
	if code != 0 {
		t.Fatal(stderr)
	}
	status := git("status", "--porcelain", "--untracked-files=all")
	if strings.Contains(status, "secrets.auto.tfvars") {
		t.Errorf("git status lists the secret values:\n%s", status)
	}
	if !strings.Contains(stderr, "git ignores it (git check-ignore)") {
		t.Errorf("the summary does not say git ignores it:\n%s", stderr)
	}
	if got := readDir(t, dir)[".gitignore"]; got != "# Secret values written by terraform-provider-openhexa export, and the copies "+
		"it makes while writing.\n/secrets.auto.tfvars\n/.secrets.auto.tfvars.*\n" {
		t.Errorf("infra/.gitignore = %q", got)
	}
	assertNoSecret(t, seed.Secrets, map[string]string{"git status": status})

	// Ignored already, copies included (the repository's .gitignore says so): nothing appended.
	writeFiles(t, repo, map[string]string{".gitignore": "*.tfvars*\n"})
	dir2 := filepath.Join(repo, "infra2")
	_, stderr, code = runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir2, "-write-secret-values")
	if code != 0 {
		t.Fatal(stderr)
	}
	if _, ok := readDir(t, dir2)[".gitignore"]; ok {
		t.Error("a .gitignore written although git ignores the file already")
	}
}

// TestExportNeverReplacesASymbolicLink: a workspace file and a .gitignore that are
// symbolic links are read, never replaced; the summary warns that the secret values
// are not kept out of git.
func TestExportNeverReplacesASymbolicLink(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir, elsewhere := t.TempDir(), t.TempDir()
	writeFiles(t, elsewhere, map[string]string{"ws.tf": "# shared\n", "gitignore": ".terraform/\n"})
	for link, target := range map[string]string{openhexatest.WorkspaceMain + ".tf": "ws.tf", ".gitignore": "gitignore"} {
		if err := os.Symlink(filepath.Join(elsewhere, target), filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-write-secret-values")
	if code != 0 {
		t.Fatal(stderr)
	}
	for link := range map[string]bool{openhexatest.WorkspaceMain + ".tf": true, ".gitignore": true} {
		if info, err := os.Lstat(filepath.Join(dir, link)); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", link)
		}
	}
	if got := readDir(t, elsewhere); got["ws.tf"] != "# shared\n" || got["gitignore"] != ".terraform/\n" {
		t.Errorf("the link targets changed: %q", got)
	}
	if !strings.Contains(stderr, openhexatest.WorkspaceMain+".2.tf") || !strings.Contains(stderr, "WARNING") {
		t.Errorf("the summary does not name the new file or warn about git:\n%s", stderr)
	}
}

// TestExportOfAMissingRequiredSecret: a PostgreSQL connection without a password
// field: its variable is declared, the summary says OpenHEXA holds no such field
// (not that the token could not read it), and the first plan's change is announced.
func TestExportOfAMissingRequiredSecret(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "No password", Slug: "nopw",
		Type: openhexatest.TypePostgreSQL, CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
			{Code: "host", Value: "h"}, {Code: "port", Value: "5432"}, {Code: "db_name", Value: "d"}, {Code: "username", Value: "u"}}})
	dir := t.TempDir()
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-write-secret-values")
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(stderr, "1 required secret field OpenHEXA does not hold") || strings.Contains(stderr, "could not be read") ||
		!strings.Contains(stderr, "0 to add, 1 to change") {
		t.Errorf("summary:\n%s", stderr)
	}
	if _, ok := readDir(t, dir)["secrets.auto.tfvars"]; ok {
		t.Error("secrets.auto.tfvars written with no value to hold")
	}
}
