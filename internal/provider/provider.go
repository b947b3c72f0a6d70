// Package provider declares the openhexa provider: its configuration and the list of
// everything it offers.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/functions"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/blsq/terraform-provider-openhexa/internal/workspace"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ provider.Provider                       = &OpenHEXAProvider{}
	_ provider.ProviderWithEphemeralResources = &OpenHEXAProvider{}
	_ provider.ProviderWithFunctions          = &OpenHEXAProvider{}
	_ provider.ProviderWithListResources      = &OpenHEXAProvider{}
)

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
	URL         types.String `tfsdk:"url"`
	Token       types.String `tfsdk:"token"`
	Workspace   types.String `tfsdk:"workspace"`
	MaxRetries  types.Int64  `tfsdk:"max_retries"`
	Insecure    types.Bool   `tfsdk:"insecure"`
	CACertFile  types.String `tfsdk:"ca_cert_file"`
	FullRefresh types.Bool   `tfsdk:"full_refresh"`
	Adopt       types.Bool   `tfsdk:"adopt_identical"`
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
			"the stored credentials of " + connection.Enumerate(connection.Titles(), "", "and") + " systems that " +
			"notebooks and pipelines use.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the OpenHEXA API server, for example `https://api.openhexa.org`; " +
					"the provider posts to `<url>/graphql/`. Defaults to the `OPENHEXA_URL` environment variable, " +
					"else `HEXA_SERVER_URL` (the variable the OpenHEXA SDK reads). Plain `http://` is for a server on " +
					"this machine (`localhost`, `127.0.0.1`, `::1`): to any other host the provider warns, since the " +
					"token and secrets would cross the network unencrypted. The provider never follows a redirect to " +
					"another scheme, host or port (it fails, naming where the server tried to send the request, and " +
					"sends nothing there); within the same origin it follows 307 and 308 (method, token and body " +
					"kept), and refuses 301, 302 and 303, which would turn the POST into a GET.",
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
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is sent again after a network error, "+
					"HTTP 429 (the server's `Retry-After` is honoured), 502, 503 or 504, with exponential backoff. "+
					"Reads are retried; creates and updates only when the server certainly did not apply them. "+
					"`0` turns retries off. Defaults to %d.", openhexa.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip the verification of the server's TLS certificate. Only for test servers: " +
					"anyone on the path can then read the token. Defaults to `false`, or `true` when the " +
					"`HEXA_VERIFY_SSL` environment variable (read by the OpenHEXA SDK) is `false`.",
				Optional: true,
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path of a PEM file with the certificate(s) of a certificate authority to trust " +
					"in addition to the system's, for a server whose certificate a private CA signed.",
				Optional: true,
			},
			"full_refresh": schema.BoolAttribute{
				MarkdownDescription: "Read the fields of every managed connection on each refresh. By default a " +
					"refresh lists each workspace without fields and reads the fields only of the connections whose " +
					"`updated_at` moved since their fields were last read: OpenHEXA moves it on every update it " +
					"accepts, and reading fields is most of what a listing costs the server. Two writes change " +
					"fields without moving it: an `updateConnection` that OpenHEXA refuses after saving the fields " +
					"(a slug clash, a repeated field code), and an edit of a field row in the Django admin. Set " +
					"`true` (or `OPENHEXA_FULL_REFRESH=true`) for a plan that must see those too. Defaults to `false`.",
				Optional: true,
			},
			"adopt_identical": schema.BoolAttribute{
				MarkdownDescription: "Let a create whose slug OpenHEXA already holds adopt that connection into " +
					"state instead of failing, when it has the same type and identical content: name, description, " +
					"and every field's code, value and secret flag (secret values too, write-only ones included; " +
					"a secret the token may not read counts as different). Each adoption is reported with a " +
					"warning, at plan (\"will adopt\") and at apply; a connection that differs is refused, naming " +
					"the fields that differ (never a secret value). This is the way to finish an apply that was " +
					"interrupted after OpenHEXA created connections but before the CLI saved them in state. It is " +
					"off by default because two configurations must never manage one connection unknowingly: set " +
					"it only for the run that recovers, with `true` here or `OPENHEXA_ADOPT_IDENTICAL=true`. " +
					"Defaults to `false`.",
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
	for name, value := range map[string]types.String{"url": config.URL, "token": config.Token, "workspace": config.Workspace, "ca_cert_file": config.CACertFile} {
		if value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider "+name,
				"The provider's "+name+" depends on a value that is only known after apply. Set it from a value "+
					"known at plan time (a variable, a literal or an environment variable).")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	url := ResolveURL(config.URL.ValueString())
	token := ResolveToken(config.Token.ValueString())
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
	if openhexa.URLHasCredentials(url) {
		// Not on the `url` attribute: the CLI would print its configuration line.
		resp.Diagnostics.AddError("OpenHEXA URL with credentials", openhexa.URLCredentialsRefused)
		return
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
	ctx = tflog.MaskMessageStrings(ctx, token)

	httpClient := transportFromConfig(config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	warnPlainHTTP(url, &resp.Diagnostics)
	maxRetries := openhexa.DefaultMaxRetries
	if !config.MaxRetries.IsNull() {
		maxRetries = int(config.MaxRetries.ValueInt64())
		if maxRetries == 0 {
			maxRetries = -1 // the client's zero means its default
		}
	}
	client, err := openhexa.NewClient(openhexa.Config{
		URL:        url,
		Token:      token,
		UserAgent:  userAgent(p.version, req.TerraformVersion),
		Logger:     tflogLogger{},
		HTTPClient: httpClient,
		MaxRetries: maxRetries,
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

	data := &providerdata.Data{Client: client, Workspace: workspace, User: actingUser(me.User),
		FullRefresh: resolveFullRefresh(config.FullRefresh), AdoptIdentical: resolveAdoptIdentical(config.Adopt)}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
}

// actingUser names a user the way messages about access do: email, and display name when it differs.
func actingUser(u *openhexa.User) string {
	if u.DisplayName == "" || u.DisplayName == u.Email {
		return u.Email
	}
	return fmt.Sprintf("%s (%s)", u.Email, u.DisplayName)
}

// Resources lists every managed resource: one per connection kind.
func (p *OpenHEXAProvider) Resources(_ context.Context) []func() resource.Resource {
	return connection.Resources()
}

// DataSources lists every data source.
func (p *OpenHEXAProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		workspace.NewDataSource,
		connection.NewConnectionDataSource,
		connection.NewConnectionsDataSource,
	}
}

// EphemeralResources lists every ephemeral resource.
func (p *OpenHEXAProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		connection.NewConnectionEphemeralResource,
	}
}

// Functions lists every provider function.
func (p *OpenHEXAProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		functions.NewSlugFunction,
		functions.NewEnvVarsFunction,
		functions.NewPostgresURLFunction,
	}
}

// ListResources lists every list resource (terraform query): one per connection kind.
func (p *OpenHEXAProvider) ListResources(_ context.Context) []func() list.ListResource {
	return connection.ListResources()
}

// transportFromConfig builds the HTTP client of the TLS settings: ca_cert_file,
// insecure (or HEXA_VERIFY_SSL=false, as the OpenHEXA SDK reads it).
func transportFromConfig(config providerModel, diags *diag.Diagnostics) *http.Client {
	if config.MaxRetries.IsUnknown() || config.Insecure.IsUnknown() {
		diags.AddError("Unknown provider setting",
			"max_retries and insecure must be known at plan time (a variable, a literal or an environment variable).")
		return nil
	}
	var insecure *bool
	if !config.Insecure.IsNull() {
		v := config.Insecure.ValueBool()
		insecure = &v
	}
	opts, insecureFrom, err := ResolveTLS(insecure, config.CACertFile.ValueString())
	var fileErr *CACertFileError
	if errors.As(err, &fileErr) {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Cannot read the CA certificate file",
			fmt.Sprintf("Reading %s failed: %s. Set `ca_cert_file` to a readable PEM file.", fileErr.File, fileErr.Err))
		return nil
	}
	client, err := openhexa.NewHTTPClient(opts)
	if err != nil {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA certificate file",
			fmt.Sprintf("%s: %s.", config.CACertFile.ValueString(), err))
		return nil
	}
	if opts.Insecure {
		diags.AddAttributeWarning(path.Root("insecure"), "TLS certificate verification is off",
			"The provider does not check the OpenHEXA server's certificate ("+insecureFrom+"): anyone on the "+
				"network path can impersonate the server and read the token. Use it only with a test server; "+
				"for a private CA, set `ca_cert_file` instead.")
	}
	return client
}

// resolveFullRefresh returns full_refresh when it is set, else whether
// OPENHEXA_FULL_REFRESH is true.
func resolveFullRefresh(configured types.Bool) bool {
	if !configured.IsNull() && !configured.IsUnknown() {
		return configured.ValueBool()
	}
	v, err := strconv.ParseBool(strings.TrimSpace(os.Getenv("OPENHEXA_FULL_REFRESH")))
	return err == nil && v
}

// resolveAdoptIdentical returns adopt_identical when it is set, else whether
// OPENHEXA_ADOPT_IDENTICAL is true.
func resolveAdoptIdentical(configured types.Bool) bool {
	if !configured.IsNull() && !configured.IsUnknown() {
		return configured.ValueBool()
	}
	v, err := strconv.ParseBool(strings.TrimSpace(os.Getenv("OPENHEXA_ADOPT_IDENTICAL")))
	return err == nil && v
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

// userAgent names the provider and the version of the CLI that runs it, as the plugin
// protocol gives it (it does not tell OpenTofu from Terraform).
func userAgent(version, cliVersion string) string {
	ua := "terraform-provider-openhexa/" + version
	if cliVersion != "" {
		ua += " terraform-cli/" + cliVersion
	}
	return ua
}

// tflogLogger sends the client's request lines to the provider's log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
