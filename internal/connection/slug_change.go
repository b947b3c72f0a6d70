package connection

import (
	"context"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// OpenHEXA saves the fields an update sends before it checks the slug: an update to
// a taken slug fails after the fields were saved. So the plan refuses a slug that
// the run's listing shows taken (the listing the refresh reads, as for creates), and
// Update sends a slug change alone before the fields (updateSlugFirst), so that a
// refusal at apply saves nothing.

// checkPlannedSlugChange claims for the run the slug the connection id keeps or gets
// (a create of the run that would take or adopt it then fails), and fails the plan of
// an update that gives the connection a slug another connection of its workspace
// holds, or another resource of the run claims.
func (r *connectionResource) checkPlannedSlugChange(ctx context.Context, prior, planned commonModel, resp *resource.ModifyPlanResponse) {
	id, ws := prior.ID.ValueString(), prior.Workspace.ValueString()
	if !r.data.ClaimSlug(ws, prior.Slug.ValueString(), id) {
		addPlannedTwice(path.Root(attrSlug), ws, prior.Slug.ValueString(), &resp.Diagnostics)
		return
	}
	if planned.Slug.IsUnknown() || planned.Slug.IsNull() || planned.Slug.Equal(prior.Slug) || !planned.Workspace.Equal(prior.Workspace) {
		return // no slug change, or a move: its create half checks the target
	}
	wanted := planned.Slug.ValueString()
	if !r.data.ClaimSlug(ws, wanted, id) {
		addPlannedTwice(path.Root(attrSlug), ws, wanted, &resp.Diagnostics)
		return
	}
	holder, listed, err := r.data.Client.ListedBySlug(ctx, ws, wanted, false)
	if !listed || err != nil || holder == nil || openhexa.SameID(holder.ID, id) {
		return // free, or not known here (no listing, or a failed one): the apply sends the slug alone first
	}
	addSlugChangeTaken(ws, wanted, prior.Slug.ValueString(), holder, "OpenHEXA keeps one connection per slug in a "+
		"workspace and would refuse this update, so the plan stops here.", &resp.Diagnostics)
}

// addSlugChangeTaken reports, on `slug`, an update to a slug that holder has in the
// workspace; outcome says what became of the update.
func addSlugChangeTaken(workspace, wanted, prior string, holder *openhexa.Connection, outcome string, diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root(attrSlug), "Connection slug already in use",
		fmt.Sprintf("The slug %q is already used in workspace %q by %s. %s Choose another slug, or keep the "+
			"current one (%q).", wanted, workspace, describe(holder), outcome, prior))
}

// updateSlugFirst sends the update, its slug change first and alone (with name and
// description, which OpenHEXA saves only once the slug passes) when the update also
// sends fields: OpenHEXA then refuses a taken slug before it saved anything.
func (r *connectionResource) updateSlugFirst(ctx context.Context, priorSlug string, input openhexa.UpdateConnectionInput) (*openhexa.Connection, error) {
	if input.Slug != nil && *input.Slug != priorSlug && input.SendsFields() {
		slugOnly := input
		slugOnly.Fields, slugOnly.ReplaceFields = nil, false
		if _, err := r.updateReconciled(ctx, slugOnly, r.kind.APIType); err != nil {
			return nil, err
		}
	}
	return r.updateReconciled(ctx, input, r.kind.APIType)
}
