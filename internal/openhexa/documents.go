package openhexa

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// The client's named operations are static files, operations/*.graphql: each is sent
// together with the fragments it uses, as loadDocuments formats it (parsed and
// printed with gqlparser, never pasted together from strings). Every document is
// validated against the schema by TestDocumentsValidateAgainstSchema (documents_test.go).
//
//go:embed operations/*.graphql
var operationFiles embed.FS

// Operation names, one per document in operations/.
const (
	OpMe                       = "Me"
	OpGetWorkspace             = "GetWorkspace"
	OpListWorkspaces           = "ListWorkspaces"
	OpListWorkspaceConnections = "ListWorkspaceConnections"
	// OpListWorkspaceConnectionSummaries lists without fields: on the real server each
	// connection's fields cost a database query, the rest of the listing almost nothing.
	OpListWorkspaceConnectionSummaries = "ListWorkspaceConnectionSummaries"
	OpGetConnection                    = "GetConnection"
	OpGetConnectionBySlug              = "GetConnectionBySlug"
	OpCreateConnection                 = "CreateConnection"
	OpUpdateConnection                 = "UpdateConnection"
	OpDeleteConnection                 = "DeleteConnection"
	OpTestConnection                   = "TestConnection"
)

// documents maps an operation name to the full text sent for it.
var documents = mustLoadDocuments()

// Document returns the text sent for the named operation.
func Document(operationName string) (string, bool) {
	doc, ok := documents[operationName]
	return doc, ok
}

// OperationNames lists every operation the client can send, sorted.
func OperationNames() []string {
	names := make([]string, 0, len(documents))
	for name := range documents {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func mustLoadDocuments() map[string]string {
	docs, err := loadDocuments(operationFiles)
	if err != nil {
		panic(fmt.Sprintf("openhexa: embedded GraphQL documents are broken: %v", err))
	}
	return docs
}

func loadDocuments(files fs.FS) (map[string]string, error) {
	paths, err := fs.Glob(files, "operations/*.graphql")
	if err != nil {
		return nil, err
	}
	var sources []*ast.Source
	for _, p := range paths {
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return nil, err
		}
		sources = append(sources, &ast.Source{Name: p, Input: string(body)})
	}
	combined := &ast.QueryDocument{}
	for _, src := range sources {
		doc, err := parser.ParseQuery(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		combined.Operations = append(combined.Operations, doc.Operations...)
		combined.Fragments = append(combined.Fragments, doc.Fragments...)
	}
	result := make(map[string]string, len(combined.Operations))
	for _, op := range combined.Operations {
		if op.Name == "" {
			return nil, fmt.Errorf("an operation has no name: every operation must be named")
		}
		if _, dup := result[op.Name]; dup {
			return nil, fmt.Errorf("operation %q is defined twice", op.Name)
		}
		needed, err := fragmentsUsed(op.SelectionSet, combined.Fragments, map[string]bool{})
		if err != nil {
			return nil, fmt.Errorf("operation %s: %w", op.Name, err)
		}
		doc := &ast.QueryDocument{Operations: ast.OperationList{op}, Fragments: needed}
		var sb strings.Builder
		formatter.NewFormatter(&sb, formatter.WithIndent("  ")).FormatQueryDocument(doc)
		result[op.Name] = sb.String()
	}
	return result, nil
}

// fragmentsUsed returns the fragment definitions a selection set needs, transitively.
func fragmentsUsed(set ast.SelectionSet, all ast.FragmentDefinitionList, seen map[string]bool) (ast.FragmentDefinitionList, error) {
	var out ast.FragmentDefinitionList
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			more, err := fragmentsUsed(s.SelectionSet, all, seen)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		case *ast.InlineFragment:
			more, err := fragmentsUsed(s.SelectionSet, all, seen)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			def := all.ForName(s.Name)
			if def == nil {
				return nil, fmt.Errorf("unknown fragment %q", s.Name)
			}
			seen[s.Name] = true
			out = append(out, def)
			more, err := fragmentsUsed(def.SelectionSet, all, seen)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}
