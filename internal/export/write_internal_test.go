package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

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

// TestGitignoreIsInPlaceBeforeAnySecretCopy: whenever the write makes a temporary or
// backup copy of the secret values' file, the .gitignore on disk already ignores it:
// a run killed at that moment leaves nothing for git status to offer.
func TestGitignoreIsInPlaceBeforeAnySecretCopy(t *testing.T) {
	srv := openhexatest.Start(t)
	client, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: openhexatest.TokenAdmin})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".terraform/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	copies := map[string]int{}
	writeTempFile = func(dir, pattern string, content []byte, mode os.FileMode) (string, error) {
		if strings.HasPrefix(pattern, ".secrets.auto.tfvars.") {
			name := strings.TrimSuffix(pattern, "*") + "4242"
			copies[strings.Split(pattern, ".")[4]]++
			if src, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !ignoredByFile(src, name) {
				t.Errorf("%s is written while .gitignore does not ignore it:\n%s", name, src)
			}
		}
		return writeTemp(dir, pattern, content, mode)
	}
	defer func() { writeTempFile = writeTemp }()
	opts := Options{Workspaces: []string{openhexatest.WorkspaceMain}, Dir: dir, WriteSecretValues: true, Source: DefaultSource,
		Getenv: func(string) string { return "" }}
	for i, slug := range []string{"one", "two"} {
		srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: slug, Slug: slug,
			Type: openhexatest.TypeDHIS2, CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
				{Code: "url", Value: "https://x.example.org"}, {Code: "username", Value: "u"}, {Code: "password", Value: "p" + slug, Secret: true}}})
		if _, err := Run(context.Background(), client, opts); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	// The first run writes the file (a temporary copy), the second adds to it (and a backup).
	if copies["tmp-*"] != 2 || copies["backup-*"] != 1 {
		t.Errorf("copies of the secret values: %v", copies)
	}
}

// TestLeftoversAreTheExportsCopiesOnly: a run removes the temporary and backup
// copies of the files the export writes, and nothing else.
func TestLeftoversAreTheExportsCopiesOnly(t *testing.T) {
	dir := t.TempDir()
	ours := []string{".secrets.auto.tfvars.tmp-123", ".secrets.2.auto.tfvars.backup-9", "..gitignore.tmp-77", ".malaria.tf.backup-1"}
	theirs := []string{".notes.txt.tmp-1", ".secrets.auto.tfvars.tmp-abc", "secrets.auto.tfvars", "main.tf", ".x.tf.tmp-"}
	for _, name := range append(append([]string(nil), ours...), theirs...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := removeLeftovers(dir)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(removed)
	sort.Strings(ours)
	if strings.Join(removed, ",") != strings.Join(ours, ",") {
		t.Errorf("removed %v, want %v", removed, ours)
	}
	for _, name := range theirs {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for d, want := range map[time.Duration]string{12 * time.Second: "12s", 3*time.Hour + 20*time.Second: "3h0m", 90 * time.Minute: "1h30m"} {
		if got := roundAge(d); got != want {
			t.Errorf("roundAge(%s) = %q, want %q", d, got, want)
		}
	}
}
