package workspace_test

import (
	"context"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/workspace"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// TestDataSourceSchemaDescribesEveryAttribute: the registry documentation is generated
// from these descriptions. Reading a workspace is tested through the provider in
// internal/connection (TestProtocolWorkspaceDataSource, TestAccWorkspaceDataSource),
// where the protocol harness and the acceptance target live.
func TestDataSourceSchemaDescribesEveryAttribute(t *testing.T) {
	ds := workspace.NewDataSource()
	var meta datasource.MetadataResponse
	ds.Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "openhexa"}, &meta)
	if meta.TypeName != "openhexa_workspace" {
		t.Fatalf("type name %q", meta.TypeName)
	}
	var resp datasource.SchemaResponse
	ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() || resp.Schema.MarkdownDescription == "" {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	for name, attr := range resp.Schema.Attributes {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", name)
		}
	}
}
