// Package workspace holds the openhexa_workspace data source: a workspace and what
// the provider's token may do in it. It reads no connection, so it sits outside the
// connection engine, and shares with it only what every reader shares: the
// provider's data and its messages (package providerdata).
package workspace

import (
	"context"

	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &workspaceDataSource{}

// workspaceDataSource reads one workspace and what the token may do in it.
type workspaceDataSource struct {
	data *providerdata.Data
}

// NewDataSource returns the openhexa_workspace data source.
func NewDataSource() datasource.DataSource { return &workspaceDataSource{} }

type workspaceDataSourceModel struct {
	Slug                 types.String `tfsdk:"slug"`
	Name                 types.String `tfsdk:"name"`
	Description          types.String `tfsdk:"description"`
	CanManageConnections types.Bool   `tfsdk:"can_manage_connections"`
	Role                 types.String `tfsdk:"role"`
}

func (d *workspaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (d *workspaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An OpenHEXA workspace, and what the provider's token may do in it. Use it to fail " +
			"early when the token cannot manage connections.",
		Attributes: map[string]schema.Attribute{
			"slug": schema.StringAttribute{
				MarkdownDescription: "Slug of the workspace (the key OpenHEXA identifies workspaces by). Defaults to " +
					"the provider's `workspace`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validators.WorkspaceSlug()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Display name of the workspace.",
				Computed:            true,
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the workspace, `\"\"` when it has none.",
				Computed:            true,
			},
			"can_manage_connections": schema.BoolAttribute{
				MarkdownDescription: "Whether the token may create, update and delete connections in the workspace " +
					"(the API's `permissions.createConnection`). This, not `role`, is what decides: organisation " +
					"admins and superusers have no role but may manage connections.",
				Computed: true,
			},
			"role": schema.StringAttribute{
				MarkdownDescription: "The token's role in the workspace: `ADMIN`, `EDITOR` or `VIEWER`. Null when " +
					"access is implicit (organisation admin or owner, superuser).",
				Computed: true,
			},
		},
	}
}

func (d *workspaceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *workspaceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if providerdata.NotConfigured(d.data, &resp.Diagnostics) {
		return
	}
	var model workspaceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Like every other reader, an unset slug means the provider's workspace.
	if model.Slug.IsNull() || model.Slug.IsUnknown() || model.Slug.ValueString() == "" {
		if d.data.Workspace == "" {
			resp.Diagnostics.AddAttributeError(path.Root("slug"), "Missing workspace",
				"Set `slug` here, or a default `workspace` in the provider block (or the OPENHEXA_WORKSPACE / "+
					"HEXA_WORKSPACE environment variable).")
			return
		}
		model.Slug = types.StringValue(d.data.Workspace)
	}
	ws, err := d.data.Client.Workspace(ctx, model.Slug.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read workspace", err.Error())
		return
	}
	if ws == nil {
		resp.Diagnostics.AddAttributeError(path.Root("slug"), "Workspace not found", providerdata.WorkspaceNotVisible(d.data, model.Slug.ValueString()))
		return
	}
	model.Name = types.StringValue(ws.Name)
	model.Description = types.StringValue("")
	if ws.Description != nil {
		model.Description = types.StringValue(*ws.Description)
	}
	model.CanManageConnections = types.BoolValue(ws.Permissions.CreateConnection)
	model.Role = types.StringNull()
	if ws.CurrentMembership != nil {
		model.Role = types.StringValue(ws.CurrentMembership.Role)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
