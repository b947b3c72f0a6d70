package export

import (
	"regexp"
	"strings"
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

// TestLabelsAreInjective draws workspace slugs and slugs from an alphabet that
// makes collisions likely and checks that no two share a label.
func TestLabelsAreInjective(t *testing.T) {
	labels := map[string]string{}
	for _, ws := range nameWorkspaces {
		for _, slug := range nameParts() {
			l := resourceLabel(ws, slug)
			if prev, ok := labels[l]; ok && prev != ws+"/"+slug {
				t.Fatalf("label %q for both %s and %s/%s", l, prev, ws, slug)
			}
			labels[l] = ws + "/" + slug
			if !hclsyntax.ValidIdentifier(l) {
				t.Fatalf("label %q is not a valid name", l)
			}
		}
	}
}

// nameWorkspaces are workspace slugs as OpenHEXA's rule ^[-a-z0-9]+$ allows them,
// usual and odd.
var nameWorkspaces = []string{"a", "b", "ab", "a-b", "a-b-c", "a--b", "-a", "a-", "1", "1a", "1-a", "a1", "a-1", "x-y"}

// nameParts are slugs and codes drawn from ^[-a-zA-Z0-9_]+$: every string of up to
// three characters over a, B, 1, '-' and '_', and a few longer ones that read
// like the others joined.
func nameParts() []string {
	alphabet := []string{"a", "B", "1", "-", "_"}
	parts := []string{}
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		if prefix != "" {
			parts = append(parts, prefix)
		}
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("", 3)
	return append(parts, "a_b_a", "a-b-a", "a__b", "a--b", "b_a_b", "a_b-a", "a-b_a", "b__a", "a_1_b", "1_b__a")
}

// oldVariableName is the scheme of the exports before variable names were shell
// names (kept by the directories they wrote): the workspace as in resourceLabel,
// '_', the slug with each '_' doubled, '_', the code ('-' in front of one starting
// with '_' or '-').
func oldVariableName(workspace, slug, code string) string {
	if strings.HasPrefix(code, "_") || strings.HasPrefix(code, "-") {
		code = "-" + code
	}
	return namePrefix(workspace) + workspace + "_" + strings.ReplaceAll(slug, "_", "__") + "_" + code
}

var shellName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// TestVariableNamesAreShellNamesInjectiveAndNew enumerates workspace slugs, slugs
// and codes whose names could collide (in the new scheme, or with a name of the old
// one that a directory may hold): every name is a shell name (TF_VAR_<name> can be
// exported, GitLab takes it as a key), no two inputs share one, and none is the old
// name of any input, so a new connection never takes a variable an earlier export
// declared for another.
func TestVariableNamesAreShellNamesInjectiveAndNew(t *testing.T) {
	parts := nameParts()
	old := map[string]string{}
	for _, ws := range nameWorkspaces {
		for _, slug := range parts {
			for _, code := range parts {
				old[oldVariableName(ws, slug, code)] = ws + "/" + slug + "/" + code
			}
		}
	}
	names := map[string]string{}
	for _, ws := range nameWorkspaces {
		for _, slug := range parts {
			for _, code := range parts {
				key := ws + "/" + slug + "/" + code
				v := variableName(ws, slug, code)
				if !shellName.MatchString(v) {
					t.Fatalf("variable %q for %s is not a shell name", v, key)
				}
				if prev, ok := names[v]; ok {
					t.Fatalf("variable %q for both %s and %s", v, prev, key)
				}
				names[v] = key
				if prev, ok := old[v]; ok {
					t.Fatalf("variable %q for %s is the old name of %s", v, key, prev)
				}
			}
		}
	}
	if got, old := variableName("alpha", "my-db", "password"), oldVariableName("alpha", "my", "db_password"); got == old {
		t.Errorf("alpha/my-db/password is named %q, the old name of alpha/my/db_password", got)
	}
	for _, tc := range []struct{ ws, slug, code, want string }{
		{"malaria", "warehouse", "password", "malaria__warehouse__password"},
		{"malaria-surveillance", "dhis2-national", "password", "malaria__surveillance__dhis2_national__password"},
		{"malaria", "s3-archive", "access_key_secret", "malaria__s3_archive__access_key_secret"},
	} {
		if got := variableName(tc.ws, tc.slug, tc.code); got != tc.want {
			t.Errorf("variableName(%q, %q, %q) = %q, want %q", tc.ws, tc.slug, tc.code, got, tc.want)
		}
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
