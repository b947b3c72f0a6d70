package export

import (
	"os"
	"path/filepath"
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
