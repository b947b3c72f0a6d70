package connection

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// A replacement is a delete and a create of one resource in one apply: the CLI
// deletes first unless the resource has create_before_destroy. Neither order may
// lose the connection.
//
// Delete first (a move to another workspace, a -replace): the create can still fail
// after the delete, on a slug taken in the target meanwhile or a workspace where the
// token may not create. The create half's plan notes its target in the planned
// private state (replacementKey), which both CLIs give to both halves of the change
// (OpenTofu 1.12 and Terraform 1.5 alike: the destroy half's apply receives the
// change's private data, the create's planned one); the delete checks the target
// just before it deletes, and refuses while the create would fail.
//
// Create first (create_before_destroy, tainted or replaced): the new object cannot
// take a slug the old one holds. Should the create adopt the old connection
// (adopt_identical), the delete of the old object that follows would delete the
// resource's new object: the provider process keeps the ids its creates adopted
// (providerdata.Data.NoteAdopted; one process serves one apply walk), and a delete of
// one of them only leaves state. The ids its creates made need no such guard: the
// old object of a replacement existed before the apply.

// replacementKey is the private-state key of the note the create half of a
// replacement leaves for the delete half.
const replacementKey = "replacement"

// replacementNote is where a replacement creates the new connection.
type replacementNote struct {
	Replaces  string `json:"replaces"`       // the id of the connection the replacement deletes
	Workspace string `json:"workspace"`      // where it creates the new one
	Slug      string `json:"slug,omitempty"` // under which slug; "" when known only at apply
}

// noteReplacement records, in the create half's planned private state, where the
// replacement of the connection replaced creates the new one.
func noteReplacement(ctx context.Context, resp *resource.ModifyPlanResponse, note replacementNote) {
	if resp.Private == nil || note.Replaces == "" {
		return
	}
	raw, err := json.Marshal(note)
	if err != nil {
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacementKey, raw)...)
}

// loadReplacement returns the note a delete's planned private state holds for the
// connection id, nil when this delete is not the first half of a replacement.
func loadReplacement(ctx context.Context, private privateGetter, id string) *replacementNote {
	if private == nil {
		return nil
	}
	raw, _ := private.GetKey(ctx, replacementKey)
	var note replacementNote
	if len(raw) == 0 || json.Unmarshal(raw, &note) != nil || !openhexa.SameID(note.Replaces, id) {
		return nil
	}
	return &note
}

// keptForItsNewObject reports whether a create of this apply adopted the connection
// of a delete, and if so warns that it stays in OpenHEXA: the delete is the old
// object's of a replacement whose new object holds the connection now.
func (r *connectionResource) keptForItsNewObject(state commonModel, diags *diag.Diagnostics) bool {
	id := state.ID.ValueString()
	if !r.data.AdoptedInRun(id) {
		return false
	}
	diags.AddWarning("Connection kept",
		fmt.Sprintf("The connection %q (id %s) in workspace %q was not deleted, although this apply destroys an "+
			"object that held it: a create of this same apply adopted that connection (`adopt_identical`), so it "+
			"is the resource's new object, and state keeps it there. Only the old object left state; the "+
			"connection was not replaced.", state.Slug.ValueString(), id, state.Workspace.ValueString()))
	return true
}

// replacementCanFollow checks, before the delete half of a replacement deletes, that
// the create half can follow: its slug is free in the target workspace (or held by
// the connection being deleted), and the token may create connections there. It
// reports false, with an error naming what stands in the way, when not.
func (r *connectionResource) replacementCanFollow(ctx context.Context, private privateGetter, state commonModel, diags *diag.Diagnostics) bool {
	note := loadReplacement(ctx, private, state.ID.ValueString())
	if note == nil {
		return true
	}
	summary := "Connection not deleted: its replacement could not be created"
	from := fmt.Sprintf("This apply replaces the connection %q (id %s) of workspace %q by a new one", state.Slug.ValueString(),
		state.ID.ValueString(), state.Workspace.ValueString())
	if note.Slug != "" {
		from += fmt.Sprintf(" with the slug %q", note.Slug)
	}
	from += fmt.Sprintf(" in workspace %q, and deletes the old one first.", note.Workspace)
	lost := "The create would fail after the delete, and the connection would be lost: nothing was deleted, and " +
		"state keeps the connection. "
	if note.Workspace != state.Workspace.ValueString() {
		ws, err := r.data.Client.Workspace(ctx, note.Workspace)
		switch {
		case err != nil:
			diags.AddError(summary, fmt.Sprintf("%s Before deleting, the provider checks that it may create the "+
				"new one there, and that check failed: %s. Nothing was deleted.", from, err))
			return false
		case ws == nil:
			diags.AddError(summary, from+" "+lost+providerdata.WorkspaceNotVisibleOnCreate(r.data, note.Workspace))
			return false
		case !ws.Permissions.CreateConnection:
			diags.AddError(summary, fmt.Sprintf("%s But %s, the user the token acts as, may not create connections in "+
				"workspace %q. %sUse the token of an ADMIN or EDITOR of %q, or keep `workspace` as it was.", from,
				providerdata.ActingUser(r.data), note.Workspace, lost, note.Workspace))
			return false
		}
	}
	if note.Slug == "" {
		return true // known only at apply: the create checks it
	}
	holder, err := r.data.Client.ConnectionBySlug(ctx, note.Workspace, note.Slug)
	switch {
	case err != nil:
		diags.AddError(summary, fmt.Sprintf("%s Before deleting, the provider checks that the slug is free there, and "+
			"that check failed: %s. Nothing was deleted.", from, err))
		return false
	case holder != nil && !openhexa.SameID(holder.ID, state.ID.ValueString()):
		diags.AddError(summary, fmt.Sprintf("%s But the slug %q is now used in workspace %q by %s, since the plan was "+
			"made. %sPlan again: the plan shows the clash and what to do about it (another slug, or that connection "+
			"imported or removed).", from, note.Slug, note.Workspace, describe(holder), lost))
		return false
	}
	return true
}
