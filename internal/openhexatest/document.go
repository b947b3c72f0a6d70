package openhexatest

import (
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// graph-gophers/graphql-go does not expose its parse of a request's document,
// and the real server's answers need two things from it that graphql-go does not
// give: the definitions of the operation's variables (to coerce their values as
// graphql-core does) and where each root field sits (the "locations" of an error
// the resolver of that field returned). This file reads just that, with
// gqlparser, from a document that graphql-go has already validated.

// typeRef is a variable's declared type.
type typeRef struct {
	name    string   // a named type, when list is nil
	list    *typeRef // the item type of a list
	nonNull bool
}

// String writes the type as GraphQL does ("[ConnectionFieldInput!]!").
func (t *typeRef) String() string {
	s := t.name
	if t.list != nil {
		s = "[" + t.list.String() + "]"
	}
	if t.nonNull {
		s += "!"
	}
	return s
}

type variableDef struct {
	name       string
	typ        *typeRef
	hasDefault bool
	loc        gqlerrors.Location
}

// operationInfo is what the server needs to know of the operation it runs.
type operationInfo struct {
	vars []variableDef
	// roots maps the response key of each root field (its alias, else its name)
	// to where it is written.
	roots map[string]gqlerrors.Location
}

// scanOperation finds the operation that a request runs (by name, or the only
// one) in a valid document; nil when there is none.
func scanOperation(query, name string) *operationInfo {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return nil
	}
	for _, op := range doc.Operations {
		if name != "" && op.Name != name {
			continue
		}
		info := &operationInfo{roots: map[string]gqlerrors.Location{}}
		for _, v := range op.VariableDefinitions {
			info.vars = append(info.vars, variableDef{
				name: v.Variable, typ: typeRefOf(v.Type), hasDefault: v.DefaultValue != nil, loc: location(v.Position),
			})
		}
		for _, sel := range op.SelectionSet {
			// Fragment spreads and inline fragments have no root key of their own here.
			if f, ok := sel.(*ast.Field); ok {
				if _, seen := info.roots[f.Alias]; !seen {
					info.roots[f.Alias] = location(f.Position)
				}
			}
		}
		return info
	}
	return nil
}

func typeRefOf(t *ast.Type) *typeRef {
	ref := &typeRef{name: t.NamedType, nonNull: t.NonNull}
	if t.Elem != nil {
		ref.list = typeRefOf(t.Elem)
	}
	return ref
}

func location(p *ast.Position) gqlerrors.Location {
	if p == nil {
		return gqlerrors.Location{}
	}
	return gqlerrors.Location{Line: p.Line, Column: p.Column}
}
