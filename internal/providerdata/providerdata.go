// Package providerdata holds what the provider hands to every resource, data source,
// ephemeral resource and list resource once it is configured, and the messages they
// all give about it: not configured yet, a workspace the token cannot see.
package providerdata

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Data is the configured provider: an API client and the default workspace.
type Data struct {
	Client *openhexa.Client
	// Workspace is the provider's default workspace slug, "" when none is set.
	Workspace string
	// User names who the token acts as (from `me`), for messages about access.
	User string
	// FullRefresh makes every refresh read every connection's fields, even those
	// whose updatedAt has not moved since they were read (provider `full_refresh`).
	FullRefresh bool
}

// From converts the framework's opaque provider data. It returns nil, without a
// diagnostic, while the provider is not configured yet (the CLI validates before it
// configures); a value of another type is a bug in the provider.
func From(raw any, diags *diag.Diagnostics) *Data {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*Data)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerdata.Data, got %T. This is a bug in the provider; please report it.", raw))
		return nil
	}
	return data
}

// NotConfigured reports (as an error) an operation attempted before the provider was
// configured; data is what From returned.
func NotConfigured(data *Data, diags *diag.Diagnostics) bool {
	if data == nil {
		diags.AddError("Provider not configured",
			"The openhexa provider was not configured before this operation. This is a bug in the provider or "+
				"in the CLI; please report it.")
		return true
	}
	return false
}

// WorkspaceNotVisible explains a workspace that OpenHEXA answers as null: from the
// outside, "not a member", "archived", "deleted" and "another server" look the same,
// so the message names each cause with what to do about it. Nothing is removed from
// state on this answer.
func WorkspaceNotVisible(data *Data, workspace string) string {
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
