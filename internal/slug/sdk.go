package slug

import "strings"

// What the OpenHEXA Python SDK makes of slugs and field codes, read from its source
// at the release SDKVersion (openhexa/sdk/workspaces/connection.py and
// current_workspace.py). Every warning about what the SDK cannot read derives from
// the facts of this file, with ConstantCase and IsPythonIdentifier: at the next SDK
// release, check them there and change SDKVersion.
//
//   - get_connection_from_api asks connectionBySlug for the identifier lower-cased
//     (SDKLookupSlug); OpenHEXA matches it exactly.
//   - get_connection_from_env reads <ConstantCase(identifier)> for the type, and for
//     a custom connection every variable that starts with "<that>_", the rest of the
//     name lower-cased as the field's name (SDKLocalFieldName).
//   - custom_connection builds a dataclass named after the identifier, with one field
//     per code, derived from CustomConnection(Connection): Python refuses a field name
//     that is not an identifier or is a keyword, and a code equal to an attribute the
//     class already has (SDKReservedCode) redeclares it with that attribute as its
//     default, so a field without one that follows it raises TypeError.
//   - the typed calls (postgresql_connection, …) raise ConnectionDoesNotExist
//     'No <SDKTypeNoun> connection for "<identifier>"' when nothing is found.

// SDKVersion is the OpenHEXA SDK release the facts of this file were read from.
const SDKVersion = "2.22.7"

// sdkInheritedFields are the dataclass fields of the SDK's Connection class, which
// every connection class inherits.
var sdkInheritedFields = map[string]bool{"identifier": true}

// sdkTypeNouns are the names the SDK's typed calls give each type in their errors.
var sdkTypeNouns = map[string]string{
	"POSTGRESQL": "PostgreSQL", "DHIS2": "DHIS2", "IASO": "IASO", "S3": "S3", "GCS": "GCS", "CUSTOM": "Custom",
}

// SDKLookupSlug is the slug the SDK asks OpenHEXA for when given identifier.
func SDKLookupSlug(identifier string) string { return strings.ToLower(identifier) }

// SDKLocalFieldName is the name a custom connection's field gets in a local run, read
// back from its environment variable.
func SDKLocalFieldName(code string) string { return strings.ToLower(ConstantCase(code)) }

// SDKCall is the SDK's call for a connection of this API type ("POSTGRESQL" gives
// workspace.postgresql_connection).
func SDKCall(apiType string) string { return "workspace." + strings.ToLower(apiType) + "_connection" }

// SDKTypeNoun is how the SDK's errors name a connection type.
func SDKTypeNoun(apiType string) string {
	if noun, ok := sdkTypeNouns[strings.ToUpper(apiType)]; ok {
		return noun
	}
	return apiType
}

// SDKReservedCode reports whether the class custom_connection builds already has an
// attribute named code: a field it inherits (identifier), or one of the names Python
// gives every class and dataclass (__init__, __class__, __dict__, …), which are all
// of the form __name__, a form Python reserves.
func SDKReservedCode(code string) bool {
	return sdkInheritedFields[code] || isDunder(code)
}

// SDKInheritedField reports whether code is a field of the SDK's Connection class.
func SDKInheritedField(code string) bool { return sdkInheritedFields[code] }

func isDunder(s string) bool {
	return len(s) > 4 && strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__")
}

// IsPythonKeyword reports whether s is a Python keyword (keyword.kwlist).
func IsPythonKeyword(s string) bool { return pythonKeywords[s] }
