package connection

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A create whose slug OpenHEXA already holds would fail at apply; the plan can know
// it, from the listing of the workspace that the run's refresh reads anyway
// (openhexa.Client.ListedBySlug), so it fails there, where a team reviews it. The
// apply-time check in Create stays, for races and for what the plan could not know
// (a slug or workspace known only at apply, a plan made after this client wrote).
//
// A replacement plans twice: first with the prior state, then the create half with
// a null one, which gets the private state the first call planned. The first call
// notes there the id of the connection being replaced, so that the second does not
// take the resource's own connection, which the delete half frees, for a clash; the
// second notes where the new connection goes, which the delete half checks before it
// deletes (replacement.go).

// replacesKey is the private-state key of that note.
const replacesKey = "replaces"

// planIntegrity runs the plan-time checks and warnings of this file, of
// slug_change.go, plan_warnings.go and plan_sdk.go, from the common attributes it
// decodes once; it never returns early for an update without changes, which has
// nothing for them to do. replaced is, for the create half of a replacement, the id
// of the connection it replaces (replacedID).
func (r *connectionResource) planIntegrity(ctx context.Context, v *planValues, req resource.ModifyPlanRequest, replaced string, resp *resource.ModifyPlanResponse) {
	if r.data == nil || resp.Diagnostics.HasError() {
		return
	}
	prior, planned, diags := v.priorAndPlanned(ctx)
	var configuredSlug types.String
	diags.Append(v.config.GetAttribute(ctx, path.Root(attrSlug), &configuredSlug)...)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ownID := replaced
	if req.State.Raw.IsNull() {
		r.checkPlannedCreate(ctx, v, planned, configuredSlug, replaced, resp)
	} else {
		ownID = prior.ID.ValueString()
		if note, err := json.Marshal(ownID); err == nil && resp.Private != nil {
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacesKey, note)...)
		}
		r.checkPlannedSlugChange(ctx, prior, planned, resp) // slug_change.go
		r.warnIdentifierChanges(prior, planned, resp)       // plan_warnings.go
	}
	r.warnSDKSlug(ctx, prior, planned, configuredSlug, ownID, resp) // plan_sdk.go
}

// replacedID returns the id of the connection a replacement deletes before this
// create, "" when this create replaces none.
func replacedID(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) string {
	if req.Private == nil {
		return ""
	}
	raw, _ := req.Private.GetKey(ctx, replacesKey)
	if resp.Private != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacesKey, nil)...) // the note served its one purpose
	}
	var id string
	if len(raw) == 0 || json.Unmarshal(raw, &id) != nil {
		return ""
	}
	return id
}

// checkPlannedCreate fails the plan of a create whose slug (given, or derived from a
// known name as the server would) OpenHEXA already holds in the workspace, naming
// the holder and what to write; with adopt_identical, an identical holder is planned
// for adoption with a warning instead.
func (r *connectionResource) checkPlannedCreate(ctx context.Context, v *planValues, planned commonModel, configuredSlug types.String, replaced string, resp *resource.ModifyPlanResponse) {
	if planned.Workspace.IsNull() || planned.Workspace.IsUnknown() {
		return
	}
	isConfigured := !configuredSlug.IsNull()
	ws := planned.Workspace.ValueString()
	wanted, known := wantedSlug(configuredSlug, planned.Slug, planned.Name)
	if !known {
		wanted = "" // known only at apply, which Create checks, or not derivable, which checkDerivableSlug reports
	}
	// The delete half of a replacement checks this target before it deletes (replacement.go).
	noteReplacement(ctx, resp, replacementNote{Replaces: replaced, Workspace: ws, Slug: wanted})
	if wanted == "" {
		return
	}
	at := path.Root(attrSlug)
	if !isConfigured {
		at = path.Root(attrName)
	}
	// A create the checks let through claims its slug for the run: a second
	// resource of the configuration with the same slug fails here, not at apply.
	errorsBefore := resp.Diagnostics.ErrorsCount()
	defer func() {
		if resp.Diagnostics.ErrorsCount() == errorsBefore && !r.data.ClaimSlug(ws, wanted, replaced) {
			addPlannedTwice(at, ws, wanted, &resp.Diagnostics)
		}
	}()
	holder, listed, err := r.data.Client.ListedBySlug(ctx, ws, wanted, false)
	switch {
	case !listed:
		return
	case openhexa.IsKind(err, openhexa.KindWorkspaceNotFound):
		resp.Diagnostics.AddAttributeError(path.Root(attrWorkspace), "Workspace not found",
			providerdata.WorkspaceNotVisibleOnCreate(r.data, ws))
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot check the slug of "+r.kind.ResourceTypeName(),
			fmt.Sprintf("The plan lists workspace %q to check that the slug %q is free, and the listing failed: %s",
				ws, wanted, err))
		return
	case holder == nil:
		return
	case replaced != "" && openhexa.SameID(holder.ID, replaced):
		return // the resource's own connection, which the replacement deletes first
	}
	refusal := ""
	if r.data.AdoptIdentical && holder.Type == r.kind.APIType {
		full, _, err := r.data.Client.ListedBySlug(ctx, ws, wanted, true)
		if err != nil || full == nil {
			return // the apply decides, from what it reads then
		}
		// A custom connection's field maps unknown as a whole: only the apply can compare.
		var diffs []string
		fields, known, diags := v.createFields(ctx, r.kind)
		unknown := !known
		if known {
			resp.Diagnostics.Append(diags...)
			if resp.Diagnostics.HasError() {
				return
			}
			diffs, unknown = contentDiffers(full, planned.Name, planned.Description, fields)
		}
		switch {
		case len(diffs) > 0:
			refusal = " " + adoptRefusal(diffs)
		case unknown:
			resp.Diagnostics.AddAttributeWarning(at, "Existing connection may be adopted",
				fmt.Sprintf("The slug %q is already used in workspace %q by %s. Some planned values are known "+
					"only at apply: `adopt_identical` adopts that connection then if its content is identical to "+
					"the configuration, and the apply fails otherwise.", wanted, ws, describe(full)))
			return
		default:
			resp.Diagnostics.AddAttributeWarning(at, "Existing connection will be adopted",
				fmt.Sprintf("This plan will adopt %s: the slug %q is already used in workspace %q by %s, whose "+
					"content is identical to the configuration, and `adopt_identical` is on. The apply puts it in "+
					"state instead of creating another connection.", wanted, wanted, ws, describe(full)))
			return
		}
	}
	r.addSlugTaken(ws, wanted, holder, isConfigured,
		"The plan stops here: the apply would fail, since OpenHEXA keeps one connection per slug in a workspace."+refusal,
		slugTakenAt{planning: true, name: planned.Name.ValueString()}, &resp.Diagnostics)
}

// addPlannedTwice reports a slug that another change of the run gives a connection too.
func addPlannedTwice(at path.Path, workspace, wanted string, diags *diag.Diagnostics) {
	diags.AddAttributeError(at, "Connection slug planned twice",
		fmt.Sprintf("Another resource of this configuration also plans to give a connection the slug %q in "+
			"workspace %q. OpenHEXA keeps one connection per slug in a workspace: set another `slug` on one of them "+
			"(two names that derive the same slug need an explicit `slug` on one).", wanted, workspace))
}
