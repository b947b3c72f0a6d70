package export

import (
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestIdentifierMakesValidTerraformNames(t *testing.T) {
	for in, want := range map[string]string{
		"warehouse":       "warehouse",
		"dhis2-national":  "dhis2_national",
		"3rd_party-api":   "c_3rd_party_api",
		"My_Slug":         "my_slug",
		"a--b":            "a__b",
		"":                "connection",
		"client.secret 1": "client_secret_1",
	} {
		got := identifier(in)
		if got != want {
			t.Errorf("identifier(%q) = %q, want %q", in, got, want)
		}
		if !hclsyntax.ValidIdentifier(got) || got[0] == '-' {
			t.Errorf("identifier(%q) = %q is not a valid Terraform name", in, got)
		}
	}
}

func TestLabelsAreUniqueAcrossWorkspaces(t *testing.T) {
	conn := func(ws, slug string) *connExport {
		return &connExport{Workspace: ws, Conn: openhexa.Connection{Slug: slug}, Kind: connection.Kinds[0]}
	}
	a := &workspaceExport{Slug: "malaria", Connections: []*connExport{conn("malaria", "db"), conn("malaria", "3rd_party-api"), conn("malaria", "a-b"), conn("malaria", "a_b"), conn("malaria", "solo")}}
	b := &workspaceExport{Slug: "nutrition-2", Connections: []*connExport{conn("nutrition-2", "db"), conn("nutrition-2", "3rd_party-api"), conn("nutrition-2", "malaria_db")}}
	assignLabels([]*workspaceExport{a, b})
	want := map[string]string{
		"malaria/db": "malaria_db", "malaria/3rd_party-api": "malaria_3rd_party_api", "malaria/a-b": "malaria_a_b",
		"malaria/a_b": "malaria_a_b_2", "malaria/solo": "solo",
		"nutrition-2/db": "nutrition_2_db", "nutrition-2/3rd_party-api": "nutrition_2_3rd_party_api",
		// its plain label is the one the first workspace's "db" took when qualified
		"nutrition-2/malaria_db": "malaria_db_2",
	}
	seen := map[string]bool{}
	for _, ws := range []*workspaceExport{a, b} {
		for _, c := range ws.Connections {
			id := c.Workspace + "/" + c.Conn.Slug
			if c.Label != want[id] {
				t.Errorf("%s: label %q, want %q", id, c.Label, want[id])
			}
			if seen[c.Label] {
				t.Errorf("label %q given twice", c.Label)
			}
			seen[c.Label] = true
		}
	}
}

func TestWorkspaceFileNamesNeverShadowTheExportsOwnFiles(t *testing.T) {
	for in, want := range map[string]string{
		"malaria-surveillance": "malaria-surveillance.tf",
		"variables":            "workspace-variables.tf",
		"providers":            "workspace-providers.tf",
		"../etc":               "___etc.tf",
	} {
		if got := workspaceFileName(in); got != want {
			t.Errorf("workspaceFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestObjectKeysAreQuotedUnlessPlainIdentifiers(t *testing.T) {
	for key, want := range map[string]string{
		"api_key": "api_key", "client-id": "client-id", "null": `"null"`, "true": `"true"`, "3rd": `"3rd"`,
	} {
		if got := string(objectKey(key).Bytes()); got != want {
			t.Errorf("objectKey(%q) = %s, want %s", key, got, want)
		}
	}
}

func TestSchemaDefaultsComeFromTheSchema(t *testing.T) {
	pg := connection.KindByName("postgres").ResourceSchema()
	if d, ok := connection.KindByName("postgres").Fields[1].CreateDefault(); !ok || d != "5432" {
		t.Errorf("port default = %q, %v", d, ok)
	}
	if d, ok := schemaDefault(pg, connection.AttrDescription); !ok || d != "" {
		t.Errorf("description default = %q, %v", d, ok)
	}
	if _, ok := schemaDefault(pg, "host"); ok {
		t.Error("host has no default")
	}
	if d, ok := connection.KindByName("s3").Fields[1].CreateDefault(); !ok || d != "" {
		t.Errorf("access_key_id default = %q, %v", d, ok)
	}
}
