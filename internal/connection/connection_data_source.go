package connection

import (
	"context"
	"fmt"
	"sort"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure        = &connectionDataSource{}
	_ datasource.DataSourceWithConfigValidators = &connectionDataSource{}
)

// connectionDataSource reads one connection of any type, without its secret values.
type connectionDataSource struct {
	data *providerdata.Data
}

// NewConnectionDataSource returns the openhexa_connection data source.
func NewConnectionDataSource() datasource.DataSource { return &connectionDataSource{} }

type connectionDataSourceModel struct {
	Workspace        types.String `tfsdk:"workspace"`
	Slug             types.String `tfsdk:"slug"`
	ID               types.String `tfsdk:"id"`
	Type             types.String `tfsdk:"type"`
	Name             types.String `tfsdk:"name"`
	Description      types.String `tfsdk:"description"`
	Fields           types.Map    `tfsdk:"fields"`
	SecretFieldCodes types.Set    `tfsdk:"secret_field_codes"`
}

func (d *connectionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection"
}

func (d *connectionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A connection of an OpenHEXA workspace, of any type, found by slug or by id. Only " +
			"non-secret values are read into state; secret fields are listed by code. To use a secret value " +
			"without storing it, use the `openhexa_connection` ephemeral resource.",
		Attributes: map[string]schema.Attribute{
			attrWorkspace: schema.StringAttribute{
				MarkdownDescription: "Slug of the workspace that holds the connection. Defaults to the provider's " +
					"`workspace`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validators.WorkspaceSlug()},
			},
			attrSlug: schema.StringAttribute{
				MarkdownDescription: "Slug of the connection. Exactly one of `slug` and `id` is required.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.ConnectionSlug()},
			},
			attrID: schema.StringAttribute{
				MarkdownDescription: "UUID of the connection. Exactly one of `slug` and `id` is required; the " +
					"connection must be in `workspace`.",
				Optional: true,
				Computed: true,
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "The connection's type as the API names it: " + Enumerate(APITypes(), "`", "or") + ".",
				Computed:            true,
			},
			attrName: schema.StringAttribute{
				MarkdownDescription: "Display name of the connection.",
				Computed:            true,
			},
			attrDescription: schema.StringAttribute{
				MarkdownDescription: "Description of the connection, `\"\"` when it has none.",
				Computed:            true,
			},
			"fields": schema.MapAttribute{
				MarkdownDescription: "The non-secret fields, value by code.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"secret_field_codes": schema.SetAttribute{
				MarkdownDescription: "The codes of the secret fields. Their values never enter state.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *connectionDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot(attrSlug), path.MatchRoot(attrID)),
	}
}

func (d *connectionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (d *connectionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if providerdata.NotConfigured(d.data, &resp.Diagnostics) {
		return
	}
	var model connectionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	workspace := resolveWorkspace(model.Workspace, d.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	conn := findConnection(ctx, d.data, workspace, model.Slug, model.ID, &resp.Diagnostics)
	if conn == nil {
		return
	}
	warnSDKRead(ctx, d.data.Client, workspace, conn, &resp.Diagnostics)
	fields := map[string]string{}
	secretCodes := []string{}
	for _, f := range conn.Fields {
		if f.Secret {
			secretCodes = append(secretCodes, f.Code)
			continue
		}
		fields[f.Code] = deref(f.Value)
	}
	sort.Strings(secretCodes)

	model.Workspace = types.StringValue(workspace)
	model.Slug = types.StringValue(conn.Slug)
	model.ID = types.StringValue(conn.ID)
	model.Type = types.StringValue(string(conn.Type))
	model.Name = types.StringValue(conn.Name)
	model.Description = types.StringValue(conn.DescriptionOrEmpty())
	var diags diag.Diagnostics
	model.Fields, diags = types.MapValueFrom(ctx, types.StringType, fields)
	resp.Diagnostics.Append(diags...)
	model.SecretFieldCodes, diags = types.SetValueFrom(ctx, types.StringType, secretCodes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// resolveWorkspace returns the configured workspace, else the provider's default.
func resolveWorkspace(configured types.String, data *providerdata.Data, diags *diag.Diagnostics) string {
	if !configured.IsNull() && !configured.IsUnknown() && configured.ValueString() != "" {
		return configured.ValueString()
	}
	if data.Workspace == "" {
		diags.AddAttributeError(path.Root(attrWorkspace), "Missing workspace",
			"Set `workspace` here, or a default `workspace` in the provider block (or the OPENHEXA_WORKSPACE / "+
				"HEXA_WORKSPACE environment variable).")
	}
	return data.Workspace
}

// lookupConnection finds a connection of a workspace by slug or, when slug is empty,
// by id (through the run's listing of the workspace, which also proves that it
// belongs there: a connection does not name its workspace). nil, nil only when the
// connection is proven absent; a workspace the token cannot see is an error of kind
// KindWorkspaceNotFound.
func lookupConnection(ctx context.Context, client *openhexa.Client, workspace, slug, id string) (*openhexa.Connection, error) {
	if slug == "" {
		return client.ConnectionInWorkspace(ctx, workspace, id)
	}
	conn, err := client.ConnectionBySlug(ctx, workspace, slug)
	if err != nil || conn != nil {
		return conn, err
	}
	// connectionBySlug answers null for a workspace it cannot see as well: tell them apart.
	ws, err := client.Workspace(ctx, workspace)
	if err != nil {
		return nil, err
	}
	if ws == nil {
		return nil, openhexa.WorkspaceNotFound(openhexa.OpGetWorkspace, workspace)
	}
	return nil, nil
}

// findConnection looks a connection up by slug, or by id within the workspace, and
// reports it missing as an error on the attribute that named it. nil after an error.
func findConnection(ctx context.Context, data *providerdata.Data, workspace string, slug, id types.String, diags *diag.Diagnostics) *openhexa.Connection {
	at, what := path.Root(attrSlug), fmt.Sprintf("slug %q", slug.ValueString())
	if slug.IsNull() || slug.ValueString() == "" {
		at, what = path.Root(attrID), fmt.Sprintf("id %s", id.ValueString())
	}
	conn, err := lookupConnection(ctx, data.Client, workspace, slug.ValueString(), id.ValueString())
	if err != nil {
		addAPIError(diags, data, "Cannot read connection", workspace, err)
		return nil
	}
	if conn == nil {
		diags.AddAttributeError(at, "Connection not found",
			fmt.Sprintf("No connection with %s in workspace %q is visible to this token. Check the %s and the "+
				"workspace.", what, workspace, at))
		return nil
	}
	return conn
}
