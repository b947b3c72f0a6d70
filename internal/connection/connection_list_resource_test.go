package connection_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

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
	h := newHarness(t, srv, openhexatest.TokenAdmin)

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
		srv.ResetRequests()
		got, diags := h.list("openhexa_postgres_connection", "", false, 0)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		// Without include_resource no field value is returned, so none is fetched.
		if n := srv.RequestCount("ListWorkspaceConnections"); n != 0 {
			t.Errorf("%d listings with fields (secret values included) for a list without resources", n)
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
		if got := str(t, res["port"]); got != "5432" {
			t.Errorf("port = %q, want 5432", got)
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
