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
		diags.AddError(summary, providerdata.WorkspaceNotVisible(data, workspace))
		return
	}
	diags.AddError(summary, err.Error())
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
