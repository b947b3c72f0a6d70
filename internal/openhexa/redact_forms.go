package openhexa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// minSecretLength is the shortest value scrubbed: shorter ones (an empty
	// password, "no") would blank out ordinary words.
	minSecretLength = 4
	// fragmentLength is the shortest run of a secret's text that is scrubbed on its
	// own, wherever it sits in the secret: servers shorten long values (graphql-core
	// keeps the first 118 and last 119 characters of a repr over 240) and may cut them
	// anywhere else too.
	fragmentLength = 20
)

// secretForms returns every spelling under which a server answer can quote the value:
// as sent; escaped as JSON (Go's, and Python's json.dumps, which escapes all but
// ASCII); inside a Python repr with either quote escaped (graphql-core quotes bad input
// with repr()); and one layer of each inside the other (a JSON document quoted by
// repr(), a repr inside JSON).
func secretForms(s string) []string {
	jsons := func(v string) []string { return []string{jsonInner(v, false), jsonInner(v, true), pythonJSONInner(v)} }
	reprs := func(v string) []string { return []string{pythonReprInner(v, '\''), pythonReprInner(v, '"')} }
	forms := []string{s}
	for _, j := range jsons(s) {
		forms = append(forms, j)
		forms = append(forms, reprs(j)...)
	}
	for _, r := range reprs(s) {
		forms = append(forms, r)
		forms = append(forms, jsons(r)...)
	}
	seen := map[string]bool{}
	out := forms[:0]
	for _, f := range forms {
		if !seen[f] && len(f) >= minSecretLength {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func jsonInner(s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s) // a string always encodes
	out := strings.TrimSuffix(buf.String(), "\n")
	return out[1 : len(out)-1]
}

// pythonJSONInner is json.dumps(s) without its quotes: like Go's, but every
// character beyond ASCII as \uXXXX (UTF-16, so a surrogate pair past U+FFFF).
func pythonJSONInner(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r >= 0x7f && r < 0x10000):
			if r == 0x7f {
				b.WriteRune(r)
				continue
			}
			fmt.Fprintf(&b, `\u%04x`, r)
		case r >= 0x10000:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pythonReprInner is repr(s) without its quotes, as if quote had been chosen: the
// quote and backslashes escaped, \n \r \t, \xNN \uNNNN \UNNNNNNNN for the
// characters Python does not print.
func pythonReprInner(s string, quote rune) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == quote || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

const redacted = "(redacted)"

// redactAll replaces, in text, every form of every value (see secretForms) and every
// run of at least fragmentLength bytes of a form's text, so that a shortened or cut
// quote of a secret goes too. All matches are found in the text as it came, then
// replaced at once: replacing one value first could split another's quote into
// pieces too short to recognise.
func redactAll(text string, values []string) string {
	var forms []string
	for _, v := range values {
		if len(v) >= minSecretLength {
			forms = append(forms, secretForms(v)...)
		}
	}
	if len(forms) == 0 || text == "" {
		return text
	}
	marked := make([]bool, len(text))
	found := false
	mark := func(from, to int) {
		found = true
		for j := from; j < to; j++ {
			marked[j] = true
		}
	}
	windows := map[string]bool{}
	for _, f := range forms {
		for at := 0; ; {
			i := strings.Index(text[at:], f)
			if i < 0 {
				break
			}
			mark(at+i, at+i+len(f))
			at += i + 1
		}
		for i := 0; i+fragmentLength <= len(f); i++ {
			windows[f[i:i+fragmentLength]] = true
		}
	}
	for i := 0; i+fragmentLength <= len(text); i++ {
		if windows[text[i:i+fragmentLength]] {
			mark(i, i+fragmentLength)
		}
	}
	if !found {
		return text
	}
	// Widen each run to whole characters: a window may begin or end inside one.
	for i := 1; i < len(text); i++ {
		if marked[i-1] && !utf8.RuneStart(text[i]) {
			marked[i] = true
		}
	}
	for i := len(text) - 1; i > 0; i-- {
		if marked[i] && !utf8.RuneStart(text[i]) {
			marked[i-1] = true
		}
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		if !marked[i] {
			b.WriteByte(text[i])
			i++
			continue
		}
		for i < len(text) && marked[i] {
			i++
		}
		b.WriteString(redacted)
	}
	return b.String()
}
