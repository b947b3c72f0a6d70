package connection

import (
	"context"
	"fmt"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &connectionsDataSource{}

// connectionsDataSource lists a workspace's connections, optionally of one type.
type connectionsDataSource struct {
	data *providerdata.Data
}

// NewConnectionsDataSource returns the openhexa_connections data source.
func NewConnectionsDataSource() datasource.DataSource { return &connectionsDataSource{} }

type connectionsDataSourceModel struct {
	Workspace   types.String          `tfsdk:"workspace"`
	Type        types.String          `tfsdk:"type"`
	Connections []connectionSummaryTF `tfsdk:"connections"`
}

type connectionSummaryTF struct {
	ID          types.String `tfsdk:"id"`
	Slug        types.String `tfsdk:"slug"`
	Name        types.String `tfsdk:"name"`
	Type        types.String `tfsdk:"type"`
	Description types.String `tfsdk:"description"`
}

func (d *connectionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connections"
}

func (d *connectionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The connections of an OpenHEXA workspace, most recently updated first, optionally " +
			"of one type. No field values are read.",
		Attributes: map[string]schema.Attribute{
			attrWorkspace: schema.StringAttribute{
				MarkdownDescription: "Slug of the workspace. Defaults to the provider's `workspace`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.WorkspaceSlug()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only list connections of this type. Either the resource kind, as in " +
					"`openhexa_<kind>_connection` (" + strings.Join(quoted(kindNames(), "`"), ", ") + "), or the API's type (" +
					strings.Join(quoted(APITypes(), "`"), ", ") + "); case does not matter. Lists every type when left out.",
				Optional:   true,
				Validators: []validator.String{connectionTypeFilter{}},
			},
			"connections": schema.ListNestedAttribute{
				MarkdownDescription: "The connections, most recently updated first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						attrID: schema.StringAttribute{
							MarkdownDescription: "UUID of the connection.",
							Computed:            true,
						},
						attrSlug: schema.StringAttribute{
							MarkdownDescription: "Slug of the connection.",
							Computed:            true,
						},
						attrName: schema.StringAttribute{
							MarkdownDescription: "Display name of the connection.",
							Computed:            true,
						},
						"type": schema.StringAttribute{
							MarkdownDescription: "The connection's type as the API names it (`POSTGRESQL`, `DHIS2`, …).",
							Computed:            true,
						},
						attrDescription: schema.StringAttribute{
							MarkdownDescription: "Description of the connection, `\"\"` when it has none.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *connectionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *connectionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if providerdata.NotConfigured(d.data, &resp.Diagnostics) {
		return
	}
	var model connectionsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	workspace := resolveWorkspace(model.Workspace, d.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var want openhexa.ConnectionType
	if !model.Type.IsNull() {
		want = apiTypeOf(model.Type.ValueString())
	}
	// The summaries carry every attribute this data source returns; the listing with
	// fields would fetch secret values only to drop them.
	conns, err := d.data.Client.WorkspaceConnectionSummaries(ctx, workspace)
	if err != nil {
		addAPIError(&resp.Diagnostics, d.data, "Cannot list connections", workspace, err)
		return
	}
	model.Workspace = types.StringValue(workspace)
	model.Connections = []connectionSummaryTF{}
	var listed []openhexa.Connection
	for _, c := range conns {
		if want != "" && c.Type != want {
			continue
		}
		listed = append(listed, c)
		model.Connections = append(model.Connections, connectionSummaryTF{
			ID:          types.StringValue(c.ID),
			Slug:        types.StringValue(c.Slug),
			Name:        types.StringValue(c.Name),
			Type:        types.StringValue(string(c.Type)),
			Description: types.StringValue(c.DescriptionOrEmpty()),
		})
	}
	if warning := sdkListWarning(workspace, conns, listed); warning != "" {
		resp.Diagnostics.AddWarning("Connections the OpenHEXA SDK cannot find by their slug", warning)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// apiTypeOf maps a kind name (postgres) or an API type (POSTGRESQL), in any case, to
// the API type; "" when it is neither.
func apiTypeOf(s string) openhexa.ConnectionType {
	for _, k := range Kinds {
		if strings.EqualFold(s, k.Name) || strings.EqualFold(s, string(k.APIType)) {
			return k.APIType
		}
	}
	return ""
}

// kindNames lists the middle names of the kinds' resources, in the table's order.
func kindNames() []string {
	names := make([]string, 0, len(Kinds))
	for _, k := range Kinds {
		names = append(names, k.Name)
	}
	return names
}

// connectionTypeFilter accepts what apiTypeOf understands.
type connectionTypeFilter struct{}

func (connectionTypeFilter) Description(ctx context.Context) string {
	return "must be a connection kind or an API connection type"
}

func (v connectionTypeFilter) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (connectionTypeFilter) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if apiTypeOf(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown connection type",
			fmt.Sprintf("%q is not a connection type. Use a kind (%s) or an API type (%s).", req.ConfigValue.ValueString(),
				strings.Join(kindNames(), ", "), strings.Join(APITypes(), ", ")))
	}
}
