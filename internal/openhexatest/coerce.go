package openhexatest

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/graph-gophers/graphql-go/ast"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// The real server (Ariadne on graphql-core 3) coerces variable values before it
// executes anything, and words each failure as graphql-core does:
//
//	Variable '$input' got invalid value 'MYSQL' at 'input.type'; Value 'MYSQL' does not exist in 'ConnectionType' enum.
//
// located at the variable's definition. graph-gophers/graphql-go checks
// variables during validation with other words, locates nested failures in the
// schema rather than in the request, and lets some through (a number for a
// String), so the test server coerces variables itself, with graphql-core's
// rules and messages. Values are quoted as graphql-core's inspect() quotes them
// (Python reprs, nested collections past depth 2 as [...] and {...}), with two
// differences that JSON decoding in Go imposes: object keys are listed sorted
// rather than in the order sent, and a number with no fractional part prints as
// an integer. A custom scalar that fails to parse says what Python raised, as
// graphql-core does: "Expected type 'UUID'. badly formed hexadecimal UUID string".

// coerceVariables checks the request's variable values against the operation's
// definitions; it returns graphql-core's errors, none when they all coerce.
func coerceVariables(schema *ast.Schema, op *operationInfo, values map[string]any) []*gqlerrors.QueryError {
	var errs []*gqlerrors.QueryError
	for _, v := range op.vars {
		fail := func(msg string) {
			errs = append(errs, &gqlerrors.QueryError{Message: msg, Locations: []gqlerrors.Location{v.loc}})
		}
		value, given := values[v.name]
		switch {
		case !given:
			if !v.hasDefault && v.typ.nonNull {
				fail(fmt.Sprintf("Variable '$%s' of required type '%s' was not provided.", v.name, v.typ))
			}
			continue
		case value == nil && v.typ.nonNull:
			fail(fmt.Sprintf("Variable '$%s' of non-null type '%s' must not be null.", v.name, v.typ))
			continue
		}
		c := coercer{schema: schema, onError: func(path []any, invalid any, msg string) {
			prefix := fmt.Sprintf("Variable '$%s' got invalid value %s", v.name, pyInspect(invalid, 0))
			if len(path) > 0 {
				prefix += fmt.Sprintf(" at '%s%s'", v.name, printPath(path))
			}
			fail(prefix + "; " + msg)
		}}
		c.coerce(value, v.typ, nil)
	}
	return errs
}

type coercer struct {
	schema  *ast.Schema
	onError func(path []any, invalid any, msg string)
}

func (c *coercer) coerce(value any, t *typeRef, path []any) {
	if t.nonNull {
		if value == nil {
			c.onError(path, value, fmt.Sprintf("Expected non-nullable type '%s' not to be null.", t))
			return
		}
		inner := *t
		inner.nonNull = false
		c.coerce(value, &inner, path)
		return
	}
	if value == nil {
		return
	}
	if t.list != nil {
		items, isList := value.([]any)
		if !isList { // a single value is a list of one
			c.coerce(value, t.list, path)
			return
		}
		for i, item := range items {
			c.coerce(item, t.list, append(append([]any(nil), path...), i))
		}
		return
	}
	switch def := c.schema.Types[t.name].(type) {
	case *ast.InputObject:
		c.inputObject(value, def, path)
	case *ast.EnumTypeDefinition:
		s, isString := value.(string)
		if !isString {
			c.onError(path, value, fmt.Sprintf("Enum '%s' cannot represent non-string value: %s.", def.Name, pyInspect(value, 0)))
			return
		}
		names := make([]string, len(def.EnumValuesDefinition))
		for i, e := range def.EnumValuesDefinition {
			if e.EnumValue == s {
				return
			}
			names[i] = e.EnumValue
		}
		c.onError(path, value, fmt.Sprintf("Value '%s' does not exist in '%s' enum.", s, def.Name)+
			didYouMean(suggestions(s, names), "the enum value"))
	case *ast.ScalarTypeDefinition:
		if msg := scalarError(def.Name, value); msg != "" {
			c.onError(path, value, msg)
		}
	}
}

func (c *coercer) inputObject(value any, def *ast.InputObject, path []any) {
	obj, isObject := value.(map[string]any)
	if !isObject {
		c.onError(path, value, fmt.Sprintf("Expected type '%s' to be a mapping.", def.Name))
		return
	}
	names := make([]string, 0, len(def.Values))
	for _, f := range def.Values {
		names = append(names, f.Name.Name)
		fv, given := obj[f.Name.Name]
		if !given {
			if _, nonNull := f.Type.(*ast.NonNull); nonNull && f.Default == nil {
				c.onError(path, value, fmt.Sprintf("Field '%s' of required type '%s' was not provided.", f.Name.Name, f.Type))
			}
			continue
		}
		c.coerce(fv, refOf(f.Type), append(append([]any(nil), path...), f.Name.Name))
	}
	unknown := make([]string, 0)
	for k := range obj {
		if def.Values.Get(k) == nil {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		c.onError(path, value, fmt.Sprintf("Field '%s' is not defined by type '%s'.", k, def.Name)+didYouMean(suggestions(k, names), ""))
	}
}

// refOf turns a schema type into a typeRef.
func refOf(t ast.Type) *typeRef {
	switch t := t.(type) {
	case *ast.NonNull:
		r := refOf(t.OfType)
		r.nonNull = true
		return r
	case *ast.List:
		return &typeRef{list: refOf(t.OfType)}
	}
	return &typeRef{name: t.String()}
}

// scalarError is graphql-core's (or, for the custom scalars, Python's) error for
// a value a scalar cannot take, "" when it takes it.
func scalarError(name string, value any) string {
	switch name {
	case "String":
		if _, ok := value.(string); !ok {
			return "String cannot represent a non string value: " + pyInspect(value, 0)
		}
	case "Boolean":
		if _, ok := value.(bool); !ok {
			return "Boolean cannot represent a non boolean value: " + pyInspect(value, 0)
		}
	case "Int":
		if f, ok := value.(float64); !ok || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			return "Int cannot represent non-integer value: " + pyInspect(value, 0)
		}
	case "UUID":
		s, ok := value.(string)
		if !ok {
			return fmt.Sprintf("Expected type 'UUID'. '%s' object has no attribute 'replace'", pyTypeName(value))
		}
		if _, valid := parseUUID(s); !valid {
			return "Expected type 'UUID'. badly formed hexadecimal UUID string"
		}
	}
	return ""
}

func pyTypeName(v any) string {
	switch v := v.(type) {
	case bool:
		return "bool"
	case float64:
		if v == math.Trunc(v) {
			return "int"
		}
		return "float"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "NoneType"
}

// printPath writes a path after the variable's name: ".fields[0].code".
func printPath(path []any) string {
	var b strings.Builder
	for _, k := range path {
		if i, isIndex := k.(int); isIndex {
			fmt.Fprintf(&b, "[%d]", i)
		} else {
			fmt.Fprintf(&b, ".%s", k)
		}
	}
	return b.String()
}

// pyInspect quotes a decoded JSON value as graphql-core's inspect() does.
func pyInspect(v any, depth int) string {
	const maxDepth, maxItems, maxString = 2, 10, 240
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e21 {
			return truncString(strconv.FormatFloat(v, 'f', -1, 64), maxString)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return truncString(pyRepr(v), maxString)
	case []any:
		if len(v) == 0 {
			return "[]"
		}
		if depth >= maxDepth {
			return "[...]"
		}
		parts := make([]string, 0, len(v))
		for _, e := range v {
			parts = append(parts, pyInspect(e, depth+1))
		}
		return "[" + strings.Join(truncList(parts, maxItems), ", ") + "]"
	case map[string]any:
		if len(v) == 0 {
			return "{}"
		}
		if depth >= maxDepth {
			return "{...}"
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(v))
		for _, k := range keys {
			parts = append(parts, pyInspect(k, depth+1)+": "+pyInspect(v[k], depth+1))
		}
		return "{" + strings.Join(truncList(parts, maxItems), ", ") + "}"
	}
	return fmt.Sprint(v)
}

func truncString(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	i := (limit - 3) / 2
	j := limit - 3 - i
	return string(r[:i]) + "..." + string(r[len(r)-j:])
}

func truncList(items []string, limit int) []string {
	if len(items) <= limit {
		return items
	}
	i := limit / 2
	j := i - 1
	out := append(append([]string(nil), items[:i]...), "...")
	return append(out, items[len(items)-j:]...)
}

// suggestions lists the options close to input, as graphql-core's
// suggestion_list: within 40 % of its length by edit distance, closest first.
func suggestions(input string, options []string) []string {
	threshold := len(input)*4/10 + 1
	type scored struct {
		s string
		d int
	}
	var found []scored
	for _, o := range options {
		d := lexicalDistance(input, o)
		if d <= threshold {
			found = append(found, scored{o, d})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].s < found[j].s
	})
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.s
	}
	return out
}

// lexicalDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, case changes alone counting as 1.
func lexicalDistance(a, b string) int {
	if a == b {
		return 0
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la == lb {
		return 1
	}
	x, y := []rune(la), []rune(lb)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// didYouMean is graphql-core's suggestion sentence, at most five options.
func didYouMean(options []string, subject string) string {
	if len(options) == 0 {
		return ""
	}
	if len(options) > 5 {
		options = options[:5]
	}
	quoted := make([]string, len(options))
	for i, o := range options {
		quoted[i] = "'" + o + "'"
	}
	s := " Did you mean "
	if subject != "" {
		s += subject + " "
	}
	switch len(quoted) {
	case 1:
		return s + quoted[0] + "?"
	case 2:
		return s + quoted[0] + " or " + quoted[1] + "?"
	}
	return s + strings.Join(quoted[:len(quoted)-1], ", ") + ", or " + quoted[len(quoted)-1] + "?"
}
