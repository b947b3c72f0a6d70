package connection

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// planValues are the proposed plan, the configuration and the prior state of one
// ModifyPlan call, each decoded once. The framework's Get/SetAttribute walk the whole
// schema on every call, and a plan of many connections made that walk a visible part
// of the provider's work; the plan is written back once, at the end, and only when a
// value changed.
type planValues struct {
	plan, config, state *stateBuffer
	planChanged         bool
	// created caches createFields.
	created *createdFields
}

type createdFields struct {
	planned []plannedField
	known   bool
	diags   diag.Diagnostics
}

func newPlanValues(ctx context.Context, req resource.ModifyPlanRequest) (*planValues, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	v := &planValues{}
	schemaType := req.Plan.Schema.Type() // the resource's one schema: plan, config and state alike
	v.plan, d = newStateBuffer(ctx, schemaType, req.Plan.Raw)
	diags.Append(d...)
	v.config, d = newStateBuffer(ctx, schemaType, req.Config.Raw)
	diags.Append(d...)
	v.state, d = newStateBuffer(ctx, schemaType, req.State.Raw)
	diags.Append(d...)
	return v, diags
}

// priorAndPlanned decodes the attributes every kind has, from the prior state and
// from the plan as it stands.
func (v *planValues) priorAndPlanned(ctx context.Context) (prior, planned commonModel, diags diag.Diagnostics) {
	prior, d := getCommon(ctx, v.state)
	diags.Append(d...)
	planned, d = getCommon(ctx, v.plan)
	diags.Append(d...)
	return prior, planned, diags
}

// createFields is the planned fields of a create, decoded once for the create checks
// that read them (codes, adoption, write-only values); known is false when a custom
// connection's field maps are unknown as a whole, which only the apply can read.
func (v *planValues) createFields(ctx context.Context, k *Kind) (planned []plannedField, known bool, diags diag.Diagnostics) {
	if v.created == nil {
		c := &createdFields{known: !k.Custom || !unknownFieldMaps(ctx, v.plan, v.config)}
		if c.known {
			c.planned, c.diags = k.plannedFields(ctx, v.plan, v.config, nil)
		}
		v.created = c
	}
	return v.created.planned, v.created.known, v.created.diags
}

// setPlanned sets a top-level attribute of the plan.
func (v *planValues) setPlanned(ctx context.Context, p path.Path, val any) diag.Diagnostics {
	v.planChanged = true
	return v.plan.SetAttribute(ctx, p, val)
}

// writeBack puts the plan into resp when a value changed.
func (v *planValues) writeBack(ctx context.Context, resp *resource.ModifyPlanResponse) {
	if v.planChanged {
		resp.Diagnostics.Append(flush(ctx, v.plan, &resp.Plan)...)
	}
}
