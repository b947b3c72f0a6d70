package export_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestExportStopsWhenAStateCannotBeRead: a directory that may have a state (a
// backend block here) whose state cannot be read, because no CLI is at hand, -cli
// names none, or the file -state gives is encrypted, stops the run, saying why and
// how to give the state; nothing is written.
func TestExportStopsWhenAStateCannotBeRead(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir := t.TempDir()
	mine := map[string]string{"backend.tf": "terraform {\n  backend \"s3\" {}\n}\n"}
	writeFiles(t, dir, mine)
	encrypted := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(encrypted, []byte(`{"serial": 1, "encrypted_data": "abc", "encryption_version": "v0"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{`a backend "s3" block (backend.tf:2)`, "neither tofu nor terraform is on PATH", "-state FILE", "Nothing was written"}},
		{[]string{"-cli", "/nowhere/tofu"}, []string{"-cli /nowhere/tofu is not a file", "tofu init"}},
		{[]string{"-state", encrypted}, []string{"is encrypted", "-state FILE"}},
	} {
		_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, append([]string{"-workspace", openhexatest.WorkspaceMain, "-dir", dir}, tc.args...)...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1:\n%s", tc.args, code, stderr)
		}
		for _, want := range tc.want {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: the error lacks %q:\n%s", tc.args, want, stderr)
			}
		}
		if files := readDir(t, dir); len(files) != len(mine) {
			t.Errorf("%v: files written: %v", tc.args, keys(files))
		}
	}
}

// TestExportReadsAStateFile: with -state, a connection whose UUID the state holds is
// skipped as managed whatever its slug; a remote module the state holds resources
// of is covered, one it holds nothing of stops the run until -allow-undetermined.
func TestExportReadsAStateFile(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	iaso, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "iaso")
	state := filepath.Join(t.TempDir(), "pulled.tfstate")
	src := fmt.Sprintf(`{"version": 4, "serial": 1, "lineage": "l", "outputs": {}, "resources": [
  {"module": "module.shared", "mode": "managed", "type": "openhexa_iaso_connection", "name": "iaso",
   "instances": [{"attributes": {"id": %q, "password": "main-iaso-secret-marker"}}]}]}`, strings.ToUpper(iaso.ID))
	if err := os.WriteFile(state, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `module "shared" {
  source = "git::https://example.org/shared.git"
}
`})
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-state", state)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"State: the state file " + state + ": 1 connection managed.",
		"skipped " + openhexatest.WorkspaceMain + "/iaso: managed in the state (module.shared.openhexa_iaso_connection.iaso)",
		"7 new connections"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "secret-marker") {
		t.Error("the output quotes the state")
	}

	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `module "other" {
  source = "registry.example.org/team/conns/openhexa"
}
`})
	_, stderr, code = runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-state", state)
	if code != 1 || !strings.Contains(stderr, "main.tf:1: module module.other (its source") || len(readDir(t, dir)) != 1 {
		t.Fatalf("a remote module the state holds nothing of: exit %d\n%s", code, stderr)
	}
	_, stderr, code = runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-state", state, "-allow-undetermined")
	if code != 0 || !strings.Contains(stderr, "warning: -allow-undetermined") {
		t.Fatalf("with -allow-undetermined: exit %d\n%s", code, stderr)
	}
}
