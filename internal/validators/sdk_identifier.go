package validators

import (
	"fmt"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

// sdkVersionChecked is the OpenHEXA SDK release whose custom_connection() was tried
// with such codes.
const sdkVersionChecked = "2.22.7"

// nonIdentifierDetail says what the OpenHEXA SDK does with a custom connection that
// has this code: custom_connection() builds a dataclass with one field per code, which
// Python refuses for the whole connection. The text of Python's TypeError is quoted.
func nonIdentifierDetail(code string) string {
	pyError := fmt.Sprintf("Field names must be valid identifiers: '%s'", code)
	if identifierChars(code) { // the characters of an identifier, yet not one: a keyword
		pyError = fmt.Sprintf("Field names must not be keywords: '%s'", code)
	}
	return fmt.Sprintf("The OpenHEXA SDK (openhexa-sdk %s) turns a custom connection into a Python dataclass with "+
		"one attribute per field code, and %q is not a Python identifier: `workspace.custom_connection()` raises "+
		"TypeError (%s), so notebooks and pipelines cannot read this connection through the SDK at all, none of "+
		"its fields. OpenHEXA accepts the code. Spell it %q instead (letters, digits and '_', not starting with a "+
		"digit, not a Python keyword).", sdkVersionChecked, code, pyError, identifierSpelling(code))
}

// identifierSpelling suggests the identifier closest to a field code: '-' as '_', a
// leading '_' before a digit, a trailing '_' after a keyword.
func identifierSpelling(code string) string {
	s := strings.ReplaceAll(code, "-", "_")
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	if !slug.IsPythonIdentifier(s) { // a keyword
		s += "_"
	}
	return s
}

// identifierChars: letters, digits and '_', not starting with a digit.
func identifierChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}
