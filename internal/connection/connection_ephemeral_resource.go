package connection

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ ephemeral.EphemeralResourceWithConfigure = &connectionEphemeralResource{}

// connectionEphemeralResource reads a connection with every field, secrets included,
// for use in provider blocks and write-only attributes: it never reaches state or plan.
type connectionEphemeralResource struct {
	data *providerdata.Data
}

// NewConnectionEphemeralResource returns the openhexa_connection ephemeral resource.
func NewConnectionEphemeralResource() ephemeral.EphemeralResource {
	return &connectionEphemeralResource{}
}

type connectionEphemeralModel struct {
	Workspace types.String `tfsdk:"workspace"`
	Slug      types.String `tfsdk:"slug"`
	ID        types.String `tfsdk:"id"`
	Type      types.String `tfsdk:"type"`
	Fields    types.Map    `tfsdk:"fields"`
}

func (e *connectionEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connection"
}

func (e *connectionEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every field of an OpenHEXA connection, secrets included, as the OpenHEXA SDK sees " +
			"it. Ephemeral: never stored in state or plan (Terraform 1.10 and later, OpenTofu 1.11 and later). " +
			"Use it to configure another provider, or a write-only attribute, from a connection. Reading secrets " +
			"needs the ADMIN or EDITOR role in the workspace (or organisation admin rights).",
		Attributes: map[string]schema.Attribute{
			attrWorkspace: schema.StringAttribute{
				MarkdownDescription: "Slug of the workspace that holds the connection. Defaults to the provider's " +
					"`workspace`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validators.WorkspaceSlug()},
			},
			attrSlug: schema.StringAttribute{
				MarkdownDescription: "Slug of the connection.",
				Required:            true,
				Validators:          []validator.String{validators.ConnectionSlug()},
			},
			attrID: schema.StringAttribute{
				MarkdownDescription: "UUID of the connection.",
				Computed:            true,
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "The connection's type as the API names it: " + Enumerate(APITypes(), "`", "or") + ".",
				Computed:            true,
			},
			"fields": schema.MapAttribute{
				MarkdownDescription: "Every field, value by code, secret or not (for example `host`, `port`, " +
					"`db_name`, `username` and `password` of a PostgreSQL connection). Sensitive.",
				ElementType: types.StringType,
				Computed:    true,
				Sensitive:   true,
			},
		},
	}
}

func (e *connectionEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (e *connectionEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if providerdata.NotConfigured(e.data, &resp.Diagnostics) {
		return
	}
	var model connectionEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	workspace := resolveWorkspace(model.Workspace, e.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	conn := findConnection(ctx, e.data, workspace, model.Slug, types.StringNull(), &resp.Diagnostics)
	if conn == nil {
		return
	}
	fields := map[string]string{}
	var unreadable []string
	for _, f := range conn.Fields {
		if f.Value == nil {
			unreadable = append(unreadable, f.Code)
			continue
		}
		fields[f.Code] = *f.Value
	}
	if len(unreadable) > 0 {
		sort.Strings(unreadable)
		resp.Diagnostics.AddAttributeError(path.Root(attrSlug), "Secret values not readable",
			fmt.Sprintf("This token may not read the secret fields %s of connection %q: reading secrets needs the "+
				"ADMIN or EDITOR role in workspace %q (or organisation admin rights).",
				strings.Join(unreadable, ", "), conn.Slug, workspace))
		return
	}
	model.Workspace = types.StringValue(workspace)
	model.Slug = types.StringValue(conn.Slug)
	model.ID = types.StringValue(conn.ID)
	model.Type = types.StringValue(string(conn.Type))
	var diags diag.Diagnostics
	model.Fields, diags = types.MapValueFrom(ctx, types.StringType, fields)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &model)...)
}
