package functions

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = &envVarsFunction{}

// connectionTypes are the API types of the provider's connection kinds; the SDK reads
// them lower-cased.
var connectionTypes = connection.APITypes()

// envVarsFunction builds the environment OpenHEXA defines for a connection, which the
// OpenHEXA SDK reads in local runs.
type envVarsFunction struct{}

// NewEnvVarsFunction returns provider::openhexa::env_vars.
func NewEnvVarsFunction() function.Function { return &envVarsFunction{} }

func (f *envVarsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "env_vars"
}

func (f *envVarsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The environment variables OpenHEXA defines for a connection, with the type the SDK's local mode needs",
		MarkdownDescription: "Returns the environment variables OpenHEXA defines for a connection (its " +
			"`Connection.env_variables`), plus the one the OpenHEXA SDK needs to find the connection in them when a " +
			"notebook or pipeline runs locally. Each field gives `<SLUG>_<CODE>` in OpenHEXA's constant case " +
			"(`-`, `.` and spaces become `_`, then upper case: field `api-version` of `my-api` gives " +
			"`MY_API_API_VERSION`); PostgreSQL adds `<SLUG>_URL` (`postgresql://<username>:<password>@<host>:<port>/<db_name>`, " +
			"nothing escaped, exactly as OpenHEXA builds it) and `<SLUG>_DATABASE` (the `db_name`), DHIS2 and IASO add " +
			"`<SLUG>_API_URL` (the `url`); these compatibility names win over a field whose variable has the same name, " +
			"as in OpenHEXA. `<SLUG>` itself holds the type in lower case (`MY_DHIS2=dhis2`). Two codes that give the " +
			"same variable (`api-key` and `api_key`, `Token` and `token`) are an error, as are missing fields the " +
			"compatibility names are built from. Pass the `fields` of the `openhexa_connection` ephemeral resource to " +
			"include secrets without storing them.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "identifier",
				MarkdownDescription: "The connection's slug, as pipelines name it.",
			},
			function.StringParameter{
				Name: "type",
				MarkdownDescription: "The connection's type as the API names it, in any case: " +
					connection.Enumerate(connectionTypes, "`", "or") + " (or `" + strings.ToLower(connectionTypes[0]) + "`, …).",
			},
			function.MapParameter{
				Name:                "fields",
				ElementType:         types.StringType,
				MarkdownDescription: "The connection's fields, value by code.",
			},
		},
		Return: function.MapReturn{ElementType: types.StringType},
	}
}

func (f *envVarsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var identifier, typ string
	var fields map[string]types.String
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &identifier, &typ, &fields))
	if resp.Error != nil {
		return
	}
	env, err := envVars(identifier, typ, fields)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, env))
}

// envVars computes the variables, or the argument error that prevents it.
func envVars(identifier, typ string, fields map[string]types.String) (map[string]string, *function.FuncError) {
	connSlug := strings.TrimSpace(identifier)
	prefix := slug.ConstantCase(connSlug)
	if prefix == "" {
		return nil, function.NewArgumentFuncError(0, "the identifier is empty: pass the connection's slug")
	}
	lower := ""
	for _, t := range connectionTypes {
		if strings.EqualFold(typ, t) {
			lower = strings.ToLower(t)
		}
	}
	if lower == "" {
		return nil, function.NewArgumentFuncError(1, fmt.Sprintf("%q is not an OpenHEXA connection type: use one of "+
			"%s (any case)", typ, strings.Join(connectionTypes, ", ")))
	}
	codes := make([]string, 0, len(fields))
	for code := range fields {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	env := map[string]string{}
	values := map[string]string{}
	from := map[string]string{}
	for _, code := range codes {
		value := fields[code]
		if code == "" {
			return nil, function.NewArgumentFuncError(2, "a field has an empty code")
		}
		if value.IsNull() {
			return nil, function.NewArgumentFuncError(2, fmt.Sprintf("the field %q is null: give every field a "+
				"string value (\"\" for an empty one)", code))
		}
		// Upstream's ConnectionField.env_key: constcase("<slug>_<code>".lower()).
		name := slug.ConstantCase(connSlug + "_" + code)
		if other, taken := from[name]; taken {
			return nil, function.NewArgumentFuncError(2, fmt.Sprintf("the fields %q and %q both give the variable "+
				"%s (OpenHEXA upper-cases codes and turns `-` and `.` into `_`), so one would hide the other: "+
				"rename one of them", other, code, name))
		}
		from[name] = code
		values[code] = value.ValueString()
		env[name] = value.ValueString()
	}
	compat, err := compatibilityVariables(connSlug, lower, values)
	if err != nil {
		return nil, err
	}
	// Set last, as upstream's env.update does: a compatibility name wins over a field
	// whose variable has the same name.
	for name, value := range compat {
		env[name] = value
	}
	env[prefix] = lower
	return env, nil
}
