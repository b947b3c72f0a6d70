package connection

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// This file holds how the engine treats a field layout that is not the one the
// table declares (fields OpenHEXA holds beyond the type's codes, codes it lacks, a
// secret without its flag, codes OpenHEXA would refuse today): it keeps everything
// OpenHEXA holds, and writes only what the configuration changes, plus one repair.

// schemaVersion is the version of every connection resource's schema. 1: `port` is
// a string; `extra_fields` and `extra_secret_fields` appear (see state_upgrade.go).
const schemaVersion = 1

const (
	attrExtraFields       = "extra_fields"
	attrExtraSecretFields = "extra_secret_fields"
)

// extraFieldAttributes shows the fields of a built-in connection whose codes the type
// does not have. They are kept as they are: every write of the field list sends them
// back with a null value, which keeps the stored one, and their own secret flag.
func extraFieldAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		attrExtraFields: schema.MapAttribute{
			MarkdownDescription: "Fields OpenHEXA holds for this connection beyond the type's own codes (made " +
				"through the API or by a script, `sslmode` for example), non-secret ones, by code. Read only: the " +
				"provider keeps them as they are on every update.",
			ElementType:   types.StringType,
			Computed:      true,
			PlanModifiers: []planmodifier.Map{keepStateMap{}},
		},
		attrExtraSecretFields: schema.SetAttribute{
			MarkdownDescription: "Codes of the secret fields OpenHEXA holds for this connection beyond the type's " +
				"own codes. Their values never enter state. Read only: the provider keeps them as they are on " +
				"every update.",
			ElementType:   types.StringType,
			Computed:      true,
			PlanModifiers: []planmodifier.Set{keepStateSet{}},
		},
	}
}

// keepStateMap and keepStateSet plan the state's value, null included, for a
// computed attribute that no write of the provider changes.
type keepStateMap struct{}

func (keepStateMap) Description(context.Context) string { return "keeps the value in state" }
func (m keepStateMap) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (keepStateMap) PlanModifyMap(_ context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if !req.State.Raw.IsNull() {
		resp.PlanValue = req.StateValue
	}
}

type keepStateSet struct{}

func (keepStateSet) Description(context.Context) string { return "keeps the value in state" }
func (m keepStateSet) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (keepStateSet) PlanModifySet(_ context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if !req.State.Raw.IsNull() {
		resp.PlanValue = req.StateValue
	}
}

// defaultOnCreate is the default of an optional field: a create sends it, as the web
// app does; an existing connection keeps what OpenHEXA holds, which is nothing when it
// lacks the field (an S3 connection made without its keys, a PostgreSQL one without
// a port), so that importing it plans no change.
func defaultOnCreate(value string) planmodifier.String { return createDefault{value} }

type createDefault struct{ value string }

func (d createDefault) Description(context.Context) string {
	return fmt.Sprintf("defaults to %q on create; otherwise keeps what OpenHEXA holds", d.value)
}
func (d createDefault) MarkdownDescription(ctx context.Context) string { return d.Description(ctx) }
func (d createDefault) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	if req.State.Raw.IsNull() {
		resp.PlanValue = types.StringValue(d.value)
		return
	}
	resp.PlanValue = req.StateValue
}

// keepHeldSecret plans an optional secret left out of the configuration (and its
// write-only twin too) as the value state holds: what OpenHEXA holds is kept, never
// emptied by a field the configuration does not mention. On create, and when the
// twin takes over (configured, or its version set: a plan made without the secret
// leaves the twin null), it plans null (a create sends "", and state keeps no value
// of a write-only secret).
type keepHeldSecret struct{ writeOnly, version string }

func (keepHeldSecret) Description(context.Context) string {
	return "left out, keeps the value OpenHEXA holds"
}
func (k keepHeldSecret) MarkdownDescription(ctx context.Context) string { return k.Description(ctx) }
func (k keepHeldSecret) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var twin types.String
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(k.writeOnly), &twin)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(k.version), &version)...)
	if req.State.Raw.IsNull() || !twin.IsNull() || !version.IsNull() {
		resp.PlanValue = types.StringNull()
		return
	}
	resp.PlanValue = req.StateValue
}

// createDefaultDescription says what defaultOnCreate does, for the docs.
func (f FieldSpec) createDefaultDescription() string {
	return fmt.Sprintf("Left out, a create sends `%q`, and an existing connection keeps what OpenHEXA holds "+
		"(nothing, when it lacks the field: the provider does not add it).", f.Default)
}

// field returns the spec of a built-in code, nil for another code.
func (k *Kind) field(code string) *FieldSpec {
	for i := range k.Fields {
		if k.Fields[i].Code == code {
			return &k.Fields[i]
		}
	}
	return nil
}

// layoutRepair describes the one layout difference worth a write of its own: a
// secret code of a built-in type that OpenHEXA holds without its secret flag, so
// that anyone who sees the workspace reads it. "" when there is none.
func (k *Kind) layoutRepair(server map[string]bool) string {
	var codes []string
	for _, spec := range k.Fields {
		if secret, held := server[spec.Code]; spec.Secret && held && !secret {
			codes = append(codes, fmt.Sprintf("%q", spec.Code))
		}
	}
	if len(codes) == 0 {
		return ""
	}
	return Enumerate(codes, "", "and")
}

// addLayoutRepairWarning says, on the plan, why an update that changes no attribute
// is planned: a secret's flag to set.
func (r *connectionResource) addLayoutRepairWarning(repair string, diags *diag.Diagnostics) {
	diags.AddWarning("Secret flag to set",
		fmt.Sprintf("OpenHEXA holds %s of %s without its secret flag, so anyone who can see the workspace, "+
			"viewers included, can read its value. Applying sets the flag; the value is not changed.",
			repair, r.kind.ResourceTypeName()))
}

// updateFields is the field list an update sends: nil (fields left untouched) when
// no field changes; otherwise the planned fields, less those OpenHEXA lacks and the
// configuration leaves out (they stay absent), plus, for a built-in type, every other
// field OpenHEXA holds with a null value (which keeps the stored one) and its own
// secret flag. An update thus never deletes or empties a field OpenHEXA held unless
// the configuration says so, where the plan shows it.
func (k *Kind) updateFields(ctx context.Context, state getter, planned []plannedField, p *privateData, versioned func(string) bool) (fields []openhexa.FieldInput, sentWO map[string]string, send bool) {
	if !k.fieldWriteNeeded(ctx, state, planned, p, versioned) {
		return nil, map[string]string{}, false
	}
	all, sentWO := wireFields(planned, p, false, versioned)
	fields = make([]openhexa.FieldInput, 0, len(all)+len(p.Server))
	listed := map[string]bool{}
	for i, in := range all {
		secret, held := p.Server[in.Code]
		if !held && (planned[i].Null || in.Value == nil) {
			continue
		}
		if spec := k.field(in.Code); spec != nil && !spec.Secret && held && secret {
			in.Secret = true // a flag OpenHEXA set on a plain code: hiding stays OpenHEXA's choice
		}
		listed[in.Code] = true
		fields = append(fields, in)
	}
	if !k.Custom {
		for _, code := range sortedCodes(p.Server) {
			if !listed[code] {
				fields = append(fields, openhexa.FieldInput{Code: code, Secret: p.Server[code]})
			}
		}
	}
	return fields, sentWO, true
}

// customCodesMoved reports whether a custom connection's plan drops a code state
// holds, adds one, or moves one between the secret and the plain maps: the plan shows
// each, and only a write of the field list does it. A write-only code is in no map of
// state unless OpenHEXA holds it as a plain field.
func customCodesMoved(prior, planned []plannedField, priorSecret map[string]bool) bool {
	inPlan := map[string]bool{}
	for _, pf := range planned {
		inPlan[pf.Code] = true
		secret, inState := priorSecret[pf.Code]
		switch {
		case pf.WriteOnly:
			if inState && !secret {
				return true
			}
		case !inState || secret != pf.Secret:
			return true
		}
	}
	for _, pf := range prior {
		if !inPlan[pf.Code] {
			return true
		}
	}
	return false
}

// ensureLayout reads the connection's field layout when private state has none (a
// state written before the provider kept it, planned without refresh): an update
// must know every field OpenHEXA holds so as to keep them.
func (r *connectionResource) ensureLayout(ctx context.Context, id string, p *privateData) {
	if p.Server != nil {
		return
	}
	if conn, err := r.data.Client.Connection(ctx, id); err == nil && conn != nil {
		p.Server = map[string]bool{}
		for _, f := range conn.Fields {
			p.Server[f.Code] = f.Secret
		}
	}
}

func sortedCodes(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for code := range m {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

// keepPlannedExtras puts the planned extra-field attributes into the state an update
// returns, when the plan knows them: fields OpenHEXA gained since the plan was made
// (a plan without refresh, a saved plan) would otherwise make the apply's result
// differ from its plan, which the CLI refuses. They are kept on the server either
// way; when state then differs from what OpenHEXA holds, the fields' read time in
// private state is cleared, so that the next refresh reads them again.
func keepPlannedExtras(ctx context.Context, plan, applied getter, dst setter, p *privateData) diag.Diagnostics {
	var diags diag.Diagnostics
	var planned, held types.Map
	diags.Append(plan.GetAttribute(ctx, path.Root(attrExtraFields), &planned)...)
	diags.Append(applied.GetAttribute(ctx, path.Root(attrExtraFields), &held)...)
	var plannedSecret, heldSecret types.Set
	diags.Append(plan.GetAttribute(ctx, path.Root(attrExtraSecretFields), &plannedSecret)...)
	diags.Append(applied.GetAttribute(ctx, path.Root(attrExtraSecretFields), &heldSecret)...)
	if diags.HasError() {
		return diags
	}
	if !planned.IsUnknown() && !planned.Equal(held) {
		diags.Append(dst.SetAttribute(ctx, path.Root(attrExtraFields), planned)...)
		p.FieldsAt = ""
	}
	if !plannedSecret.IsUnknown() && !plannedSecret.Equal(heldSecret) {
		diags.Append(dst.SetAttribute(ctx, path.Root(attrExtraSecretFields), plannedSecret)...)
		p.FieldsAt = ""
	}
	return diags
}

// extrasUnshown reports whether OpenHEXA held, at the last read, fields beyond the
// type's codes that state does not show (a state upgraded from version 0, which had
// no attributes for them): the refresh must then read the fields even though the
// connection has not changed since.
func (k *Kind) extrasUnshown(ctx context.Context, state getter, p *privateData) bool {
	if k.Custom {
		return false
	}
	extra := false
	for code := range p.Server {
		extra = extra || k.field(code) == nil
	}
	if !extra {
		return false
	}
	var plain types.Map
	var secret types.Set
	if state.GetAttribute(ctx, path.Root(attrExtraFields), &plain).HasError() ||
		state.GetAttribute(ctx, path.Root(attrExtraSecretFields), &secret).HasError() {
		return true
	}
	return plain.IsNull() && secret.IsNull()
}

// setExtraFields maps the fields of a built-in connection whose codes the type does
// not have onto extra_fields (non-secret values) and extra_secret_fields (codes).
func (k *Kind) setExtraFields(ctx context.Context, conn *openhexa.Connection, dst setter) diag.Diagnostics {
	plain := map[string]string{}
	var secret []string
	for _, f := range conn.Fields {
		if k.field(f.Code) != nil {
			continue
		}
		if f.Secret {
			secret = append(secret, f.Code)
		} else {
			plain[f.Code] = deref(f.Value)
		}
	}
	var diags diag.Diagnostics
	diags.Append(dst.SetAttribute(ctx, path.Root(attrExtraFields), mapOrNull(plain, types.MapNull(types.StringType)))...)
	codes := types.SetNull(types.StringType)
	if len(secret) > 0 {
		var d diag.Diagnostics
		codes, d = types.SetValueFrom(ctx, types.StringType, secret)
		diags.Append(d...)
	}
	diags.Append(dst.SetAttribute(ctx, path.Root(attrExtraSecretFields), codes)...)
	return diags
}

// importHashes keeps, for an import into a configuration with write-only secrets,
// what OpenHEXA holds for each secret as a hash: flagged secrets, and the type's
// secret codes held without their flag; empty values too, so that an empty secret
// configured as "" plans no write.
func (k *Kind) importHashes(conn *openhexa.Connection, p *privateData) {
	for _, f := range conn.Fields {
		spec := k.field(f.Code)
		if (f.Secret || (spec != nil && spec.Secret)) && f.Value != nil {
			p.remember(f.Code, *f.Value)
		}
	}
}

// checkCodesSent refuses, on the plan, a field list OpenHEXA would refuse: a field
// code that breaks its rule (letters, digits, '-' and '_', 1–30 characters) in a
// create, or in an update that sends the field list. OpenHEXA may hold such a code
// (stored before the rule, or by a script): an update that leaves the fields alone
// keeps it, which is why this is checked here and not when validating the
// configuration.
func (r *connectionResource) checkCodesSent(planned []plannedField, server map[string]bool, creating bool, diags *diag.Diagnostics) {
	for _, pf := range planned {
		if slug.ValidFieldCode(pf.Code) {
			continue
		}
		_, held := server[pf.Code]
		detail := fmt.Sprintf("OpenHEXA refuses the field code %q: a code has 1 to %d characters, each a letter, "+
			"a digit, '-' or '_'.", pf.Code, slug.MaxFieldCodeLength)
		if held && !creating {
			detail += " OpenHEXA holds it already, but refuses any update that lists it, and an update that " +
				"leaves it out deletes it. This plan changes the connection's fields, so it would fail: keep " +
				"the fields as OpenHEXA holds them, or remove this one from the configuration to delete it."
		}
		diags.AddAttributeError(customPath(pf), "Field code refused by OpenHEXA", detail)
	}
	if r.kind.Custom || creating {
		return
	}
	var bad []string
	for code := range server {
		if !slug.ValidFieldCode(code) && r.kind.field(code) == nil {
			bad = append(bad, fmt.Sprintf("%q", code))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		diags.AddAttributeError(path.Root(attrExtraFields), "Field code refused by OpenHEXA",
			fmt.Sprintf("OpenHEXA holds the field %s, whose code it now refuses: any update that lists it fails, "+
				"and one that leaves it out deletes it. This plan changes the connection's fields, so it would "+
				"fail. Keep the fields as OpenHEXA holds them, or fix the code in OpenHEXA first.", strings.Join(bad, ", ")))
	}
}

// customPath is where a custom field is configured (the attribute of a built-in one).
func customPath(pf plannedField) path.Path {
	switch {
	case pf.WriteOnly:
		return path.Root(attrCustomSecretsWO).AtMapKey(pf.Code)
	case pf.Secret:
		return path.Root(attrCustomSecrets).AtMapKey(pf.Code)
	}
	return path.Root(attrCustomFields).AtMapKey(pf.Code)
}

// planFieldRules runs, on a plan that updates a connection, the checks that need
// what OpenHEXA holds: the secret flag to repair (a warning that says why a write is
// planned) and the codes OpenHEXA would refuse in the list the update sends.
func (r *connectionResource) planFieldRules(ctx context.Context, state getter, planned []plannedField, p *privateData, versioned func(string) bool, diags *diag.Diagnostics) (repair string) {
	repair = r.kind.layoutRepair(p.Server)
	if repair != "" {
		r.addLayoutRepairWarning(repair, diags)
	}
	if r.kind.fieldWriteNeeded(ctx, state, planned, p, versioned) {
		r.checkCodesSent(planned, p.Server, false, diags)
	}
	return repair
}

// checkCreateCodes refuses, on the plan of a create, a custom field code OpenHEXA
// would refuse.
func (r *connectionResource) checkCreateCodes(ctx context.Context, v *planValues, resp *resource.ModifyPlanResponse) {
	if !r.kind.Custom {
		return
	}
	planned, known, diags := v.createFields(ctx, r.kind)
	if !known || diags.HasError() {
		return
	}
	r.checkCodesSent(planned, nil, true, &resp.Diagnostics)
}
