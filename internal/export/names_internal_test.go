package export

import (
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestLabelsAreStableAndInjective: a label is a function of workspace and slug
// alone, valid, and the pairs that a lossy mapping would merge stay apart.
func TestLabelsAreStableAndInjective(t *testing.T) {
	for _, tc := range []struct{ ws, slug, want string }{
		{"malaria", "db", "malaria_db"},
		{"malaria", "DB", "malaria_DB"},
		{"malaria", "a-b", "malaria_a-b"},
		{"malaria", "a_b", "malaria_a_b"},
		{"malaria", "3rd_party-api", "malaria_3rd_party-api"},
		{"2024-campaign", "db", "_2024-campaign_db"},
		{"nutrition-2", "db", "nutrition-2_db"},
		{"malaria-db", "x", "malaria-db_x"},
		{"malaria", "db_x", "malaria_db_x"},
	} {
		got := resourceLabel(tc.ws, tc.slug)
		if got != tc.want {
			t.Errorf("resourceLabel(%q, %q) = %q, want %q", tc.ws, tc.slug, got, tc.want)
		}
		if !hclsyntax.ValidIdentifier(got) {
			t.Errorf("resourceLabel(%q, %q) = %q is not a valid name", tc.ws, tc.slug, got)
		}
	}
}

// TestNamesAreInjective draws workspace slugs, slugs and codes from an alphabet
// that makes collisions likely and checks that no two inputs share a name.
func TestNamesAreInjective(t *testing.T) {
	wsParts := []string{"a", "a-b", "1", "-a", "a1"}
	parts := []string{"a", "b", "_", "-", "A", "1", "a_b", "_a", "a_", "__", "-_", "_-"}
	var slugs []string
	for _, x := range parts {
		for _, y := range parts {
			slugs = append(slugs, x+y)
		}
	}
	labels, vars := map[string]string{}, map[string]string{}
	for _, ws := range wsParts {
		for _, slug := range slugs {
			l := resourceLabel(ws, slug)
			if prev, ok := labels[l]; ok && prev != ws+"/"+slug {
				t.Fatalf("label %q for both %s and %s/%s", l, prev, ws, slug)
			}
			labels[l] = ws + "/" + slug
			if !hclsyntax.ValidIdentifier(l) {
				t.Fatalf("label %q is not a valid name", l)
			}
			for _, code := range slugs {
				v := variableName(ws, slug, code)
				key := ws + "/" + slug + "/" + code
				if prev, ok := vars[v]; ok && prev != key {
					t.Fatalf("variable %q for both %s and %s", v, prev, key)
				}
				vars[v] = key
				if !hclsyntax.ValidIdentifier(v) {
					t.Fatalf("variable %q is not a valid name", v)
				}
			}
		}
	}
	if got := variableName("malaria", "dhis2-national", "password"); got != "malaria_dhis2-national_password" {
		t.Errorf("variableName = %q", got)
	}
	if got := variableName("malaria", "3rd_party", "api_key"); got != "malaria_3rd__party_api_key" {
		t.Errorf("variableName = %q", got)
	}
}

func TestOwnFilesAreNumbered(t *testing.T) {
	st := &dirState{files: map[string][]byte{
		"malaria.tf":   []byte("# the user's\n"),
		"malaria.2.tf": withMarker([]byte("x\n")),
		"nutrition.tf": append(withMarker([]byte("x\n")), "edited\n"...),
		"other.tofu":   []byte(""),
	}, exists: map[string]bool{"malaria.tf": true, "malaria.2.tf": true, "nutrition.tf": true, "other.tofu": true}}
	taken := map[string]bool{}
	if name, prev := pickOwnFile(st, taken, "malaria", ".tf"); name != "malaria.2.tf" || string(prev) != "x\n" {
		t.Errorf("malaria: %s %q", name, prev)
	}
	if name, prev := pickOwnFile(st, taken, "nutrition", ".tf"); name != "nutrition.2.tf" || prev != nil {
		t.Errorf("nutrition: %s %q", name, prev)
	}
	if name, _ := pickOwnFile(st, taken, "other", ".tf"); name != "other.2.tf" {
		t.Errorf("other: %s (other.tofu hides other.tf from OpenTofu)", name)
	}
	if name, _ := pickOwnFile(st, taken, "variables", ".tf"); name != "variables.tf" {
		t.Errorf("variables: %s", name)
	}
	if workspaceFileBase("variables") != "workspace-variables" || workspaceFileBase("malaria") != "malaria" {
		t.Error("workspaceFileBase")
	}
}

func TestGitignoreFallbackFollowsNegations(t *testing.T) {
	for src, want := range map[string]bool{
		"*.tfvars\n!*.auto.tfvars\n":                     false,
		"*.tfvars\n":                                     true,
		"/secrets.auto.tfvars\n":                         true,
		"*.tfvars\n!*.auto.tfvars\n/secrets.auto.tfvars": true,
		"secrets.auto.tfvars/\n":                         false,
		"# secrets.auto.tfvars\n":                        false,
	} {
		if got := ignoredByFile([]byte(src), "secrets.auto.tfvars"); got != want {
			t.Errorf("%q: ignored = %v, want %v", src, got, want)
		}
	}
}

func TestObjectKeysAreQuotedUnlessPlainIdentifiers(t *testing.T) {
	for key, want := range map[string]string{
		"api_key": "api_key", "client-id": "client-id", "null": `"null"`, "true": `"true"`, "3rd": `"3rd"`,
		"for": `"for"`, "in": `"in"`, "if": `"if"`,
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
