// Package providerdata holds what the provider hands to every resource, data source,
// ephemeral resource and list resource once it is configured.
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
