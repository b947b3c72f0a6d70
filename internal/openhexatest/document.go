package openhexatest

import (
	"unicode"
	"unicode/utf8"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// graph-gophers/graphql-go does not expose its parse of a request's document,
// and the real server's answers need two things from it that graphql-go does not
// give: the definitions of the operation's variables (to coerce their values as
// graphql-core does) and where each root field sits (the "locations" of an error
// the resolver of that field returned). This file reads just that from a
// document that graphql-go has already validated.

type token struct {
	kind  byte // 'n' name, 's' string, '0' number, else the punctuator's first byte
	text  string
	loc   gqlerrors.Location
	block bool
}

// lexDocument splits a GraphQL document into tokens, with line and column
// (1-based, counted in characters as graphql-core counts them).
func lexDocument(src string) []token {
	var out []token
	line, col := 1, 1
	i := 0
	advance := func(n int) {
		for _, r := range src[i : i+n] {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		i += n
	}
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		loc := gqlerrors.Location{Line: line, Column: col}
		switch {
		case r == '\ufeff' || r == ',' || unicode.IsSpace(r):
			advance(size)
		case r == '#':
			n := 0
			for i+n < len(src) && src[i+n] != '\n' && src[i+n] != '\r' {
				n++
			}
			advance(n)
		case r == '"':
			n, block := stringLength(src[i:])
			out = append(out, token{kind: 's', text: src[i : i+n], loc: loc, block: block})
			advance(n)
		case r == '.' && len(src) >= i+3 && src[i:i+3] == "...":
			out = append(out, token{kind: '.', text: "...", loc: loc})
			advance(3)
		case r == '_' || r < utf8.RuneSelf && unicode.IsLetter(r):
			n := 0
			for i+n < len(src) && isNameByte(src[i+n]) {
				n++
			}
			out = append(out, token{kind: 'n', text: src[i : i+n], loc: loc})
			advance(n)
		case r == '-' || r >= '0' && r <= '9':
			n := 1
			for i+n < len(src) && (isNameByte(src[i+n]) || src[i+n] == '.' || src[i+n] == '+' || src[i+n] == '-') {
				n++
			}
			out = append(out, token{kind: '0', text: src[i : i+n], loc: loc})
			advance(n)
		default:
			out = append(out, token{kind: src[i], text: src[i : i+size], loc: loc})
			advance(size)
		}
	}
	return out
}

func isNameByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// stringLength returns the length of the string token at the start of s.
func stringLength(s string) (int, bool) {
	if len(s) >= 3 && s[:3] == `"""` {
		for i := 3; i < len(s); i++ {
			if s[i] == '\\' && len(s) >= i+4 && s[i+1:i+4] == `"""` {
				i += 3
				continue
			}
			if len(s) >= i+3 && s[i:i+3] == `"""` {
				return i + 3, true
			}
		}
		return len(s), true
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"', '\n':
			return i + 1, false
		}
	}
	return len(s), false
}

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

type docParser struct {
	toks []token
	pos  int
}

func (p *docParser) peek() *token {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

func (p *docParser) next() *token {
	t := p.peek()
	if t != nil {
		p.pos++
	}
	return t
}

func (p *docParser) is(kind byte) bool { t := p.peek(); return t != nil && t.kind == kind }

func (p *docParser) isName(text string) bool {
	t := p.peek()
	return t != nil && t.kind == 'n' && t.text == text
}

// skipBalanced skips from an opening bracket to its match.
func (p *docParser) skipBalanced() {
	depth := 0
	for t := p.next(); t != nil; t = p.next() {
		switch t.kind {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
		if depth == 0 {
			return
		}
	}
}

func (p *docParser) skipDirectives() {
	for p.is('@') {
		p.next()
		p.next()
		if p.is('(') {
			p.skipBalanced()
		}
	}
}

// scanOperation finds the operation that a request runs (by name, or the only
// one) in a valid document.
func scanOperation(query, name string) *operationInfo {
	p := &docParser{toks: lexDocument(query)}
	for p.peek() != nil {
		info := &operationInfo{roots: map[string]gqlerrors.Location{}}
		opName := ""
		switch {
		case p.is('{'):
		case p.isName("query") || p.isName("mutation") || p.isName("subscription"):
			p.next()
			if p.is('n') {
				opName = p.next().text
			}
			if p.is('(') {
				p.next()
				info.vars = p.variableDefs()
			}
			p.skipDirectives()
		default: // a fragment, or something graphql-go would have refused
			for p.peek() != nil && !p.is('{') {
				p.next()
			}
			p.skipBalanced()
			continue
		}
		if !p.is('{') {
			return nil
		}
		p.rootFields(info)
		if name == "" || name == opName {
			return info
		}
	}
	return nil
}

func (p *docParser) variableDefs() []variableDef {
	var out []variableDef
	for p.peek() != nil && !p.is(')') {
		if !p.is('$') {
			p.next()
			continue
		}
		v := variableDef{loc: p.next().loc}
		if t := p.next(); t != nil {
			v.name = t.text
		}
		if p.is(':') {
			p.next()
		}
		v.typ = p.typeRef()
		if p.is('=') {
			p.next()
			v.hasDefault = true
			if p.is('[') || p.is('{') {
				p.skipBalanced()
			} else {
				p.next()
			}
		}
		p.skipDirectives()
		out = append(out, v)
	}
	p.next() // ")"
	return out
}

func (p *docParser) typeRef() *typeRef {
	t := &typeRef{}
	if p.is('[') {
		p.next()
		t.list = p.typeRef()
		if p.is(']') {
			p.next()
		}
	} else if tok := p.next(); tok != nil {
		t.name = tok.text
	}
	if p.is('!') {
		p.next()
		t.nonNull = true
	}
	return t
}

// rootFields reads the top selection set: where each root field is.
func (p *docParser) rootFields(info *operationInfo) {
	p.next() // "{"
	for p.peek() != nil && !p.is('}') {
		if p.is('.') { // a fragment spread or an inline fragment: no root key of its own here
			p.next()
			if p.isName("on") {
				p.next()
			}
			if p.is('n') {
				p.next()
			}
			p.skipDirectives()
			if p.is('{') {
				p.skipBalanced()
			}
			continue
		}
		first := p.next()
		if first.kind != 'n' {
			continue
		}
		if _, seen := info.roots[first.text]; !seen {
			info.roots[first.text] = first.loc
		}
		if p.is(':') {
			p.next()
			p.next()
		}
		if p.is('(') {
			p.skipBalanced()
		}
		p.skipDirectives()
		if p.is('{') {
			p.skipBalanced()
		}
	}
	p.next() // "}"
}
