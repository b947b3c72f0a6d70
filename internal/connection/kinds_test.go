package connection_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestKindsTableIsComplete fails when an entry of Kinds lacks one of the places that
// cannot be derived from it (ARCHITECTURE.md, "Where things go"): the client's enum,
// the test server's rules, the tests' samples, the examples and the docs' prose. The
// client's enum and the test server's rules are in turn held to schema.graphql by
// TestConnectionTypesAreTheSchemaEnum and TestEveryBuiltInTypeHasItsRules.
func TestKindsTableIsComplete(t *testing.T) {
	root := filepath.Join("..", "..")
	prose := map[string]string{}
	const secretsGuide = "templates/guides/secrets.md.tmpl" // its table lists the kinds with a secret
	const readme = "README.md"                              // its first paragraph names the kinds by their title
	for _, doc := range []string{readme, "templates/index.md.tmpl", "templates/guides/notebooks-and-pipelines.md.tmpl", secretsGuide} {
		body, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		prose[doc] = string(body)
	}
	var apiTypes []openhexa.ConnectionType
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			if _, ok := kindSamples[kind.Name]; !ok {
				t.Errorf("no row in kindSamples (samples_test.go)")
			}
			if !kind.APIType.Known() {
				t.Errorf("the client does not know %s: add it to ConnectionTypes (internal/openhexa/types.go) "+
					"and to enum ConnectionType in schema.graphql", kind.APIType)
			}
			var codes []string
			for _, f := range kind.Fields {
				codes = append(codes, f.Code)
			}
			if got := openhexatest.RequiredCodes(string(kind.APIType)); !slices.Equal(got, codes) {
				t.Errorf("the test server requires the codes %v for %s, the kind has %v: see requiredCodes and "+
					"checks in internal/openhexatest", got, kind.APIType, codes)
			}
			for _, f := range []string{"resource.tf", "import.sh", "import-by-string-id.tf", "import-by-identity.tf"} {
				if _, err := os.Stat(filepath.Join(root, "examples", "resources", kind.ResourceTypeName(), f)); err != nil {
					t.Errorf("no example: %v", err)
				}
			}
			for doc, body := range prose {
				switch {
				case doc == secretsGuide && !slices.Contains(kindsWithSecrets(), kind):
				case doc == readme:
					if intro, _, _ := strings.Cut(body, "\n\n## "); !strings.Contains(intro, kind.Title) {
						t.Errorf("the first paragraph of %s does not name %s", doc, kind.Title)
					}
				case !strings.Contains(body, "`"+kind.ResourceTypeName()+"`"):
					t.Errorf("%s does not name %s", doc, kind.ResourceTypeName())
				}
			}
		})
		apiTypes = append(apiTypes, kind.APIType)
	}
	for name := range kindSamples {
		if connection.KindByName(name) == nil {
			t.Errorf("kindSamples has a row %q, which is no kind", name)
		}
	}
	for _, ct := range openhexa.ConnectionTypes {
		if !slices.Contains(apiTypes, ct) {
			t.Errorf("OpenHEXA offers %s connections, and no kind manages them", ct)
		}
	}
}
