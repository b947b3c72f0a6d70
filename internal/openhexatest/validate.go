package openhexatest

import (
	"slices"
	"unicode/utf8"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

// The server's validation rules. Slug derivation and the slug and field-code
// patterns come from package slug, which the provider uses too.

func deriveSlug(name string) (string, bool) { return slug.Derive(name) }

func validSlug(s string) bool { return slug.ValidSlug(s) }

func validFieldCode(s string) bool { return slug.ValidFieldCode(s) }

// validName: required, 1 to 255 characters.
func validName(name string) bool {
	n := utf8.RuneCountInString(name)
	return n >= 1 && n <= 255
}

// requiredCodes lists, per built-in type, the field codes that the web app always
// sends and that testConnection checks for. CUSTOM has none.
var requiredCodes = map[string][]string{
	TypePostgreSQL: {"host", "port", "db_name", "username", "password"},
	TypeDHIS2:      {"url", "username", "password"},
	TypeIASO:       {"url", "username", "password"},
	TypeS3:         {"bucket_name", "access_key_id", "access_key_secret"},
	TypeGCS:        {"bucket_name", "service_account_key"},
}

// RequiredCodes returns the field codes testConnection requires for a built-in type,
// in the order the web app sends them; nil for CUSTOM or a type the server lacks.
func RequiredCodes(connType string) []string { return slices.Clone(requiredCodes[connType]) }
