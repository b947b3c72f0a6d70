package openhexa

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// TestDocumentsValidateAgainstSchema proves that every operation the client can send
// is valid for the schema file, as the server will check it.
func TestDocumentsValidateAgainstSchema(t *testing.T) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: SchemaSDL})
	if err != nil {
		t.Fatalf("schema.graphql does not load: %v", err)
	}
	names := OperationNames()
	if len(names) == 0 {
		t.Fatal("no operations loaded")
	}
	for _, name := range names {
		doc, _ := Document(name)
		t.Run(name, func(t *testing.T) {
			parsed, errs := gqlparser.LoadQueryWithRules(schema, doc, rules.NewDefaultRules())
			if len(errs) > 0 {
				t.Fatalf("document %s is not valid for the schema: %v\n%s", name, errs, doc)
			}
			if len(parsed.Operations) != 1 || parsed.Operations[0].Name != name {
				t.Fatalf("document %s must hold exactly the operation %s", name, name)
			}
		})
	}
}

func TestEveryOperationConstantHasADocument(t *testing.T) {
	for _, name := range []string{
		OpMe, OpGetWorkspace, OpListWorkspaces, OpListWorkspaceConnections, OpListWorkspaceConnectionSummaries, OpGetConnection, OpGetConnectionBySlug,
		OpCreateConnection, OpUpdateConnection, OpDeleteConnection, OpTestConnection,
	} {
		if _, ok := Document(name); !ok {
			t.Errorf("no document for operation %s", name)
		}
	}
}
