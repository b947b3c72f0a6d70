package connection

import (
	"context"
	"sort"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// getter and setter are what plans, configs and states have in common.
type getter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

type setter interface {
	SetAttribute(ctx context.Context, p path.Path, val any) diag.Diagnostics
}

// plannedField is one field the configuration asks for, before deciding what to send.
type plannedField struct {
	Code   string
	Secret bool
	// Value is the value to send when the field is not write-only; nil when unknown.
	Value *string
	// Null is set when the plan holds null for the field (left out of the
	// configuration, and absent from OpenHEXA after an import): an update then
	// leaves a field OpenHEXA lacks absent.
	Null bool
	// WriteOnly fields carry their configured value here; it is sent only when needed.
	WriteOnly bool
	WOValue   *string
	// WONull is set for a write-only field whose version is set and whose value the
	// configuration leaves null (a plan made without secrets): WOValue is nil, and an
	// apply that must send the value fails (writeonly_missing.go).
	WONull         bool
	VersionChanged bool
	// PriorPlain is, for a write-only field, the value its sensitive twin holds in
	// state (what OpenHEXA held at the last read): after an import, or a move from
	// the sensitive attribute to the write-only one, it tells whether to send.
	PriorPlain *string
}

// plannedFields reads the fields the configuration asks for. plan holds the planned
// values, config the write-only ones (absent from plans), state the prior state (nil
// on create).
func (k *Kind) plannedFields(ctx context.Context, plan, config, state getter) ([]plannedField, diag.Diagnostics) {
	if k.Custom {
		return customPlannedFields(ctx, plan, config, state)
	}
	var diags diag.Diagnostics
	out := make([]plannedField, 0, len(k.Fields))
	for _, spec := range k.Fields {
		pf := plannedField{Code: spec.Code, Secret: spec.Secret}
		switch {
		case !spec.Secret:
			pf.Value = stringValue(ctx, plan, spec.Code, &diags)
			pf.Null = isNull(ctx, plan, spec.Code)
		default:
			var v types.String
			diags.Append(plan.GetAttribute(ctx, path.Root(spec.Code), &v)...)
			var wo types.String
			var version types.Int64
			if config != nil {
				diags.Append(config.GetAttribute(ctx, path.Root(spec.Code+writeOnlySuffix), &wo)...)
				diags.Append(config.GetAttribute(ctx, path.Root(spec.Code+versionSuffix), &version)...)
			}
			switch {
			case !wo.IsNull() || !version.IsNull():
				pf.WriteOnly = true
				pf.WONull = wo.IsNull()
				if !wo.IsNull() && !wo.IsUnknown() {
					s := wo.ValueString()
					pf.WOValue = &s
				}
				pf.VersionChanged = versionChanged(ctx, plan, state, spec.Code+versionSuffix, &diags)
				if state != nil {
					pf.PriorPlain = stringValue(ctx, state, spec.Code, &diags)
				}
			case v.IsUnknown():
				// Known only at apply: Value stays nil and the write is planned.
			case v.IsNull():
				empty := "" // an optional secret left out: the SDK still needs the code
				pf.Value = &empty
				pf.Null = true
			default:
				s := v.ValueString()
				pf.Value = &s
			}
		}
		out = append(out, pf)
	}
	return out, diags
}

func customPlannedFields(ctx context.Context, plan, config, state getter) ([]plannedField, diag.Diagnostics) {
	var diags diag.Diagnostics
	var out []plannedField
	add := func(m map[string]types.String, secret, writeOnly, versioned, changed bool) {
		codes := make([]string, 0, len(m))
		for code := range m {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			v := m[code]
			pf := plannedField{Code: code, Secret: secret, WriteOnly: writeOnly, VersionChanged: changed,
				WONull: writeOnly && versioned && v.IsNull()}
			if !v.IsUnknown() && !v.IsNull() {
				s := v.ValueString()
				if writeOnly {
					pf.WOValue = &s
				} else {
					pf.Value = &s
				}
			}
			out = append(out, pf)
		}
	}
	var fields, secrets, secretsWO, priorSecrets map[string]types.String
	var version types.Int64
	diags.Append(plan.GetAttribute(ctx, path.Root(attrCustomFields), &fields)...)
	diags.Append(plan.GetAttribute(ctx, path.Root(attrCustomSecrets), &secrets)...)
	if config != nil {
		diags.Append(config.GetAttribute(ctx, path.Root(attrCustomSecretsWO), &secretsWO)...)
		diags.Append(config.GetAttribute(ctx, path.Root(attrCustomSecretsWOVer), &version)...)
	}
	add(fields, false, false, false, false)
	add(secrets, true, false, false, false)
	woStart := len(out)
	add(secretsWO, true, true, !version.IsNull(), versionChanged(ctx, plan, state, attrCustomSecretsWOVer, &diags))
	if state != nil && len(secretsWO) > 0 {
		diags.Append(state.GetAttribute(ctx, path.Root(attrCustomSecrets), &priorSecrets)...)
		for i := woStart; i < len(out); i++ {
			if v, ok := priorSecrets[out[i].Code]; ok && !v.IsNull() && !v.IsUnknown() {
				s := v.ValueString()
				out[i].PriorPlain = &s
			}
		}
	}
	return out, diags
}

// unknownFieldMaps reports whether a custom connection's field maps are unknown as a
// whole (from another resource, or an ephemeral value known only at apply): what
// will be sent is then decided at apply.
func unknownFieldMaps(ctx context.Context, plan, config getter) bool {
	for _, at := range []struct {
		src  getter
		name string
	}{{plan, attrCustomFields}, {plan, attrCustomSecrets}, {config, attrCustomSecretsWO}} {
		var m types.Map
		if at.src.GetAttribute(ctx, path.Root(at.name), &m).HasError() || m.IsUnknown() {
			return true
		}
	}
	return false
}

// isNull reports whether src holds null (not unknown) for the attribute name.
func isNull(ctx context.Context, src getter, name string) bool {
	var v types.String
	return !src.GetAttribute(ctx, path.Root(name), &v).HasError() && v.IsNull()
}

func stringValue(ctx context.Context, src getter, name string, diags *diag.Diagnostics) *string {
	var v types.String
	diags.Append(src.GetAttribute(ctx, path.Root(name), &v)...)
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func versionChanged(ctx context.Context, plan, state getter, name string, diags *diag.Diagnostics) bool {
	if state == nil {
		return true
	}
	var planned, prior types.Int64
	diags.Append(plan.GetAttribute(ctx, path.Root(name), &planned)...)
	diags.Append(state.GetAttribute(ctx, path.Root(name), &prior)...)
	return !planned.Equal(prior)
}

// mustSend reports whether a write-only field's value has to go over the wire: on
// create, and on an update for a reason sendReason gives.
func (pf plannedField) mustSend(p *privateData, creating, versioned bool) bool {
	return creating || pf.sendReason(p, versioned) != ""
}

// sendReason says, in the user's words, why an update must send a write-only value
// again; "" when nothing shows that the server holds another value. Only a hashed
// value (no version) can be seen to have changed in OpenHEXA; a versioned one is sent
// again only when its version changes.
func (pf plannedField) sendReason(p *privateData, versioned bool) string {
	_, onServer := p.Server[pf.Code]
	hashed := p.hashed(pf.Code)
	switch {
	case pf.WOValue == nil && !pf.WONull:
		return "its value is known only at apply"
	case !onServer:
		return "OpenHEXA does not hold the field"
	case p.drifted(pf.Code):
		return "the value OpenHEXA holds was changed outside Terraform"
	case pf.WONull:
		// Nothing to compare: only the version decides (WONull implies a version).
		if pf.VersionChanged {
			return "its version changed"
		}
		return ""
	case !hashed && pf.PriorPlain != nil:
		// State holds the server's value in clear (import, or a move from the
		// sensitive attribute): send only if the configured one differs.
		if *pf.PriorPlain != *pf.WOValue {
			return "the configured value differs from the one OpenHEXA holds"
		}
		return ""
	case versioned:
		// No hash is kept: whatever OpenHEXA holds, only the version decides.
		if pf.VersionChanged {
			return "its version changed"
		}
		return ""
	case !hashed:
		return "the provider has no record of the value OpenHEXA holds"
	case !p.matches(pf.Code, *pf.WOValue):
		return "the configured value changed"
	}
	return ""
}

// wireFields turns the planned fields into the full list the API takes, and tells
// which write-only values it sends (so that settleWriteOnly can keep the hashes of
// those without a version).
func wireFields(planned []plannedField, p *privateData, creating bool, versioned func(code string) bool) (fields []openhexa.FieldInput, sentWO map[string]string) {
	sentWO = map[string]string{}
	fields = make([]openhexa.FieldInput, 0, len(planned))
	for _, pf := range planned {
		in := openhexa.FieldInput{Code: pf.Code, Secret: pf.Secret}
		switch {
		case pf.WriteOnly && pf.mustSend(p, creating, versioned(pf.Code)):
			if pf.WOValue != nil {
				v := *pf.WOValue
				in.Value = &v
				sentWO[pf.Code] = v
			}
		case pf.WriteOnly:
			// value stays nil: the server keeps what it has
		default:
			in.Value = pf.Value
		}
		fields = append(fields, in)
	}
	return fields, sentWO
}

// pendingWriteOnly is a write-only value the next apply sends, and why; Missing when
// the configuration leaves it null in this run.
type pendingWriteOnly struct {
	Code, Reason string
	Missing      bool
}

// writeOnlyPending lists the write-only values the next update sends, and why; with
// verifying, also every value left null, which the credential check needs.
func writeOnlyPending(planned []plannedField, p *privateData, verifying bool, versioned func(string) bool) []pendingWriteOnly {
	var out []pendingWriteOnly
	for _, pf := range planned {
		if !pf.WriteOnly {
			continue
		}
		reason := pf.sendReason(p, versioned(pf.Code))
		if reason == "" && verifying && pf.WONull {
			reason = "`verify = true` tries the credentials before the update"
		}
		if reason != "" {
			out = append(out, pendingWriteOnly{Code: pf.Code, Reason: reason, Missing: pf.WONull})
		}
	}
	return out
}

// writeNeeded reports whether an update has anything to send: a common attribute or
// field value that differs from state, a write-only value to send, or a field
// layout to repair. Otherwise (only verify changed, or a secret moves out of state
// to its write-only twin with the value OpenHEXA holds) the update writes nothing.
func (k *Kind) writeNeeded(ctx context.Context, plan, state getter, planned []plannedField, p *privateData, versioned func(string) bool) bool {
	if p.Server == nil {
		return true
	}
	for _, name := range []string{attrName, attrSlug, attrDescription} {
		var want, have types.String
		if plan.GetAttribute(ctx, path.Root(name), &want).HasError() || state.GetAttribute(ctx, path.Root(name), &have).HasError() || !want.Equal(have) {
			return true
		}
	}
	return k.fieldWriteNeeded(ctx, state, planned, p, versioned)
}

// fieldWriteNeeded reports whether an update has to send the field list: a field
// value that differs from state, a write-only value to send, or a secret flag to
// repair (see layoutRepair). Fields OpenHEXA holds beyond the configuration, or
// lacks while the configuration leaves them out, are no reason.
func (k *Kind) fieldWriteNeeded(ctx context.Context, state getter, planned []plannedField, p *privateData, versioned func(string) bool) bool {
	if p.Server == nil || k.layoutRepair(p.Server) != "" {
		return true
	}
	prior, diags := k.plannedFields(ctx, state, nil, nil)
	if diags.HasError() {
		return true
	}
	priorValues := make(map[string]*string, len(prior))
	priorNull := make(map[string]bool, len(prior))
	priorSecret := make(map[string]bool, len(prior))
	for _, pf := range prior {
		priorValues[pf.Code] = pf.Value
		priorNull[pf.Code] = pf.Null
		priorSecret[pf.Code] = pf.Secret
	}
	if k.Custom && customCodesMoved(prior, planned, priorSecret) {
		return true
	}
	for _, pf := range planned {
		if pf.WriteOnly {
			if pf.sendReason(p, versioned(pf.Code)) != "" {
				return true
			}
			continue
		}
		if pf.Null && priorNull[pf.Code] {
			continue // left out, and absent or kept as OpenHEXA holds it
		}
		if was := priorValues[pf.Code]; pf.Value == nil || was == nil || *pf.Value != *was {
			return true
		}
	}
	return false
}

// setFieldsFromServer writes the server's field values into dst. prior is the state
// (or plan) the values replace: it supplies secrets the token may not read, and tells
// which secrets are managed write-only (they never enter state).
func (k *Kind) setFieldsFromServer(ctx context.Context, conn *openhexa.Connection, prior getter, dst setter, p *privateData) diag.Diagnostics {
	if k.Custom {
		return setCustomFieldsFromServer(ctx, conn, prior, dst, p)
	}
	var diags diag.Diagnostics
	for _, spec := range k.Fields {
		field, onServer := conn.Field(spec.Code)
		at := path.Root(spec.Code)
		switch {
		case !spec.Secret:
			v := types.StringNull()
			if onServer {
				v = types.StringValue(deref(field.Value))
			}
			diags.Append(dst.SetAttribute(ctx, at, v)...)
		default:
			var priorValue types.String
			diags.Append(prior.GetAttribute(ctx, at, &priorValue)...)
			if priorValue.IsNull() && p.managesWriteOnly(spec.Code) {
				if onServer && field.Value != nil && p.hashed(spec.Code) && !p.matches(spec.Code, *field.Value) {
					p.noteDrift(spec.Code)
				}
				diags.Append(dst.SetAttribute(ctx, at, types.StringNull())...)
				continue
			}
			v := priorValue
			switch {
			case !onServer:
				v = types.StringNull()
			case field.Value == nil:
				// This token may not read secrets: keep what state knows, never show a diff.
			case *field.Value == "" && priorValue.IsNull() && !spec.Required:
				// An optional secret left out is sent as "": it stays null in state.
			default:
				v = types.StringValue(*field.Value)
			}
			diags.Append(dst.SetAttribute(ctx, at, v)...)
		}
	}
	diags.Append(k.setExtraFields(ctx, conn, dst)...)
	return diags
}

func setCustomFieldsFromServer(ctx context.Context, conn *openhexa.Connection, prior getter, dst setter, p *privateData) diag.Diagnostics {
	var diags diag.Diagnostics
	var priorFields, priorSecrets types.Map
	diags.Append(prior.GetAttribute(ctx, path.Root(attrCustomFields), &priorFields)...)
	diags.Append(prior.GetAttribute(ctx, path.Root(attrCustomSecrets), &priorSecrets)...)
	priorSecretValues := map[string]types.String{}
	if !priorSecrets.IsNull() && !priorSecrets.IsUnknown() {
		diags.Append(priorSecrets.ElementsAs(ctx, &priorSecretValues, false)...)
	}

	fields := map[string]string{}
	secrets := map[string]string{}
	for _, f := range conn.Fields {
		_, inSecretsAttr := priorSecretValues[f.Code]
		switch {
		case !f.Secret:
			fields[f.Code] = deref(f.Value)
		case p.managesWriteOnly(f.Code) && !inSecretsAttr:
			if f.Value != nil && p.hashed(f.Code) && !p.matches(f.Code, *f.Value) {
				p.noteDrift(f.Code)
			}
		case f.Value != nil:
			secrets[f.Code] = *f.Value
		case inSecretsAttr && !priorSecretValues[f.Code].IsUnknown():
			// Unreadable with this token: keep what state knows.
			secrets[f.Code] = priorSecretValues[f.Code].ValueString()
		}
	}
	diags.Append(dst.SetAttribute(ctx, path.Root(attrCustomFields), mapOrNull(fields, priorFields))...)
	diags.Append(dst.SetAttribute(ctx, path.Root(attrCustomSecrets), mapOrNull(secrets, priorSecrets))...)
	return diags
}

// mapOrNull keeps a map attribute null when it was null and nothing is in it, so that
// leaving an attribute out of the configuration does not show as a change.
func mapOrNull(values map[string]string, prior types.Map) types.Map {
	if len(values) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.MapNull(types.StringType)
	}
	elems := make(map[string]types.String, len(values))
	for k, v := range values {
		elems[k] = types.StringValue(v)
	}
	m, _ := types.MapValueFrom(context.Background(), types.StringType, elems)
	return m
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
