package connection

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Notebooks and pipelines find a connection by its slug in its workspace (the SDK's
// connectionBySlug, and the environment variables OpenHEXA defines for it, named
// after the slug, which the SDK reads in local runs). A plan that changes the slug, moves the connection to another
// workspace or re-creates it breaks them silently at apply, so it says so first, on
// the attribute, with how to keep the old identifier.

// warnIdentifierChanges warns about a planned slug change or replacement.
func (r *connectionResource) warnIdentifierChanges(prior, planned commonModel, resp *resource.ModifyPlanResponse) {
	if resp.Diagnostics.HasError() {
		return
	}
	oldWS, oldSlug, id := prior.Workspace.ValueString(), prior.Slug.ValueString(), prior.ID.ValueString()
	sdk := sdkLookup(r.kind.APIType, oldSlug)
	switch {
	case !planned.Workspace.Equal(prior.Workspace):
		newWS := "the workspace known at apply"
		if !planned.Workspace.IsUnknown() {
			newWS = fmt.Sprintf("workspace %q", planned.Workspace.ValueString())
		}
		resp.Diagnostics.AddAttributeWarning(path.Root(attrWorkspace), "Connection will move to another workspace",
			fmt.Sprintf("Applying deletes the connection %q (id %s) from workspace %q and creates a new one in %s. "+
				"In %q, notebooks and pipelines that look it up by its slug (%s, or the %s_* variables OpenHEXA defines for it) "+
				"stop finding it, and anything that holds the id %s stops resolving; in %s the slug resolves once the "+
				"apply has created it, with a new id. To keep the connection where it is, set `workspace = %q` on "+
				"this resource.", oldSlug, id, oldWS, newWS, oldWS, sdk, slug.ConstantCase(oldSlug), id, newWS, oldWS))
	case len(resp.RequiresReplace) > 0:
		resp.Diagnostics.AddAttributeWarning(resp.RequiresReplace[0], "Connection will be re-created",
			fmt.Sprintf("Applying deletes the connection %q (id %s) and creates a new one in workspace %q: anything "+
				"that holds the id %s stops resolving, and between the delete and the create the slug %q resolves "+
				"to nothing there, so notebooks and pipelines that run meanwhile fail. To keep the connection, "+
				"undo the change to this attribute.", oldSlug, id, oldWS, id, oldSlug))
	case !planned.Slug.IsNull() && !planned.Slug.Equal(prior.Slug):
		newSlug := "a slug known only at apply"
		if !planned.Slug.IsUnknown() {
			newSlug = fmt.Sprintf("%q (variables %s_*)", planned.Slug.ValueString(), slug.ConstantCase(planned.Slug.ValueString()))
		}
		resp.Diagnostics.AddAttributeWarning(path.Root(attrSlug), "Connection slug will change",
			fmt.Sprintf("Notebooks and pipelines find a connection by its slug in its workspace. After this apply, "+
				"%q no longer resolves in workspace %q: %s fails, and the variables OpenHEXA defines for it are "+
				"named %s_* no more. Code that uses the connection must use %s. To keep the old identifier, set "+
				"`slug = %q`.", oldSlug, oldWS, sdk, slug.ConstantCase(oldSlug), newSlug, oldSlug))
	}
}
