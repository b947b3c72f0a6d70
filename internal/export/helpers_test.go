package export_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// seeded is what seedEveryKind stored: how many connections, and the secret values
// (to look for where they must not be).
type seeded struct {
	Connections int
	Secrets     []string
}

// seedEveryKind stores a connection of every kind in a workspace, with what makes
// an export hard: accents in a name, quotes, newlines, ${ and %{ in a description
// and in values, a slug starting with a digit, default and non-default values, a
// public S3 bucket whose optional secret is empty. tag makes the secrets unique
// per workspace.
func seedEveryKind(t *testing.T, srv *openhexatest.Server, workspace, tag string) seeded {
	t.Helper()
	var markers []string
	secret := func(name string) string {
		// The marker has no character HCL escapes, so it shows even in an escaped copy.
		markers = append(markers, fmt.Sprintf("%s-%s-secret-marker", tag, name))
		return fmt.Sprintf(`%s-%s-secret-marker-"q"-${x}-%%{y}`, tag, name)
	}
	gcsKey := fmt.Sprintf("{\n  \"type\": \"service_account\",\n  \"client_email\": \"etl@project.iam.gserviceaccount.com\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n%s-gcs-key\\n-----END PRIVATE KEY-----\\n\"\n}\n", tag)
	conns := []openhexatest.StoredConnection{
		{Name: "Entrepôt de données", Slug: "entrepot", Type: openhexatest.TypePostgreSQL,
			Description: "Le \"grand\" entrepôt: ${var.nope} et %{ if true }x%{ endif }\nligne 2 \\ fin",
			Fields: []openhexatest.Field{{Code: "host", Value: "db.example.org"}, {Code: "port", Value: "5433"},
				{Code: "db_name", Value: "malaria"}, {Code: "username", Value: "reader"},
				{Code: "password", Value: secret("pg"), Secret: true}}},
		{Name: "Réplica", Slug: "replica", Type: openhexatest.TypePostgreSQL,
			Fields: []openhexatest.Field{{Code: "host", Value: "replica.example.org"}, {Code: "port", Value: "5432"},
				{Code: "db_name", Value: "malaria"}, {Code: "username", Value: "reader"},
				{Code: "password", Value: secret("replica"), Secret: true}}},
		{Name: "DHIS2 national", Slug: "dhis2-national", Type: openhexatest.TypeDHIS2,
			Fields: []openhexatest.Field{{Code: "url", Value: "https://play.dhis2.example.org"},
				{Code: "username", Value: "admin"}, {Code: "password", Value: secret("dhis2"), Secret: true}}},
		{Name: "IASO", Slug: "iaso", Type: openhexatest.TypeIASO,
			Fields: []openhexatest.Field{{Code: "url", Value: "https://iaso.example.org"},
				{Code: "username", Value: "iaso-user"}, {Code: "password", Value: secret("iaso"), Secret: true}}},
		{Name: "S3 archive", Slug: "s3-archive", Type: openhexatest.TypeS3,
			Fields: []openhexatest.Field{{Code: "bucket_name", Value: "archive-bucket"},
				{Code: "access_key_id", Value: "AKIAEXAMPLE"}, {Code: "access_key_secret", Value: secret("s3"), Secret: true}}},
		{Name: "S3 public", Slug: "s3-public", Type: openhexatest.TypeS3,
			Fields: []openhexatest.Field{{Code: "bucket_name", Value: "public-bucket"},
				{Code: "access_key_id", Value: ""}, {Code: "access_key_secret", Value: "", Secret: true}}},
		{Name: "GCS exports", Slug: "gcs-exports", Type: openhexatest.TypeGCS,
			Fields: []openhexatest.Field{{Code: "bucket_name", Value: "exports"},
				{Code: "service_account_key", Value: gcsKey, Secret: true}}},
		{Name: "Partenaire « tiers »", Slug: "3rd_party-api", Type: openhexatest.TypeCustom,
			Description: `Clé "API" du partenaire`,
			Fields: []openhexatest.Field{{Code: "api_url", Value: "https://api.example.org/${path}"},
				{Code: "client-id", Value: "client 42"}, {Code: "null", Value: "a key named null"},
				{Code: "api_key", Value: secret("custom-key"), Secret: true},
				{Code: "client-secret", Value: secret("custom-secret"), Secret: true}}},
	}
	out := seeded{Connections: len(conns), Secrets: []string{gcsKey, tag + "-gcs-key"}}
	for _, c := range conns {
		c.Workspace, c.CreatedBy = workspace, openhexatest.EmailAdmin
		srv.CreateStored(c)
		for _, f := range c.Fields {
			if f.Secret && f.Value != "" && f.Code != "service_account_key" {
				out.Secrets = append(out.Secrets, f.Value)
			}
		}
	}
	out.Secrets = append(out.Secrets, markers...)
	if len(connection.Kinds) != 6 {
		t.Fatalf("the kinds table has %d kinds; seedEveryKind seeds 6: add the new one", len(connection.Kinds))
	}
	return out
}

// runExport runs the command as main does, with the environment it reads. PATH
// holds git alone, so that no tofu or terraform of the machine is ever run: a test
// whose directory has a state names the pinned CLI.
func runExport(t *testing.T, srv *openhexatest.Server, token string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runExportWithPath(t, srv, token, gitOnlyPath(t), args...)
}

// runExportWithPath is runExport with the PATH given.
func runExportWithPath(t *testing.T, srv *openhexatest.Server, token, path string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv("PATH", path)
	t.Setenv("OPENHEXA_URL", srv.URL())
	t.Setenv("OPENHEXA_TOKEN", token)
	t.Setenv("HEXA_SERVER_URL", "")
	t.Setenv("HEXA_TOKEN", "")
	var out, errOut bytes.Buffer
	code = export.Main(args, &out, &errOut, "test")
	return out.String(), errOut.String(), code
}

// gitOnlyPath is a directory holding a link to git, if the machine has one.
func gitOnlyPath(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if git, err := exec.LookPath("git"); err == nil {
		if err := os.Symlink(git, filepath.Join(dir, "git")); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// gitEnv is the environment of the tests' git commands: no user or system
// configuration, and an author for commits.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
}

// gitIn returns a function that runs git in dir, returns its output, and fails the
// test when it fails.
func gitIn(t *testing.T, dir string) func(args ...string) string {
	return func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = gitEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
}

// readDir returns every regular file of dir by name.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// assertNoSecret fails when a secret (or a line of a multi-line one) shows in any
// of the texts, which are named for the message.
func assertNoSecret(t *testing.T, secrets []string, texts map[string]string) {
	t.Helper()
	for name, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s holds a secret value", name)
			}
		}
	}
}
