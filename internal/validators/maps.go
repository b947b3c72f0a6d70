package validators

import (
	"context"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// fieldCodes checks the keys of a custom connection's field map: a value for every
// key (an error: OpenHEXA refuses a null one), and warnings for a code outside
// OpenHEXA's rule (it may already hold one, stored before the rule: the plan refuses
// it only where it would be sent, see the connection engine) and for codes the SDK
// cannot turn into attributes.
type fieldCodes struct {
	// version is, when hasVersion, where the version of a map of write-only fields
	// is: while it is set, a null value is one this run does not have (a plan made
	// without secrets), which the engine refuses only where it must send it.
	version    path.Expression
	hasVersion bool
}

// FieldCodes validates the keys of a map of custom fields.
func FieldCodes() validator.Map { return fieldCodes{} }

// WriteOnlyFieldCodes validates the keys of a map of write-only custom fields whose
// version is at the path version: a null value is accepted while the version is set.
func WriteOnlyFieldCodes(version path.Expression) validator.Map {
	return fieldCodes{version: version, hasVersion: true}
}

func (fieldCodes) Description(context.Context) string {
	return "keys are field codes: letters, digits, '-' and '_', 1–30 characters"
}
func (v fieldCodes) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v fieldCodes) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	versioned := false
	if v.hasVersion {
		version, ok := valueAt(ctx, req.Config, req.PathExpression.Merge(v.version))
		versioned = ok && !version.IsNull()
	}
	for code, value := range req.ConfigValue.Elements() {
		at := req.Path.AtMapKey(code)
		if value.IsNull() && !versioned {
			// OpenHEXA refuses a field without a value (a top-level error on create).
			detail := fmt.Sprintf("The field %q is null: OpenHEXA stores a string for every field. Give it a value, "+
				"\"\" for an empty one, or leave the key out.", code)
			if v.hasVersion {
				name := lastName(req.PathExpression.Merge(v.version))
				detail += fmt.Sprintf(" To plan without the value (a CI plan made without secrets), set `%s`: "+
					"without it, every plan compares each value with a hash kept in private state, so it needs "+
					"the value; with it, only an apply that must send the value (a create, a new version) does.", name)
			}
			resp.Diagnostics.AddAttributeError(at, "Field without a value", detail)
			continue
		}
		if !slug.ValidFieldCode(code) {
			resp.Diagnostics.AddAttributeWarning(at, "Field code refused by OpenHEXA",
				fmt.Sprintf("OpenHEXA refuses the field code %q in a create or in an update that lists it: a "+
					"code has 1 to %d characters, each a letter, a digit, '-' or '_'. Only a connection that "+
					"already holds it, and whose fields this configuration leaves as they are, can keep it.",
					code, slug.MaxFieldCodeLength))
			continue
		}
		if summary, detail := SDKFieldCodeProblem(code); summary != "" {
			resp.Diagnostics.AddAttributeWarning(at, summary, detail)
		}
	}
}

// DisjointKeys reports the keys a map shares with the maps at the other paths.
func DisjointKeys(others ...path.Expression) validator.Map {
	return disjointKeys{others: others}
}

type disjointKeys struct{ others []path.Expression }

func (disjointKeys) Description(context.Context) string {
	return "a field code may appear in only one of the field maps"
}
func (v disjointKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v disjointKeys) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, expr := range v.others {
		paths, diags := configPaths(ctx, req.Config, req.PathExpression.Merge(expr))
		resp.Diagnostics.Append(diags...)
		for _, other := range paths {
			var otherValue map[string]*string
			if d := req.Config.GetAttribute(ctx, other, &otherValue); d.HasError() || otherValue == nil {
				continue
			}
			for code := range req.ConfigValue.Elements() {
				if _, clash := otherValue[code]; clash {
					resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(code), "Field code used twice",
						fmt.Sprintf("The field code %q is in both %s and %s: a code is unique within a connection, "+
							"and is either secret or not. Keep it in one of them.", code, req.Path, other))
				}
			}
		}
	}
}

// configPaths resolves expr in the configuration: the one path exactPath gives, else
// the paths PathMatches finds.
func configPaths(ctx context.Context, config tfsdk.Config, expr path.Expression) (path.Paths, diag.Diagnostics) {
	if p, ok := exactPath(expr); ok {
		return path.Paths{p}, nil
	}
	return config.PathMatches(ctx, expr)
}

// exactPath is the one path expr names when every step is an attribute name: then
// PathMatches, which walks the whole configuration, is not needed (a plan of 500
// connections spent about 1% of the provider's CPU in it).
func exactPath(expr path.Expression) (path.Path, bool) {
	p := path.Empty()
	for _, step := range expr.Resolve().Steps() {
		name, ok := step.(path.ExpressionStepAttributeNameExact)
		if !ok {
			return path.Empty(), false
		}
		p = p.AtName(string(name))
	}
	return p, len(p.Steps()) > 0
}
