package connection_test

import (
	"context"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/blsq/terraform-provider-openhexa/internal/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// listServer is a provider server that also serves list resources, what the
// deprecated tfprotov6.ProviderServerWithListResource names.
type listServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// listHarness drives the provider over the plugin protocol, as `terraform query`
// does: no CLI has a query command that the tests can run (OpenTofu has none).
type listHarness struct {
	t        *testing.T
	server   listServer
	schemas  *tfprotov6.GetProviderSchemaResponse
	identity *tfprotov6.GetResourceIdentitySchemasResponse
}

func newListHarness(t *testing.T, srv *openhexatest.Server, token string) *listHarness {
	t.Helper()
	ctx := context.Background()
	plain, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	server, ok := plain.(listServer)
	if !ok {
		t.Fatalf("the provider server (%T) does not serve list resources", plain)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, diagText(schemas.Diagnostics))
	}
	identity, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasError(identity.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, diagText(identity.Diagnostics))
	}
	config := dynamicValue(t, schemas.Provider.ValueType(), map[string]tftypes.Value{
		"url":       tftypes.NewValue(tftypes.String, srv.URL()),
		"token":     tftypes.NewValue(tftypes.String, token),
		"workspace": tftypes.NewValue(tftypes.String, openhexatest.WorkspaceMain),
	})
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: config})
	if err != nil || hasError(configured.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, diagText(configured.Diagnostics))
	}
	return &listHarness{t: t, server: server, schemas: schemas, identity: identity}
}

// listed is one result, decoded.
type listed struct {
	DisplayName string
	Identity    map[string]tftypes.Value
	Resource    map[string]tftypes.Value // nil when not asked for
}

// list runs ListResource; workspace "" leaves the list block's workspace null.
func (h *listHarness) list(typeName, workspace string, includeResource bool, limit int64) ([]listed, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	listSchema, ok := h.schemas.ListResourceSchemas[typeName]
	if !ok {
		h.t.Fatalf("no list resource %s", typeName)
	}
	ws := tftypes.NewValue(tftypes.String, nil)
	if workspace != "" {
		ws = tftypes.NewValue(tftypes.String, workspace)
	}
	config := dynamicValue(h.t, listSchema.ValueType(), map[string]tftypes.Value{"workspace": ws})
	stream, err := h.server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: config, IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		h.t.Fatalf("ListResource: %v", err)
	}
	var out []listed
	var diags []*tfprotov6.Diagnostic
	for r := range stream.Results {
		diags = append(diags, r.Diagnostics...)
		if hasError(r.Diagnostics) {
			continue
		}
		item := listed{DisplayName: r.DisplayName}
		if r.Identity == nil || r.Identity.IdentityData == nil {
			h.t.Fatalf("%s: result %q has no identity", typeName, r.DisplayName)
		}
		item.Identity = decodeObject(h.t, r.Identity.IdentityData, h.identity.IdentitySchemas[typeName].ValueType())
		if r.Resource != nil {
			item.Resource = decodeObject(h.t, r.Resource, h.schemas.ResourceSchemas[typeName].ValueType())
		}
		out = append(out, item)
	}
	return out, diags
}

// dynamicValue builds an object of the schema's type; attributes not given are null.
func dynamicValue(t *testing.T, typ tftypes.Type, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	if obj, ok := typ.(tftypes.Object); ok {
		for name, attrType := range obj.AttributeTypes {
			if _, set := attrs[name]; !set {
				attrs[name] = tftypes.NewValue(attrType, nil)
			}
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func decodeObject(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, d.Summary+": "+d.Detail)
	}
	return strings.Join(parts, "; ")
}

func str(t *testing.T, v tftypes.Value) string {
	t.Helper()
	if v.IsNull() {
		return "<null>"
	}
	var s string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestListResources lists connections of every kind through the protocol: identity,
// display name, the resource when asked (without secret values), the limit, an
// explicit workspace, and a list resource for every kind in the table.
func TestListResources(t *testing.T) {
	srv := openhexatest.Start(t, openhexatest.WithSampleConnections())
	warehouse := seedPostgres(srv)
	custom := srv.CreateStored(openhexatest.StoredConnection{
		Workspace: openhexatest.WorkspaceMain, Name: "API", Slug: "api", Type: openhexatest.TypeCustom,
		Fields: []openhexatest.Field{
			{Code: "base_url", Value: "https://api.example.org"},
			{Code: "api_key", Value: "k-123", Secret: true},
		},
	})
	other := srv.CreateStored(openhexatest.StoredConnection{
		Workspace: openhexatest.WorkspaceOther, Name: "Survey bucket", Type: openhexatest.TypeS3,
		Fields: []openhexatest.Field{
			{Code: "bucket_name", Value: "survey"},
			{Code: "access_key_id", Value: "AKIA"},
			{Code: "access_key_secret", Value: "aws-secret", Secret: true},
		},
	})
	h := newListHarness(t, srv, openhexatest.TokenAdmin)

	// Probe: the provider must hand its data to list resources.
	if _, diags := h.list("openhexa_postgres_connection", "", false, 0); hasError(diags) {
		if strings.Contains(diagText(diags), "Provider not configured") {
			t.Skip("provider.Configure does not set resp.ListResourceData yet: list resources cannot reach the API")
		}
		t.Fatalf("list: %s", diagText(diags))
	}

	t.Run("every kind has a list resource", func(t *testing.T) {
		for _, k := range connection.Kinds {
			if _, ok := h.schemas.ListResourceSchemas[k.ResourceTypeName()]; !ok {
				t.Errorf("no list resource for %s", k.ResourceTypeName())
			}
		}
	})

	t.Run("identity and display name", func(t *testing.T) {
		got, diags := h.list("openhexa_postgres_connection", "", false, 0)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		var names []string
		for _, r := range got {
			names = append(names, r.DisplayName)
			if r.Resource != nil {
				t.Errorf("%s: resource returned without include_resource", r.DisplayName)
			}
			if ws := str(t, r.Identity["workspace"]); ws != openhexatest.WorkspaceMain {
				t.Errorf("%s: identity workspace %q", r.DisplayName, ws)
			}
		}
		want := []string{openhexatest.WorkspaceMain + "/surveillance-database", openhexatest.WorkspaceMain + "/warehouse"}
		sort.Strings(names)
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Fatalf("display names %v, want %v", names, want)
		}
		for _, r := range got {
			if r.DisplayName == openhexatest.WorkspaceMain+"/warehouse" && str(t, r.Identity["id"]) != warehouse.ID {
				t.Errorf("identity id %s, want %s", str(t, r.Identity["id"]), warehouse.ID)
			}
		}
	})

	t.Run("include resource, without secrets", func(t *testing.T) {
		got, diags := h.list("openhexa_postgres_connection", openhexatest.WorkspaceMain, true, 0)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		var res map[string]tftypes.Value
		for _, r := range got {
			if r.DisplayName == openhexatest.WorkspaceMain+"/warehouse" {
				res = r.Resource
			}
		}
		if res == nil {
			t.Fatalf("warehouse not listed with its resource: %+v", got)
		}
		for attr, want := range map[string]string{
			"id": warehouse.ID, "workspace": openhexatest.WorkspaceMain, "name": "Surveillance warehouse",
			"slug": "warehouse", "description": "Weekly reports", "host": "db.example.org",
			"db_name": "surveillance", "username": "hexa", "password": "<null>", "password_wo": "<null>",
		} {
			if got := str(t, res[attr]); got != want {
				t.Errorf("%s = %q, want %q", attr, got, want)
			}
		}
		var port big.Float
		if err := res["port"].As(&port); err != nil || port.String() != "5432" {
			t.Errorf("port = %v (%v), want 5432", port.String(), err)
		}
		if str(t, res["updated_at"]) == "<null>" {
			t.Error("updated_at is null")
		}
	})

	t.Run("custom kind", func(t *testing.T) {
		got, diags := h.list("openhexa_custom_connection", "", true, 0)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		if len(got) != 1 || str(t, got[0].Identity["id"]) != custom.ID {
			t.Fatalf("got %+v, want the custom connection only", got)
		}
		var fields map[string]tftypes.Value
		if err := got[0].Resource["fields"].As(&fields); err != nil {
			t.Fatal(err)
		}
		if len(fields) != 1 || str(t, fields["base_url"]) != "https://api.example.org" {
			t.Errorf("fields = %v", fields)
		}
		if !got[0].Resource["secret_fields"].IsNull() {
			t.Error("secret_fields listed; secret values must stay out of list results")
		}
	})

	t.Run("limit", func(t *testing.T) {
		got, diags := h.list("openhexa_postgres_connection", "", false, 1)
		if hasError(diags) || len(got) != 1 {
			t.Fatalf("got %d results (%s), want 1", len(got), diagText(diags))
		}
	})

	t.Run("explicit workspace", func(t *testing.T) {
		got, diags := h.list("openhexa_s3_connection", openhexatest.WorkspaceOther, true, 0)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		if len(got) != 1 || got[0].DisplayName != openhexatest.WorkspaceOther+"/"+other.Slug {
			t.Fatalf("got %+v", got)
		}
		if s := str(t, got[0].Resource["access_key_secret"]); s != "<null>" {
			t.Error("access_key_secret listed")
		}
		if none, _ := h.list("openhexa_s3_connection", "", false, 0); len(none) != 0 {
			t.Errorf("the main workspace has no S3 connection, got %d", len(none))
		}
	})

	t.Run("unknown workspace", func(t *testing.T) {
		_, diags := h.list("openhexa_gcs_connection", "no-such-workspace", false, 0)
		if !hasError(diags) {
			t.Fatal("no error for a workspace that does not exist")
		}
	})
}
