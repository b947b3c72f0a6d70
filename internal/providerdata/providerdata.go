// Package providerdata holds what the provider hands to every resource, data source,
// ephemeral resource and list resource once it is configured, and the messages they
// all give about it: not configured yet, a workspace the token cannot see.
package providerdata

import (
	"fmt"
	"sync"

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
	// AdoptIdentical lets a create whose slug is taken adopt the connection there
	// when its content is identical to the plan (provider `adopt_identical`).
	AdoptIdentical bool
	// claims holds the slugs the run's planned changes give connections (ClaimSlug).
	claims sync.Map
	// adopted holds the ids the creates of this run adopted (NoteAdopted).
	adopted sync.Map
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
// outside, "not a member", "archived", "deleted", "never existed" and "another
// server" look the same, so the message names each cause with what to do about it.
// Nothing is removed from state on this answer; forgetting on purpose is the user's
// act, with a command or block that names the resource (the provider cannot learn
// its address, and cannot tell OpenTofu from Terraform, so it names neither).
func WorkspaceNotVisible(data *Data, workspace string) string {
	return fmt.Sprintf("The workspace %q does not exist or is not visible to %s, the user the token acts as. "+
		"OpenHEXA answers the same way in each of these cases:\n"+
		"  - the user is not (or no longer) a member of the workspace: use the token of a member (ADMIN or EDITOR "+
		"to manage connections);\n"+
		"  - `url` points at another OpenHEXA than the one that holds the workspace: check `url` (or "+
		"OPENHEXA_URL / HEXA_SERVER_URL);\n"+
		"  - the workspace was archived or deleted: if its connections are really gone, make the CLI forget them "+
		"on purpose, with `state rm '<address>'` (the address in this diagnostic's \"with\" line; where the CLI "+
		"shows none, as for a delete, `state list` gives it), or, for a "+
		"whole resource on a CLI from version 1.7, by replacing its resource block with\n\n"+
		"      removed {\n        from = <address without its [key]>\n        lifecycle {\n          destroy = false\n"+
		"        }\n      }\n\n"+
		"Nothing was removed from state.", workspace, ActingUser(data))
}

// WorkspaceNotVisibleOnCreate is WorkspaceNotVisible for a connection to be created:
// nothing is in state yet, so there is nothing to forget.
func WorkspaceNotVisibleOnCreate(data *Data, workspace string) string {
	return fmt.Sprintf("The workspace %q does not exist or is not visible to %s, the user the token acts as, so "+
		"no connection can be created in it. OpenHEXA answers the same way in each of these cases:\n"+
		"  - the slug is wrong, or the workspace was archived or deleted: check `workspace` (or the provider's "+
		"default workspace);\n"+
		"  - the user is not a member of the workspace: use the token of an ADMIN or EDITOR of it;\n"+
		"  - `url` points at another OpenHEXA than the one that holds the workspace: check `url` (or "+
		"OPENHEXA_URL / HEXA_SERVER_URL).\n"+
		"Nothing was created.", workspace, ActingUser(data))
}

// ActingUser names, for messages, the user the token acts as.
func ActingUser(data *Data) string {
	if data != nil && data.User != "" {
		return data.User
	}
	return "the token's user"
}
