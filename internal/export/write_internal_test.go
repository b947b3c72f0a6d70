package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestFailureMidWriteLeavesTheDirectoryAsItWas: with own files to extend, user
// files beside them and a .gitignore to append to, a rename failing after some
// files were moved puts every one back: the directory is byte for byte as it was,
// and the error says so.
func TestFailureMidWriteLeavesTheDirectoryAsItWas(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "One", Slug: "one",
		Type: openhexatest.TypeDHIS2, CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
			{Code: "url", Value: "https://one.example.org"}, {Code: "username", Value: "u"}, {Code: "password", Value: "p1", Secret: true}}})
	client, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: openhexatest.TokenAdmin})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.tf"), []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Workspaces: []string{openhexatest.WorkspaceMain}, Dir: dir, WriteSecretValues: true, Source: DefaultSource,
		Getenv: func(string) string { return "" }}
	if _, err := Run(context.Background(), client, opts); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".terraform/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "Two", Slug: "two",
		Type: openhexatest.TypeDHIS2, CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
			{Code: "url", Value: "https://two.example.org"}, {Code: "username", Value: "u"}, {Code: "password", Value: "p2", Secret: true}}})
	for failAt := 1; failAt <= 4; failAt++ {
		calls := 0
		renameFile = func(from, to string) error {
			calls++
			if calls == failAt {
				return errors.New("injected failure")
			}
			return os.Rename(from, to)
		}
		_, err := Run(context.Background(), client, opts)
		renameFile = os.Rename
		if err == nil || !strings.Contains(err.Error(), "injected failure") || !strings.Contains(err.Error(), "nothing was written") {
			t.Fatalf("fail at rename %d: %v", failAt, err)
		}
		if calls < failAt {
			t.Fatalf("only %d renames: the failure at %d never fired", calls, failAt)
		}
		after := snapshot(t, dir)
		if len(after) != len(before) {
			t.Errorf("fail at rename %d: files %v, were %v", failAt, keysOf(after), keysOf(before))
		}
		for name, content := range before {
			if after[name] != content {
				t.Errorf("fail at rename %d: %s changed", failAt, name)
			}
		}
	}
	// Without the failure, the same run goes through.
	if _, err := Run(context.Background(), client, opts); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); after["mine.tf"] != "# mine\n" || !strings.Contains(after["malaria-surveillance.tf"], "# malaria-surveillance/two,") {
		t.Errorf("the run after the failures did not write the new connection")
	}
}

// snapshot is every file of dir with its content and mode.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := e.Info()
		out[e.Name()] = string(b)
		out[e.Name()+" (mode)"] = info.Mode().String()
	}
	return out
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
