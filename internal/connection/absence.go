package connection

import (
	"context"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// OpenHEXA answers NOT_FOUND to deleteConnection and updateConnection both for a
// connection that is gone and for one in a workspace the token cannot see (another
// user's token, a membership removed, an archived workspace). Like a read, a delete
// or an update counts the connection as gone only when a listing of its workspace,
// which the token can read, lacks it; a workspace the token cannot see is an error,
// and state keeps the resource.

// provenGone checks a NOT_FOUND answer (notFound) against a listing of the
// workspace. It returns true when the listing lacks the connection; otherwise false
// and the error to report: the listing's (a workspace not visible is of kind
// KindWorkspaceNotFound), or notFound itself, explained, when the connection is
// still listed. Any other error is returned as it is.
func (r *connectionResource) provenGone(ctx context.Context, workspace, id string, notFound error) (bool, error) {
	if !openhexa.IsKind(notFound, openhexa.KindNotFound) {
		return false, notFound
	}
	conn, err := r.data.Client.ConnectionInWorkspace(ctx, workspace, id)
	switch {
	case err != nil:
		return false, err
	case conn == nil:
		return true, nil
	}
	return false, fmt.Errorf("%w; yet workspace %q still lists the connection: the token may not manage it, "+
		"or OpenHEXA answered wrongly. Nothing was removed from state", notFound, workspace)
}

// notProvenGone reports an update that OpenHEXA answered NOT_FOUND, unless a listing
// proves the connection gone: then it returns false and the caller says so.
func (r *connectionResource) notProvenGone(ctx context.Context, workspace, id string, notFound error, summary string, diags *diag.Diagnostics) bool {
	gone, err := r.provenGone(ctx, workspace, id, notFound)
	if gone {
		return false
	}
	addAPIError(diags, r.data, summary, workspace, err)
	return true
}

// addCreateAPIError is addAPIError for a create: a workspace the token cannot see
// gets the message without the advice on forgetting state, as nothing is in state.
func addCreateAPIError(diags *diag.Diagnostics, data *providerdata.Data, summary, workspace string, err error) {
	if openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) && workspace != "" {
		diags.AddError(summary, providerdata.WorkspaceNotVisibleOnCreate(data, workspace))
		return
	}
	addAPIError(diags, data, summary, workspace, err)
}

// addDeleteError is addAPIError for a delete. The CLI shows no resource address
// with a delete's diagnostics, so the message names the connection, for the user to
// find its address in `state list`.
func addDeleteError(diags *diag.Diagnostics, data *providerdata.Data, summary string, state commonModel, err error) {
	workspace := state.Workspace.ValueString()
	if openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) && workspace != "" {
		diags.AddError(summary, fmt.Sprintf("The connection %q (id %s) was not deleted. ", state.Slug.ValueString(),
			state.ID.ValueString())+providerdata.WorkspaceNotVisible(data, workspace))
		return
	}
	addAPIError(diags, data, summary, workspace, err)
}
