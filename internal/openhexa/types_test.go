package openhexa

import (
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestConnectionTypesAreTheSchemaEnum: the client knows exactly the values of the
// schema's ConnectionType enum, which the test server accepts too (it is built from
// the same schema.graphql).
func TestConnectionTypesAreTheSchemaEnum(t *testing.T) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: SchemaSDL})
	if err != nil {
		t.Fatalf("schema.graphql does not load: %v", err)
	}
	enum := schema.Types["ConnectionType"]
	if enum == nil || enum.Kind != ast.Enum {
		t.Fatal("schema.graphql has no enum ConnectionType")
	}
	var inSchema []string
	for _, v := range enum.EnumValues {
		inSchema = append(inSchema, v.Name)
		if !ConnectionType(v.Name).Known() {
			t.Errorf("the schema's ConnectionType %s is not in ConnectionTypes (types.go)", v.Name)
		}
	}
	for _, ct := range ConnectionTypes {
		if !slices.Contains(inSchema, string(ct)) {
			t.Errorf("ConnectionTypes holds %s, which the schema's ConnectionType enum lacks", ct)
		}
	}
}
