package export

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// noState is the state of a directory that has none.
var noState = &stateView{byID: map[string]string{}, addresses: map[string]bool{}, modules: map[string]bool{}}

// TestScanResolvesWorkspacesAndIdentities: a resource without workspace takes its
// provider's (by alias), else the environment's; an import by identity names a
// connection by UUID; count makes a block undetermined, as does a provider whose
// workspace is an expression; imports of other providers' resources are ignored.
func TestScanResolvesWorkspacesAndIdentities(t *testing.T) {
	dir := t.TempDir()
	src := `
provider "openhexa" {
  alias     = "nutrition"
  workspace = "nutrition-survey"
}
provider "openhexa" {
  alias     = "dynamic"
  workspace = var.ws
}
resource "openhexa_dhis2_connection" "a" {
  provider = openhexa.nutrition
  name     = "A"
  slug     = "a"
}
resource "openhexa_dhis2_connection" "b" {
  name = "B"
}
resource "openhexa_dhis2_connection" "c" {
  provider = openhexa.dynamic
  slug     = "c"
}
resource "openhexa_dhis2_connection" "d" {
  count     = 2
  workspace = "w"
  slug      = "d"
}
import {
  to = openhexa_s3_connection.e
  identity = {
    workspace = "w"
    id        = "0B9A1C52-6F43-4F8E-9D7A-2C1E5B8F4A10"
  }
}
import {
  to = aws_s3_bucket.x
  id = "whatever"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(name string) string {
		if name == "HEXA_WORKSPACE" {
			return "malaria"
		}
		return ""
	}
	st, err := scanDir(dir, env)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ws, slug, id, name, want string }{
		{"nutrition-survey", "a", "", "", "declared by openhexa_dhis2_connection.a with its slug"},
		{"malaria", "a", "", "", ""},
		{"malaria", "b", "", "B", "declared by openhexa_dhis2_connection.b with its name and no slug"},
		{"w", "e", "0b9a1c52-6f43-4f8e-9d7a-2c1e5b8f4a10", "", "declared by an import block with its id"},
	} {
		got := declaredBy(st, noState, tc.ws, openhexa.Connection{Slug: tc.slug, ID: tc.id, Name: tc.name})
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("declaredBy(%s/%s) = %q, want %q", tc.ws, tc.slug, got, tc.want)
		}
	}
	var undetermined []string
	for _, u := range st.undetermined {
		undetermined = append(undetermined, u.what+": "+u.why)
	}
	want := []string{
		"resource openhexa_dhis2_connection.c: it sets no workspace and its provider's is not a literal (nor OPENHEXA_WORKSPACE)",
		"resource openhexa_dhis2_connection.d: it has count",
	}
	if strings.Join(undetermined, "\n") != strings.Join(want, "\n") {
		t.Errorf("undetermined:\n%s\nwant\n%s", strings.Join(undetermined, "\n"), strings.Join(want, "\n"))
	}
	if st.addresses["aws_s3_bucket.x"] == "" || st.addresses["openhexa_dhis2_connection.d"] == "" {
		t.Errorf("addresses: %v", st.addresses)
	}
}

// TestScanReadsJSONLocalModulesAndOverrides: a .tf.json file is read as the native
// syntax is (a template is an expression); local modules are followed, taking the
// provider their call passes (by alias too), with their blocks at module addresses;
// a module called with count, a remote module, an override file's blocks and a
// module that calls itself are undetermined, each with what a state must hold to
// cover it.
func TestScanReadsJSONLocalModulesAndOverrides(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf.json": `{
  "provider": {"openhexa": [{"workspace": "malaria"}, {"alias": "nut", "workspace": "nutrition"}]},
  "resource": {"openhexa_dhis2_connection": {
    "json": {"name": "J", "slug": "json-slug"},
    "tpl": {"name": "T", "slug": "${var.slug}"}
  }},
  "module": {
    "conns": {"source": "./conns", "providers": {"openhexa": "openhexa.nut"}},
    "many": {"source": "./many", "count": 2},
    "remote": {"source": "git::https://example.org/m.git"}
  }
}`,
		"conns/main.tf": `resource "openhexa_postgres_connection" "db" {
  name = "DB"
  slug = "db"
}
module "loop" {
  source = "../conns"
}
`,
		"many/main.tf":     `resource "openhexa_s3_connection" "s" { slug = "s" }`,
		"main_override.tf": `resource "openhexa_dhis2_connection" "json" { slug = "other" }`,
	}
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := scanDir(dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ws, slug, want string }{
		{"malaria", "json-slug", "declared by openhexa_dhis2_connection.json with its slug (main.tf.json:"},
		{"nutrition", "db", "declared by module.conns.openhexa_postgres_connection.db with its slug (conns/main.tf:1)"},
		{"malaria", "db", ""},
	} {
		got := declaredBy(st, noState, tc.ws, openhexa.Connection{Slug: tc.slug})
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("declaredBy(%s/%s) = %q, want %q", tc.ws, tc.slug, got, tc.want)
		}
	}
	var undetermined []string
	for _, u := range st.undetermined {
		undetermined = append(undetermined, fmt.Sprintf("%s: %s (%s) %v %v", u.where, u.what, u.why, u.addresses, u.modules))
	}
	want := []string{
		"conns/main.tf:5: module module.conns.module.loop (its source is a module that calls it) [] [module.conns.module.loop]",
		"main.tf.json:5: resource openhexa_dhis2_connection.tpl (its slug is an expression) [openhexa_dhis2_connection.tpl] []",
		`main.tf.json:10: module module.remote (its source "git::https://example.org/m.git" is not a local directory, so the export cannot read what it declares) [] [module.remote]`,
		"main_override.tf:1: resource openhexa_dhis2_connection.json (it is in an override file, which can change any argument of the block it merges into) [openhexa_dhis2_connection.json] []",
		"many/main.tf:1: resource module.many.openhexa_s3_connection.s (its module is called with count (main.tf.json:9)) [module.many.openhexa_s3_connection.s] []",
	}
	sort.Strings(undetermined)
	sort.Strings(want)
	if strings.Join(undetermined, "\n") != strings.Join(want, "\n") {
		t.Errorf("undetermined:\n%s\nwant\n%s", strings.Join(undetermined, "\n"), strings.Join(want, "\n"))
	}
}

// TestConfigAddressDropsInstanceKeys: import targets and state modules are compared
// as configuration addresses.
func TestConfigAddressDropsInstanceKeys(t *testing.T) {
	for in, want := range map[string]string{
		"openhexa_x_connection.a":                           "openhexa_x_connection.a",
		`module.a["k.]"].openhexa_x_connection.b[each.key]`: "module.a.openhexa_x_connection.b",
		"module.a[0].module.b.t.n[1]":                       "module.a.module.b.t.n",
		"module.a":                                          "",
		"a.b.c":                                             "",
		"x[0":                                               "",
	} {
		got, ok := configAddress(in)
		if got != want || ok != (want != "") {
			t.Errorf("configAddress(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
