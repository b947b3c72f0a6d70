package functions

import (
	"fmt"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/function"
)

// compatibilityVariables are the names OpenHEXA's Connection.env_variables adds
// after the fields' own for backward compatibility: a compound URL and the old name
// of db_name for PostgreSQL, the old name of url for DHIS2 and IASO. Upstream reads
// the fields by code and fails when one is missing; so does this, on the fields
// argument.
func compatibilityVariables(connSlug, typ string, values map[string]string) (map[string]string, *function.FuncError) {
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
		return map[string]string{slug.ConstantCase(connSlug + "_api_url"): values["url"]}, nil
	}
	return map[string]string{
		// Built as upstream builds it, nothing escaped: the exact string the platform sets.
		slug.ConstantCase(connSlug + "_url"): "postgresql://" + values["username"] + ":" + values["password"] + "@" +
			values["host"] + ":" + values["port"] + "/" + values["db_name"],
		slug.ConstantCase(connSlug + "_database"): values["db_name"],
	}, nil
}
