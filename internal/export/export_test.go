package export_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestExportRoundTripsEveryValue parses the written configuration back and finds
// every name, description and non-secret value exactly as OpenHEXA stores it: the
// escaping of quotes, newlines, backslashes, ${ and %{ is right.
func TestExportRoundTripsEveryValue(t *testing.T) {
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir := t.TempDir()
	if _, stderr, code := runExport(t, srv, openhexatest.TokenEditor, "-workspace", openhexatest.WorkspaceMain, "-dir", dir); code != 0 {
		t.Fatalf("export failed (%d): %s", code, stderr)
	}
	src, err := os.ReadFile(filepath.Join(dir, openhexatest.WorkspaceMain+".tf"))
	if err != nil {
		t.Fatal(err)
	}
	file, diags := hclsyntax.ParseConfig(src, "ws.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the workspace file does not parse: %s", diags)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("unexpected body type %T", file.Body)
	}
	resources := 0
	for _, block := range body.Blocks {
		if block.Type != "resource" {
			continue
		}
		resources++
		attrs := block.Body.Attributes
		literal := func(name string) string {
			v, diags := attrs[name].Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("%s.%s is not a literal: %s", block.Labels[1], name, diags)
			}
			return v.AsString()
		}
		slug := literal("slug")
		stored, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, slug)
		if !ok {
			t.Fatalf("no stored connection %q", slug)
		}
		if literal("name") != stored.Name {
			t.Errorf("%s: name %q, stored %q", slug, literal("name"), stored.Name)
		}
		if _, set := attrs["description"]; set != (stored.Description != "") {
			t.Errorf("%s: description written = %v with stored %q (the default \"\" is left out)", slug, set, stored.Description)
		} else if set && literal("description") != stored.Description {
			t.Errorf("%s: description %q, stored %q", slug, literal("description"), stored.Description)
		}
		for _, f := range stored.Fields {
			if f.Secret {
				continue
			}
			if a, ok := attrs[f.Code]; ok && f.Code != "port" {
				if v, _ := a.Expr.Value(nil); v.AsString() != f.Value {
					t.Errorf("%s: %s = %q, stored %q", slug, f.Code, v.AsString(), f.Value)
				}
			}
		}
		if fields, ok := attrs["fields"]; ok {
			v, diags := fields.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, f := range stored.Fields {
				if !f.Secret && v.GetAttr(f.Code).AsString() != f.Value {
					t.Errorf("%s: fields[%s] = %q, stored %q", slug, f.Code, v.GetAttr(f.Code).AsString(), f.Value)
				}
			}
		}
	}
	if resources != seed.Connections {
		t.Errorf("%d resource blocks, want %d", resources, seed.Connections)
	}
}

// TestExportWritesNoSecretUnlessAsked: without -write-secret-values no secret value
// is in any file or in the command's output; with it, only in secrets.auto.tfvars,
// mode 0600, which a .gitignore keeps out of git.
func TestExportWritesNoSecretUnlessAsked(t *testing.T) {
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	for _, writeOnly := range []bool{false, true} {
		args := []string{"-workspace", openhexatest.WorkspaceMain}
		if writeOnly {
			args = append(args, "-write-only")
		}
		dir := t.TempDir()
		stdout, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, append(args, "-dir", dir)...)
		if code != 0 {
			t.Fatalf("export failed (%d): %s", code, stderr)
		}
		files := readDir(t, dir)
		files["stdout"], files["stderr"] = stdout, stderr
		assertNoSecret(t, seed.Secrets, files)
		if _, ok := files["secrets.auto.tfvars"]; ok {
			t.Error("secrets.auto.tfvars written without -write-secret-values")
		}
		if !strings.Contains(stderr, "without values") {
			t.Errorf("the summary does not say the variables have no values:\n%s", stderr)
		}

		dir = t.TempDir()
		stdout, stderr, code = runExport(t, srv, openhexatest.TokenAdmin, append(args, "-dir", dir, "-write-secret-values")...)
		if code != 0 {
			t.Fatalf("export -write-secret-values failed (%d): %s", code, stderr)
		}
		files = readDir(t, dir)
		tfvars := files["secrets.auto.tfvars"]
		delete(files, "secrets.auto.tfvars")
		files["stdout"], files["stderr"] = stdout, stderr
		assertNoSecret(t, seed.Secrets, files)
		for _, marker := range []string{"main-pg-secret-marker", "main-custom-secret-secret-marker", "main-gcs-key"} {
			if !strings.Contains(tfvars, marker) {
				t.Errorf("secrets.auto.tfvars lacks the value marked %s", marker)
			}
		}
		info, err := os.Stat(filepath.Join(dir, "secrets.auto.tfvars"))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("secrets.auto.tfvars: %v, mode %v; want 0600", err, info.Mode().Perm())
		}
		if !strings.Contains(files[".gitignore"], "/secrets.auto.tfvars\n") {
			t.Errorf(".gitignore does not list secrets.auto.tfvars:\n%s", files[".gitignore"])
		}
		wantAttr, wantVar := regexp.MustCompile(`\n  password +=`), regexp.MustCompile(`\n  sensitive += true`)
		wantID := regexp.MustCompile(`\n  id += "` + openhexatest.WorkspaceMain + `/[-\w]+"\n`)
		if writeOnly {
			wantAttr, wantVar = regexp.MustCompile(`\n  password_wo +=`), regexp.MustCompile(`\n  ephemeral += true`)
			wantID = regexp.MustCompile(`\n  id += "` + openhexatest.WorkspaceMain + `/[-\w]+#write-only"\n`)
		}
		workspaceFile := files[openhexatest.WorkspaceMain+".tf"]
		if !wantAttr.MatchString(workspaceFile) || !wantVar.MatchString(files["variables.tf"]) || !wantID.MatchString(workspaceFile) {
			t.Errorf("write-only %v: want %q and %q in the workspace file and %q in variables.tf", writeOnly, wantAttr, wantID, wantVar)
		}
	}
}

// TestExportOfAnInvisibleWorkspaceFailsAndWritesNothing: a workspace the token
// cannot see is named in the error, the exit status is 1 and no file is written
// (not even those of the visible workspace).
func TestExportOfAnInvisibleWorkspaceFailsAndWritesNothing(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runExport(t, srv, openhexatest.TokenEditor, "-workspace", openhexatest.WorkspaceMain,
		"-workspace", openhexatest.WorkspaceOther, "-dir", dir, "-write-secret-values")
	if code != 1 {
		t.Fatalf("exit status %d, want 1", code)
	}
	if !strings.Contains(stderr, `"`+openhexatest.WorkspaceOther+`" not visible to `+openhexatest.EmailEditor) {
		t.Errorf("the error does not name the workspace and the user:\n%s", stderr)
	}
	if files := readDir(t, dir); len(files) != 1 || files["main.tf"] != "# mine\n" {
		t.Errorf("the directory changed: %v", keys(files))
	}

	_, stderr, code = runExport(t, srv, "unknown-token", "-all-workspaces", "-dir", dir)
	if code != 1 || !strings.Contains(stderr, "did not accept the token") {
		t.Errorf("an unknown token: exit %d, %s", code, stderr)
	}
	for _, args := range [][]string{{}, {"-all-workspaces", "-workspace", "x"}, {"-workspace", "x", "extra"}, {"-nope"}} {
		if _, _, code := runExport(t, srv, openhexatest.TokenEditor, args...); code != 2 {
			t.Errorf("export %v: exit %d, want 2 (usage)", args, code)
		}
	}
}

// TestExportWithAViewerTokenIsCompleteButForSecretValues: a VIEWER gets the same
// resource blocks and variables as an editor, no secret value (even with
// -write-secret-values), and a summary that says the variables need values.
func TestExportWithAViewerTokenIsCompleteButForSecretValues(t *testing.T) {
	srv := openhexatest.Start(t)
	seed := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	editorDir, viewerDir := t.TempDir(), t.TempDir()
	if _, stderr, code := runExport(t, srv, openhexatest.TokenEditor, "-workspace", openhexatest.WorkspaceMain, "-dir", editorDir); code != 0 {
		t.Fatal(stderr)
	}
	stdout, stderr, code := runExport(t, srv, openhexatest.TokenViewer, "-workspace", openhexatest.WorkspaceMain, "-dir", viewerDir, "-write-secret-values")
	if code != 0 {
		t.Fatalf("export failed (%d): %s", code, stderr)
	}
	editor, viewer := readDir(t, editorDir), readDir(t, viewerDir)
	// The viewer's files hold every line of the editor's; beyond them, only the
	// optional secret of the public S3 bucket, which the editor could read empty
	// (left out) and the viewer cannot (declared, so a value is never wiped).
	for _, name := range []string{openhexatest.WorkspaceMain + ".tf", "variables.tf", "providers.tf"} {
		extra := lines(viewer[name])
		for _, line := range strings.Split(editor[name], "\n") {
			line = strings.Join(strings.Fields(line), " ")
			if strings.HasPrefix(line, "# Written by") {
				continue // the marker's checksum differs with the content
			}
			if extra[line] == 0 {
				t.Errorf("%s: the viewer's export lacks the editor's line %q", name, line)
			}
			extra[line]--
		}
		for line, n := range extra {
			if n > 0 && line != "" && line != "}" && !strings.Contains(line, "s3-public") && !strings.Contains(line, "s3_public") && !strings.HasPrefix(line, "# Written by") &&
				line != "type = string" && line != "sensitive = true" {
				t.Errorf("%s: the viewer's export has the extra line %q", name, line)
			}
		}
	}
	if !strings.Contains(viewer[openhexatest.WorkspaceMain+".tf"], "access_key_secret = var."+export.VariableName(openhexatest.WorkspaceMain, "s3-public", "access_key_secret")) {
		t.Error("the viewer's export does not declare the unreadable optional secret of the public bucket")
	}
	if _, ok := viewer["secrets.auto.tfvars"]; ok {
		t.Error("secrets.auto.tfvars written although the viewer could read no value")
	}
	viewer["stdout"], viewer["stderr"] = stdout, stderr
	assertNoSecret(t, seed.Secrets, viewer)
	if !strings.Contains(stderr, "9 secret values could not be read") || !strings.Contains(stderr, "plan stops and asks for them") {
		t.Errorf("the summary does not say that the secret values could not be read:\n%s", stderr)
	}
}

// TestExportNeverChangesTheUsersFiles: the user's variables.tf, providers.tf and
// <workspace>.tf (and any other file) are left byte for byte; the export writes its
// own files beside them (<workspace>.2.tf, variables.2.tf), declares no variable
// or provider requirement the directory has, and only appends to .gitignore.
func TestExportNeverChangesTheUsersFiles(t *testing.T) {
	srv := openhexatest.Start(t)
	seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	dir := t.TempDir()
	mine := map[string]string{
		"providers.tf":                     "terraform {\n  required_providers {\n    openhexa = {\n      source = \"registry.opentofu.org/blsq/openhexa\"\n    }\n  }\n}\n",
		"variables.tf":                     "variable \"region\" {\n  type = string\n}\n",
		openhexatest.WorkspaceMain + ".tf": "# my own notes on this workspace\n",
		"notes.txt":                        "keep me\n",
	}
	for name, content := range mine {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".terraform/"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-write-secret-values")
	if code != 0 {
		t.Fatal(stderr)
	}
	files := readDir(t, dir)
	for name, content := range mine {
		if files[name] != content {
			t.Errorf("%s was changed:\n%s", name, files[name])
		}
	}
	if _, ok := files[openhexatest.WorkspaceMain+".2.tf"]; !ok {
		t.Errorf("no %s.2.tf among %v", openhexatest.WorkspaceMain, keys(files))
	}
	if _, ok := files["variables.2.tf"]; !ok {
		t.Errorf("no variables.2.tf among %v", keys(files))
	}
	if _, ok := files["providers.2.tf"]; ok {
		t.Error("providers.2.tf written although providers.tf already requires the provider")
	}
	if !strings.Contains(stderr, openhexatest.WorkspaceMain+".2.tf (a new file") || !strings.Contains(stderr, "new file variables.2.tf, since variables.tf is not the export's") {
		t.Errorf("the summary does not say why the connections went to a new file:\n%s", stderr)
	}
	if files[".gitignore"] != ".terraform/\n# Secret values written by terraform-provider-openhexa export, and the copies it makes "+
		"while writing.\n/secrets.auto.tfvars\n/.secrets.auto.tfvars.*\n" {
		t.Errorf(".gitignore = %q", files[".gitignore"])
	}
	for name := range files {
		if strings.Contains(name, ".tmp-") || strings.Contains(name, ".backup-") {
			t.Errorf("temporary file %s left behind", name)
		}
	}

	// Again: everything is declared, nothing is written.
	_, stderr, code = runExport(t, srv, openhexatest.TokenAdmin, "-workspace", openhexatest.WorkspaceMain, "-dir", dir, "-write-secret-values")
	if code != 0 {
		t.Fatal(stderr)
	}
	if again := readDir(t, dir); !equalFiles(again, files) {
		t.Errorf("the second run changed the directory: %v", keys(again))
	}
	if !strings.Contains(stderr, "Nothing new to export") || strings.Count(stderr, "skipped "+openhexatest.WorkspaceMain+"/") != 8 {
		t.Errorf("the second run does not list the 8 connections it skipped:\n%s", stderr)
	}
}

func equalFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// lines counts the lines of a text.
func lines(text string) map[string]int {
	out := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		out[strings.Join(strings.Fields(line), " ")]++
	}
	return out
}
