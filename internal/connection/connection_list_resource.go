package connection

import (
	"context"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var _ list.ListResourceWithConfigure = &connectionListResource{}

// connectionListResource lists the connections of one kind in a workspace, for
// `terraform query` (Terraform 1.14 and later). One implementation serves every kind.
type connectionListResource struct {
	kind *Kind
	data *providerdata.Data
}

// ListResources returns a list resource constructor per kind, for the provider.
func ListResources() []func() list.ListResource {
	out := make([]func() list.ListResource, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, NewListResource(k))
	}
	return out
}

// NewListResource returns the constructor of a kind's list resource.
func NewListResource(k *Kind) func() list.ListResource {
	return func() list.ListResource { return &connectionListResource{kind: k} }
}

type listConfigModel struct {
	Workspace types.String `tfsdk:"workspace"`
}

func (l *connectionListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.kind.Name + "_connection"
}

func (l *connectionListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the %s connections of a workspace. Each result has the "+
			"connection's identity (workspace and id) and the display name `<workspace>/<slug>`; with "+
			"`include_resource`, its attributes too, except secret values, which are never listed.", l.kind.Title),
		Attributes: map[string]schema.Attribute{
			attrWorkspace: schema.StringAttribute{
				MarkdownDescription: "Slug of the workspace to list. Defaults to the provider's `workspace`.",
				Optional:            true,
				Validators:          []validator.String{validators.WorkspaceSlug()},
			},
		},
	}
}

func (l *connectionListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (l *connectionListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if providerdata.NotConfigured(l.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var config listConfigModel
	diags.Append(req.Config.Get(ctx, &config)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	workspace := resolveWorkspace(config.Workspace, l.data, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// Field values are needed only for the resource objects: without them, the summaries
	// suffice, and no secret value is fetched only to be dropped.
	listConnections := l.data.Client.WorkspaceConnectionSummaries
	if req.IncludeResource {
		listConnections = l.data.Client.WorkspaceConnections
	}
	conns, err := listConnections(ctx, workspace)
	if err != nil {
		addAPIError(&diags, l.data, "Cannot list "+l.kind.ResourceTypeName(), workspace, err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	tflog.Debug(ctx, "listing connections", map[string]any{"workspace": workspace, "type": string(l.kind.APIType)})

	stream.Results = func(push func(list.ListResult) bool) {
		var sent int64
		for i := range conns {
			conn := &conns[i]
			if conn.Type != l.kind.APIType {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = workspace + "/" + conn.Slug
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, workspace, conn.ID)...)
			if req.IncludeResource {
				result.Diagnostics.Append(l.kind.fillListed(ctx, workspace, conn, result.Resource)...)
			}
			sent++
			if !push(result) {
				return
			}
		}
	}
}

// fillListed writes a listed connection into an empty resource object the way a read
// after import would, but without secret values: list results are shown and turned
// into configuration, so secrets stay out of them.
func (k *Kind) fillListed(ctx context.Context, workspace string, conn *openhexa.Connection, dst *tfsdk.Resource) diag.Diagnostics {
	withoutSecrets := *conn
	withoutSecrets.Fields = make([]openhexa.ConnectionField, len(conn.Fields))
	for i, f := range conn.Fields {
		if f.Secret {
			f.Value = nil
		}
		withoutSecrets.Fields[i] = f
	}
	r := &connectionResource{kind: k}
	buf, diags := newStateBuffer(ctx, dst.Schema.Type(), dst.Raw)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.mapServer(ctx, workspace, &withoutSecrets, buf, &privateData{})...)
	if diags.HasError() {
		return diags
	}
	diags.Append(flush(ctx, buf, dst)...)
	return diags
}
