// Package provider declares the openhexa provider: its configuration and the list of
// everything it offers.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var _ provider.Provider = &OpenHEXAProvider{}

// Environment variables, ours first, then the OpenHEXA SDK's.
var (
	urlEnvVars       = []string{"OPENHEXA_URL", "HEXA_SERVER_URL"}
	tokenEnvVars     = []string{"OPENHEXA_TOKEN", "HEXA_TOKEN"}
	workspaceEnvVars = []string{"OPENHEXA_WORKSPACE", "HEXA_WORKSPACE"}
)

// OpenHEXAProvider is the openhexa provider.
type OpenHEXAProvider struct {
	version string
}

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &OpenHEXAProvider{version: version}
	}
}

// providerModel is the provider block.
type providerModel struct {
	URL       types.String `tfsdk:"url"`
	Token     types.String `tfsdk:"token"`
	Workspace types.String `tfsdk:"workspace"`
}

// Metadata names the provider.
func (p *OpenHEXAProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "openhexa"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *OpenHEXAProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the connections of [OpenHEXA](https://www.openhexa.org) workspaces: " +
			"the stored credentials of PostgreSQL, DHIS2, IASO, S3, GCS and custom systems that notebooks and " +
			"pipelines use.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the OpenHEXA API server, for example `https://api.openhexa.org`; " +
					"the provider posts to `<url>/graphql/`. Defaults to the `OPENHEXA_URL` environment variable, " +
					"else `HEXA_SERVER_URL` (the variable the OpenHEXA SDK reads).",
				Optional: true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "An OpenHEXA access token (a personal workspace access token or a service-account " +
					"token). Defaults to the `OPENHEXA_TOKEN` environment variable, else `HEXA_TOKEN`.",
				Optional:  true,
				Sensitive: true,
			},
			"workspace": schema.StringAttribute{
				MarkdownDescription: "Slug of the workspace that resources and data sources use when they do not set " +
					"`workspace` themselves. Defaults to the `OPENHEXA_WORKSPACE` environment variable, else " +
					"`HEXA_WORKSPACE`.",
				Optional: true,
			},
		},
	}
}

// Configure builds the API client and checks the token once.
func (p *OpenHEXAProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, value := range map[string]types.String{"url": config.URL, "token": config.Token, "workspace": config.Workspace} {
		if value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider "+name,
				"The provider's "+name+" depends on a value that is only known after apply. Set it from a value "+
					"known at plan time (a variable, a literal or an environment variable).")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	url := firstNonEmpty(config.URL.ValueString(), urlEnvVars)
	token := firstNonEmpty(config.Token.ValueString(), tokenEnvVars)
	workspace := firstNonEmpty(config.Workspace.ValueString(), workspaceEnvVars)
	if url == "" {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Missing OpenHEXA URL",
			"Set `url` in the provider block or the OPENHEXA_URL (or HEXA_SERVER_URL) environment variable to "+
				"the base URL of the OpenHEXA API server, for example https://api.openhexa.org.")
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing OpenHEXA token",
			"Set `token` in the provider block or the OPENHEXA_TOKEN (or HEXA_TOKEN) environment variable to an "+
				"OpenHEXA access token.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
	ctx = tflog.MaskMessageStrings(ctx, token)

	client, err := openhexa.NewClient(openhexa.Config{
		URL:       url,
		Token:     token,
		UserAgent: userAgent(p.version, req.TerraformVersion),
		Logger:    tflogLogger{},
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Invalid OpenHEXA URL", err.Error())
		return
	}
	me, err := client.Me(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot reach OpenHEXA", err.Error())
		return
	}
	if me.User == nil {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "OpenHEXA token not accepted",
			fmt.Sprintf("The server at %s did not accept the token: it is unknown, revoked or belongs to another "+
				"OpenHEXA server. Check `token` (or OPENHEXA_TOKEN / HEXA_TOKEN) and `url`.", url))
		return
	}
	tflog.Debug(ctx, "OpenHEXA provider configured", map[string]any{"endpoint": client.Endpoint(), "workspace": workspace})

	data := &providerdata.Data{Client: client, Workspace: workspace}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

// Resources lists every managed resource: one per connection kind.
func (p *OpenHEXAProvider) Resources(_ context.Context) []func() resource.Resource {
	return connection.Resources()
}

// DataSources lists every data source.
func (p *OpenHEXAProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}

func firstNonEmpty(configured string, envVars []string) string {
	if configured != "" {
		return configured
	}
	for _, name := range envVars {
		if value := os.Getenv(name); value != "" {
			return value
		}
	}
	return ""
}

// userAgent names the provider and the CLI that runs it.
func userAgent(version, cliVersion string) string {
	ua := "terraform-provider-openhexa/" + version
	if cliVersion != "" {
		ua += " " + cliName() + "/" + cliVersion
	}
	return ua
}

// cliName tells OpenTofu from Terraform: both send only a version number, but the
// CLI is the provider's parent process when it is not run in-process by tests.
func cliName() string {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", os.Getppid()))
	if err == nil && strings.HasPrefix(strings.TrimSpace(string(comm)), "tofu") {
		return "OpenTofu"
	}
	return "Terraform"
}

// tflogLogger sends the client's request lines to the provider's log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
