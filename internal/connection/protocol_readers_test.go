package connection_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// values decodes a data source's or ephemeral resource's attributes to Go values.
func values(t *testing.T, attrs map[string]tftypes.Value) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range attrs {
		out[k] = goValue(t, v)
	}
	return out
}

// TestProtocolConnectionDataSource reads a connection by slug and by id: non-secret
// fields by value, secret fields by code only.
func TestProtocolConnectionDataSource(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenViewer)
	stored := seedPostgres(srv)
	want := map[string]any{
		"workspace": openhexatest.WorkspaceMain, "slug": "warehouse", "id": stored.ID, "type": "POSTGRESQL",
		"name": "Surveillance warehouse", "description": "Weekly reports",
		"fields":             map[string]string{"host": "db.example.org", "port": "5432", "db_name": "surveillance", "username": "hexa"},
		"secret_field_codes": []string{"password"},
	}
	for name, cfg := range map[string]map[string]any{
		"by slug":            {"slug": "warehouse"},
		"by id":              {"id": stored.ID},
		"explicit workspace": {"slug": "warehouse", "workspace": openhexatest.WorkspaceMain},
	} {
		t.Run(name, func(t *testing.T) {
			got, diags := h.readDataSource("openhexa_connection", cfg)
			if hasError(diags) {
				t.Fatal(diagText(diags))
			}
			if g := values(t, got); !reflect.DeepEqual(g, want) {
				t.Errorf("got %v\nwant %v", g, want)
			}
		})
	}
	t.Run("not found", func(t *testing.T) {
		_, diags := h.readDataSource("openhexa_connection", map[string]any{"slug": "nothing"})
		wantError(t, diags, "Connection not found", "slug")
		_, diags = h.readDataSource("openhexa_connection", map[string]any{"id": "0b0f6d2e-8e0b-4a57-9f43-1d2f3c4b5a69"})
		wantError(t, diags, "Connection not found", "id")
	})
	t.Run("slug or id", func(t *testing.T) {
		_, diags := h.readDataSource("openhexa_connection", map[string]any{})
		if !hasError(diags) {
			t.Error("neither slug nor id accepted")
		}
	})
	t.Run("no workspace anywhere", func(t *testing.T) {
		bare := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenViewer})
		_, diags := bare.readDataSource("openhexa_connection", map[string]any{"slug": "warehouse"})
		wantError(t, diags, "Missing workspace", "workspace")
	})
	t.Run("listing fails", func(t *testing.T) {
		srv.ResetRequests()
		fault := openhexatest.Fault{Kind: openhexatest.Fault500, Times: -1}
		srv.InjectFault("ListWorkspaceConnections", fault)
		t.Cleanup(srv.ClearFaults)
		fresh := newHarness(t, srv, openhexatest.TokenViewer)
		_, diags := fresh.readDataSource("openhexa_connection", map[string]any{"id": stored.ID})
		wantError(t, diags, "Cannot read connection", "")
		if err := faultFired(srv, "ListWorkspaceConnections", fault); err != nil {
			t.Fatal(err)
		}
	})
}

// TestProtocolConnectionsDataSource lists a workspace's connections, of every type or
// of one (by kind or API type, in any case), and refuses an unknown type.
func TestProtocolConnectionsDataSource(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	for _, kind := range connection.Kinds {
		srv.CreateStored(storedFromSample(kind, kind.Name+"-conn", kindSamples[kind.Name].create))
	}
	// slugs renders each listed connection as text, enough to find its slug in.
	slugs := func(got map[string]tftypes.Value) []string {
		list, ok := goValue(t, got["connections"]).([]string)
		if !ok {
			t.Fatalf("connections is not a list: %v", got["connections"])
		}
		return list
	}
	srv.ResetRequests()
	all, diags := h.readDataSource("openhexa_connections", map[string]any{})
	if hasError(diags) {
		t.Fatal(diagText(diags))
	}
	// It returns no field value, so it fetches none (secret values included).
	if full, summaries := srv.RequestCount("ListWorkspaceConnections"), srv.RequestCount("ListWorkspaceConnectionSummaries"); full != 0 || summaries != 1 {
		t.Errorf("%d listings with fields and %d without; want 0 and 1", full, summaries)
	}
	if n := len(slugs(all)); n != len(connection.Kinds) {
		t.Errorf("listed %d connections, want %d", n, len(connection.Kinds))
	}
	if ws := goValue(t, all["workspace"]); ws != openhexatest.WorkspaceMain {
		t.Errorf("workspace %v", ws)
	}
	for _, filter := range []string{"dhis2", "DHIS2", "Dhis2"} {
		got, diags := h.readDataSource("openhexa_connections", map[string]any{"type": filter})
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		listed := slugs(got)
		if len(listed) != 1 || !strings.Contains(listed[0], "dhis2-conn") {
			t.Errorf("type %q listed %v", filter, listed)
		}
	}
	_, diags = h.readDataSource("openhexa_connections", map[string]any{"type": "mysql"})
	if d := wantError(t, diags, "Unknown connection type", "type"); !strings.Contains(d.Detail, "postgres") {
		t.Errorf("the error does not list the kinds: %s", d.Detail)
	}
	_, diags = h.readDataSource("openhexa_connections", map[string]any{"workspace": "no-such-workspace"})
	wantError(t, diags, "Cannot list connections", "")
}

// TestProtocolWorkspaceDataSource reads a workspace with the caller's role.
func TestProtocolWorkspaceDataSource(t *testing.T) {
	srv := openhexatest.Start(t)
	got, diags := newHarness(t, srv, openhexatest.TokenEditor).readDataSource("openhexa_workspace", map[string]any{"slug": openhexatest.WorkspaceMain})
	if hasError(diags) {
		t.Fatal(diagText(diags))
	}
	if v := values(t, got); v["name"] != openhexatest.WorkspaceMainName || v["role"] != "EDITOR" || v["can_manage_connections"] != true {
		t.Errorf("got %v", v)
	}
	_, diags = newHarness(t, srv, openhexatest.TokenOutsider).readDataSource("openhexa_workspace", map[string]any{"slug": openhexatest.WorkspaceMain})
	wantError(t, diags, "Workspace not found", "slug")
}

// TestProtocolEphemeralConnection opens a connection with every field, secrets
// included, and refuses when the token may not read the secrets.
func TestProtocolEphemeralConnection(t *testing.T) {
	srv := openhexatest.Start(t)
	stored := seedPostgres(srv)
	got, diags := newHarness(t, srv, openhexatest.TokenEditor).openEphemeral("openhexa_connection", map[string]any{"slug": "warehouse"})
	if hasError(diags) {
		t.Fatal(diagText(diags))
	}
	v := values(t, got)
	fields, _ := v["fields"].(map[string]string)
	if v["id"] != stored.ID || v["type"] != "POSTGRESQL" || fields["host"] != "db.example.org" || fields["password"] == "" {
		t.Errorf("got %v", v)
	}
	_, diags = newHarness(t, srv, openhexatest.TokenViewer).openEphemeral("openhexa_connection", map[string]any{"slug": "warehouse"})
	if d := wantError(t, diags, "Secret values not readable", "slug"); !strings.Contains(d.Detail, "password") {
		t.Errorf("the error does not name the field: %s", d.Detail)
	}
}

// TestProtocolVerify: with verify = true, the server's credential check runs with the
// planned values before the create, and a failure creates nothing.
func TestProtocolVerify(t *testing.T) {
	srv := openhexatest.Start(t)
	var tested map[string]string
	srv.SetConnectionTester(func(_ context.Context, _ string, fields map[string]string) error {
		tested = fields
		if fields["username"] == "wrong" {
			return errors.New("authentication failed")
		}
		return nil
	})
	h := newHarness(t, srv, openhexatest.TokenEditor)
	kind := connection.KindByName("dhis2")
	good := config("Checked", "checked", "", kindSamples[kind.Name].create)
	good["verify"] = true
	h.create(kind.ResourceTypeName(), good)
	if tested["password"] != kindSamples[kind.Name].create["password"] {
		t.Errorf("the check did not get the planned password")
	}

	bad := config("Refused", "refused", "", writeOnly(kind, kindSamples[kind.Name].create, 0))
	bad["username"], bad["verify"] = "wrong", true
	_, diags := h.tryCreate(kind.ResourceTypeName(), bad)
	if d := wantError(t, diags, "OpenHEXA could not connect with these credentials", "verify"); !strings.Contains(d.Detail, "authentication failed") {
		t.Errorf("the error does not carry the server's message: %s", d.Detail)
	}
	if _, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "refused"); ok {
		t.Error("a connection whose check failed was created")
	}

	srv.ResetRequests()
	fault := openhexatest.Fault{Kind: openhexatest.Fault500, Times: -1}
	srv.InjectFault("TestConnection", fault)
	t.Cleanup(srv.ClearFaults)
	good["slug"] = "unverified"
	_, diags = h.tryCreate(kind.ResourceTypeName(), good)
	wantError(t, diags, "Cannot verify the credentials", "")
	if err := faultFired(srv, "TestConnection", fault); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount("CreateConnection"); n != 0 {
		t.Errorf("CreateConnection sent %d times after the check failed", n)
	}
}

// TestProtocolFunctions calls the provider's functions through the protocol: the
// slug a created connection then gets, and an argument error.
func TestProtocolFunctions(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	derived, ferr := h.callFunction("slug", "Malaria Warehouse (2024)")
	if ferr != nil {
		t.Fatal(ferr.Text)
	}
	inst := h.create("openhexa_custom_connection", config("Malaria Warehouse (2024)", "", "", nil))
	if got := inst.str(t, "slug"); got != derived {
		t.Errorf("provider::openhexa::slug gives %q, the server %q", derived, got)
	}
	url, ferr := h.callFunction("postgres_url", map[string]string{
		"host": "db.example.org", "port": "5432", "db_name": "malaria", "username": "reader", "password": "p@ss",
	})
	if ferr != nil || url != "postgresql://reader:p%40ss@db.example.org:5432/malaria" {
		t.Errorf("postgres_url = %v (%v)", url, ferr)
	}
	if _, ferr := h.callFunction("slug", "¿¡!"); ferr == nil {
		t.Error("no error for a name without a slug")
	}
}
