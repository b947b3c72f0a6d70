package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// A write-only secret with a `_wo_version` is sent only when the version changes (or
// OpenHEXA lacks it), so a plan that sends nothing needs no value: a CI plan made
// without secrets leaves it null. Without a version, every plan compares the value
// with a hash, so it needs the value. The checks below hold the configuration to that;
// the connection engine refuses, at apply, a null value it would have to send.

// RequiredSecret requires a secret through the attribute it validates, its
// write-only twin, or the twin's version (which says the value comes through the
// twin, though not necessarily in this run).
func RequiredSecret(writeOnly, version path.Expression) validator.String {
	return requiredSecret{writeOnly: writeOnly, version: version}
}

type requiredSecret struct{ writeOnly, version path.Expression }

func (v requiredSecret) Description(context.Context) string {
	return fmt.Sprintf("required, unless %s or %s is set", v.writeOnly, v.version)
}
func (v requiredSecret) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v requiredSecret) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	wo, version := req.PathExpression.Merge(v.writeOnly), req.PathExpression.Merge(v.version)
	for _, expr := range []path.Expression{wo, version} {
		if value, ok := valueAt(ctx, req.Config, expr); ok && !value.IsNull() {
			return // set, or unknown until apply
		}
	}
	code, woName, versionName := req.Path.String(), lastName(wo), lastName(version)
	resp.Diagnostics.AddAttributeError(req.Path, "Missing "+code,
		fmt.Sprintf("Set `%s` (sensitive, kept in state) or `%s` (write-only, never in state). Without `%s`, "+
			"every plan compares the write-only value with a hash kept in private state, so it needs the value. "+
			"To plan without it (a CI plan made without secrets), set `%s`: then a plan may leave `%s` null, and "+
			"only an apply that must send the value (a create, a new version) needs it.",
			code, woName, versionName, versionName, woName))
}

// VersionNeedsCodes requires, beside a version, the map of write-only fields it
// versions: its codes are the connection's fields even when its values are null (a
// plan made without secrets), and a code missing from it would be left out of the
// field list an update sends, which deletes it.
func VersionNeedsCodes(fields path.Expression) validator.Int64 {
	return versionNeedsCodes{fields: fields}
}

type versionNeedsCodes struct{ fields path.Expression }

func (v versionNeedsCodes) Description(context.Context) string {
	return fmt.Sprintf("needs %s, with its codes", v.fields)
}
func (v versionNeedsCodes) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v versionNeedsCodes) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() {
		return
	}
	expr := req.PathExpression.Merge(v.fields)
	if value, ok := valueAt(ctx, req.Config, expr); ok && !value.IsNull() {
		return
	}
	name := lastName(expr)
	resp.Diagnostics.AddAttributeError(req.Path, "Missing "+name,
		fmt.Sprintf("`%s` versions the write-only fields of `%s`, which is null. List their codes there, each with "+
			"its value or, in a plan made without secrets, null (`%s = { api_key = var.api_key }`): the codes are "+
			"fields of the connection, and an update of the fields deletes every code the configuration leaves out.",
			req.Path, name, name))
}

// valueAt reads the value at expr from the configuration; false when expr does not
// name exactly one attribute or it cannot be read.
func valueAt(ctx context.Context, config tfsdk.Config, expr path.Expression) (attr.Value, bool) {
	paths, diags := configPaths(ctx, config, expr)
	if diags.HasError() || len(paths) != 1 {
		return nil, false
	}
	var value attr.Value
	if diags := config.GetAttribute(ctx, paths[0], &value); diags.HasError() || value == nil {
		return nil, false
	}
	return value, true
}

// lastName is the attribute name an expression ends with, as the configuration spells it.
func lastName(expr path.Expression) string {
	steps := expr.Resolve().Steps()
	if len(steps) == 0 {
		return expr.String()
	}
	if name, ok := steps[len(steps)-1].(path.ExpressionStepAttributeNameExact); ok {
		return string(name)
	}
	return expr.String()
}
