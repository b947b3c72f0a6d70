package functions

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// constcase names a variable as OpenHEXA does: stringcase 1.2.0's constcase applied
// to the lower-cased text, so `-`, `.` and white space become `_` and letters are
// upper-cased. Lower-casing first keeps stringcase from splitting words at capitals
// (constcase("ApiKey") alone would give API_KEY).
func constcase(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || isPythonSpace(r) {
			return '_'
		}
		return r
	}, strings.ToLower(s)))
}

// isPythonSpace is Python's `\s` on text: Go's white space plus the four ASCII
// separators U+001C–U+001F, which Python counts as space and Go does not.
func isPythonSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// compatibilityVariables are the names OpenHEXA's Connection.env_variables adds
// after the fields' own for backward compatibility: a compound URL and the old name
// of db_name for PostgreSQL, the old name of url for DHIS2 and IASO. Upstream reads
// the fields by code and fails when one is missing; so does this, on the fields
// argument.
func compatibilityVariables(slug, typ string, values map[string]string) (map[string]string, *function.FuncError) {
	var needed []string
	switch typ {
	case "postgresql":
		needed = []string{"username", "password", "host", "port", "db_name"}
	case "dhis2", "iaso":
		needed = []string{"url"}
	default:
		return nil, nil
	}
	var missing []string
	for _, code := range needed {
		if _, ok := values[code]; !ok {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		return nil, function.NewArgumentFuncError(2, fmt.Sprintf("the fields lack %s: OpenHEXA derives variables of "+
			"a %s connection from %s, and cannot put one without them in the environment",
			strings.Join(missing, ", "), typ, strings.Join(needed, ", ")))
	}
	if typ != "postgresql" {
		return map[string]string{constcase(slug + "_api_url"): values["url"]}, nil
	}
	return map[string]string{
		// Built as upstream builds it, nothing escaped: the exact string the platform sets.
		constcase(slug + "_url"): "postgresql://" + values["username"] + ":" + values["password"] + "@" +
			values["host"] + ":" + values["port"] + "/" + values["db_name"],
		constcase(slug + "_database"): values["db_name"],
	}, nil
}
