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

// envVarsFunction builds the environment the OpenHEXA SDK reads in local runs.
type envVarsFunction struct{}

// NewEnvVarsFunction returns provider::openhexa::env_vars.
func NewEnvVarsFunction() function.Function { return &envVarsFunction{} }

func (f *envVarsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "env_vars"
}

func (f *envVarsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The environment variables the OpenHEXA SDK reads for a connection in local runs",
		MarkdownDescription: "Returns the environment variables through which the OpenHEXA SDK finds a " +
			"connection when a notebook or pipeline runs locally. The prefix is the identifier in CONSTANT_CASE " +
			"(`-`, `.` and spaces become `_`, then upper case; `my-dhis2` gives `MY_DHIS2`); the variable " +
			"`<PREFIX>` holds the type in lower case and `<PREFIX>_<CODE>` holds each field, with the code upper-" +
			"cased (`MY_DHIS2_URL`, `MY_DHIS2_USERNAME`, `MY_DHIS2_PASSWORD`). Pass the `fields` of the " +
			"`openhexa_connection` ephemeral resource to include secrets without storing them.",
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
	prefix := slug.ConstantCase(strings.TrimSpace(identifier))
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
	env := map[string]string{prefix: lower}
	codes := make([]string, 0, len(fields))
	for code := range fields {
		codes = append(codes, code)
	}
	sort.Strings(codes)
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
		name := prefix + "_" + strings.ToUpper(code)
		if other, taken := from[name]; taken {
			return nil, function.NewArgumentFuncError(2, fmt.Sprintf("the fields %q and %q both give the variable "+
				"%s: codes must differ by more than case", other, code, name))
		}
		from[name] = code
		env[name] = value.ValueString()
	}
	return env, nil
}
