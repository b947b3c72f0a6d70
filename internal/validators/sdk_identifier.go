package validators

import (
	"fmt"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

// SDKFieldCodeProblem says why code written for a custom connection's field cannot
// read it through the OpenHEXA SDK as that code, through the API (notebooks and
// pipelines in OpenHEXA) or in local runs (environment variables, where the field's
// name is SDKLocalFieldName): the summary and detail of a warning, quoting what
// Python raises; "" when both read it as written. The facts are slug/sdk.go's.
func SDKFieldCodeProblem(code string) (summary, detail string) {
	local := slug.SDKLocalFieldName(code)
	apiError, localError := sdkFieldError(code), sdkFieldError(local)
	spelling := sdkSpelling(code)
	intro := fmt.Sprintf("The OpenHEXA SDK (openhexa-sdk %s) turns a custom connection into a Python dataclass with "+
		"one attribute per field code, so `workspace.custom_connection()` ", slug.SDKVersion)
	summary = "Field code is not a Python identifier"
	if slug.SDKReservedCode(code) || slug.SDKReservedCode(local) {
		summary = "Field code the OpenHEXA SDK reserves"
	}
	switch {
	case apiError != "" && localError != "":
		detail = intro + fmt.Sprintf("raises TypeError (%s) for %q, through the API and in local runs alike: "+
			"notebooks and pipelines cannot read this connection through the SDK at all, none of its fields.",
			apiError, code)
	case apiError != "":
		detail = intro + fmt.Sprintf("raises TypeError (%s) for %q through the API: notebooks and pipelines in "+
			"OpenHEXA cannot read this connection at all, none of its fields (local runs, which read environment "+
			"variables, get the field as `%s`).", apiError, code, local)
	case localError != "":
		detail = intro + fmt.Sprintf("reads %q as `%s` through the API, but local runs, which read environment "+
			"variables, get the field as %q and raise TypeError (%s): the connection works in OpenHEXA and not "+
			"on a laptop.", code, code, local, localError)
	case local != code:
		summary = "Field code read under another name in local runs"
		detail = intro + fmt.Sprintf("reads %q as `%s` through the API, but local runs read environment variables, "+
			"whose names carry no case, and get the field as `%s`: code written for one fails with AttributeError "+
			"in the other.", code, code, local)
	default:
		return "", ""
	}
	return summary, detail + fmt.Sprintf(" OpenHEXA accepts the code. Spell it %q instead (lower-case letters, "+
		"digits and '_', not starting with a digit, not a Python keyword, not a name of the form __name__, "+
		"not `identifier`).", spelling)
}

// sdkFieldError is the text of the TypeError custom_connection() raises for a field
// named name, "" when it raises none.
func sdkFieldError(name string) string {
	switch {
	case slug.IsPythonKeyword(name):
		return fmt.Sprintf("Field names must not be keywords: '%s'", name)
	case !slug.IsPythonIdentifier(name):
		return fmt.Sprintf("Field names must be valid identifiers: '%s'", name)
	case slug.SDKInheritedField(name):
		return fmt.Sprintf("non-default argument '<the next field>' follows default argument; or, for a "+
			"connection with no other field, got multiple values for keyword argument '%s'", name)
	case slug.SDKReservedCode(name):
		return "non-default argument '<the next field>' follows default argument, whenever a field comes after " +
			"it in the order the SDK gets them (OpenHEXA's, or the environment's): the class has an attribute of " +
			"that name already, as Python gives it most names of the form __name__"
	}
	return ""
}

// sdkSpelling suggests a code both the API and local runs read as written: lower
// case, '_' between words ('-' and a capital after a small letter start one), a
// leading '_' before a digit, the underscores of a __name__ dropped, a trailing '_'
// after a keyword or `identifier`.
func sdkSpelling(code string) string {
	var sb strings.Builder
	for i := 0; i < len(code); i++ {
		c := code[i]
		if 'A' <= c && c <= 'Z' && i > 0 && ('a' <= code[i-1] && code[i-1] <= 'z' || '0' <= code[i-1] && code[i-1] <= '9') {
			sb.WriteByte('_')
		}
		sb.WriteByte(c)
	}
	s := slug.SDKLocalFieldName(sb.String())
	if strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") {
		s = strings.Trim(s, "_")
	}
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	if slug.IsPythonKeyword(s) || slug.SDKReservedCode(s) {
		s += "_"
	}
	return s
}
