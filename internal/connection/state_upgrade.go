package connection

import (
	"context"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var _ resource.ResourceWithUpgradeState = &connectionResource{}

// UpgradeState turns a state of schema version 0 (schema_v0.go) into the current
// one: `port` goes from a number to the string OpenHEXA holds, and the extra-field
// attributes start null (the next read fills them).
func (r *connectionResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	prior, ok := r.kind.schemaV0()
	if !ok {
		return nil // a kind made after version 1 has no version-0 state
	}
	return map[int64]resource.StateUpgrader{
		0: {PriorSchema: &prior, StateUpgrader: r.upgradeFromV0},
	}
}

// schemaV0 is the kind's frozen schema of version 0; false for a kind that had none.
func (k *Kind) schemaV0() (schema.Schema, bool) {
	attrs := schemaV0Attributes(k.Name)
	if attrs == nil {
		return schema.Schema{}, false
	}
	return schema.Schema{Version: 0, Attributes: attrs}, true
}

func (r *connectionResource) upgradeFromV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	if req.State == nil || req.State.Raw.IsNull() {
		return
	}
	var old map[string]tftypes.Value
	if err := req.State.Raw.As(&old); err != nil {
		resp.Diagnostics.AddError("Cannot upgrade the state", "The state of schema version 0 could not be read: "+err.Error())
		return
	}
	target, ok := r.kind.resourceSchema().Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Cannot upgrade the state", "The resource's schema is not an object: a bug in the provider.")
		return
	}
	values := make(map[string]tftypes.Value, len(target.AttributeTypes))
	for name, typ := range target.AttributeTypes {
		v, ok := old[name]
		switch {
		case !ok:
			v = tftypes.NewValue(typ, nil)
		case v.Type().Is(tftypes.Number) && typ.Is(tftypes.String): // port, the one attribute that changed type
			v = portToString(v)
		}
		values[name] = v
	}
	resp.State.Raw = tftypes.NewValue(target, values)
}

// portToString turns a version-0 port (a number, or null) into its string.
func portToString(v tftypes.Value) tftypes.Value {
	if v.IsNull() || !v.IsKnown() {
		return tftypes.NewValue(tftypes.String, nil)
	}
	var n big.Float
	if err := v.As(&n); err != nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, n.Text('f', -1))
}
