package connection

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// addAPIError reports an API failure; the client's messages say what to do already,
// except for a workspace the token cannot see, which gets the full explanation.
func addAPIError(diags *diag.Diagnostics, data *providerdata.Data, summary, workspace string, err error) {
	if openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) && workspace != "" {
		diags.AddError(summary, workspaceNotVisible(data, workspace))
		return
	}
	diags.AddError(summary, err.Error())
}

// workspaceNotVisible explains a workspace that OpenHEXA answers as null: from the
// outside, "not a member", "archived", "deleted" and "another server" look the same,
// so the message names each cause with what to do about it. Nothing is removed from
// state on this answer.
func workspaceNotVisible(data *providerdata.Data, workspace string) string {
	user := "the token's user"
	if data != nil && data.User != "" {
		user = data.User
	}
	return fmt.Sprintf("The workspace %q is not visible to the token, which acts as %s. OpenHEXA answers the same "+
		"way in each of these cases:\n"+
		"  - the user is not (or no longer) a member of the workspace: use the token of a member (ADMIN or EDITOR "+
		"to manage connections);\n"+
		"  - the workspace was archived or deleted: if it is really gone, remove its connections from state with "+
		"`terraform destroy -refresh=false` (a delete that OpenHEXA answers NOT_FOUND counts as done), with a "+
		"`removed` block, or with `terraform state rm`;\n"+
		"  - `url` points at another OpenHEXA than the one that holds the workspace: check `url` (or "+
		"OPENHEXA_URL / HEXA_SERVER_URL).\n"+
		"Nothing was removed from state.", workspace, user)
}

// importHint tells how to bring an existing connection under management.
func importHint(resourceType, workspace, slug string) string {
	id := workspace + "/" + slug
	return fmt.Sprintf("Bring the existing connection under management instead of creating another:\n\n"+
		"  terraform import %s.<name> %s\n\nor an import block with id = %q.", resourceType, id, id)
}

// describe names a connection for a message: type, name, slug and id.
func describe(c *openhexa.Connection) string {
	return fmt.Sprintf("the %s connection %q (slug %q, id %s)", c.Type, c.Name, c.Slug, c.ID)
}
