package connection_test

// What the OpenHEXA SDK cannot read, said at plan (on the attribute), by the data
// sources and by the exporter (internal/export): through the protocol here; through
// both CLIs in sdk_read_cli_test.go; against the SDK itself in sdk_real_test.go.

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

var customKind = connection.KindByName("custom")

// customStored is a custom connection with one field, for the store.
func customStored(slug string) openhexatest.StoredConnection {
	return openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "Stored " + slug, Slug: slug,
		Type: openhexatest.TypeCustom, Fields: []openhexatest.Field{{Code: "base_url", Value: "https://x.example.org"}}}
}

// sdkWarnings returns the warnings of diags whose summary is about the SDK.
func sdkWarnings(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && strings.Contains(d.Summary, "OpenHEXA SDK") {
			out = append(out, d)
		}
	}
	return out
}

// wantSDKWarning fails unless diags hold exactly one SDK warning with this summary,
// on attribute at ("" for none), whose detail holds every part.
func wantSDKWarning(t *testing.T, what string, diags []*tfprotov6.Diagnostic, summary, at string, parts ...string) {
	t.Helper()
	w := findDiag(diags, tfprotov6.DiagnosticSeverityWarning, summary)
	if w == nil {
		t.Errorf("%s: no warning %q: %s", what, summary, diagText(diags))
		return
	}
	if got := attrPath(w.Attribute); got != at {
		t.Errorf("%s: the warning is on %q, want %q", what, got, at)
	}
	for _, p := range append(parts, "openhexa-sdk 2.22.7") {
		if !strings.Contains(w.Detail, p) {
			t.Errorf("%s: the warning lacks %q:\n%s", what, p, w.Detail)
		}
	}
}

// TestProtocolSDKSlugWarnings: a plan warns on `slug` (or on `name`, for a derived
// slug) when the SDK cannot find the connection by it: capitals, with the lower-case
// spelling to use; another connection of the workspace whose slug differs only by
// case, or by '-' and '_', from the listing the plan reads anyway. An unchanged slug
// is checked against the refresh's listing only: a plan without refresh sends nothing.
func TestProtocolSDKSlugWarnings(t *testing.T) {
	srv := openhexatest.Start(t)
	typeName := customKind.ResourceTypeName()
	values := kindSamples["custom"].create
	srv.CreateStored(customStored("db"))
	srv.CreateStored(customStored("my-db"))
	srv.CreateStored(customStored("Reports"))

	h := newHarness(t, srv, openhexatest.TokenEditor)
	c := h.plan(typeName, nil, config("Upper", "SDK-Upper", "", values))
	wantSDKWarning(t, "capitals", c.Diagnostics, "Slug the OpenHEXA SDK cannot find", "slug",
		`workspace.custom_connection("SDK-Upper")`, `ConnectionDoesNotExist (No Custom connection for "SDK-Upper")`,
		`the lower-case slug "sdk-upper"`, "SDK_UPPER_*", "passes on a laptop fails in OpenHEXA")
	if n := len(sdkWarnings(c.Diagnostics)); n != 1 {
		t.Errorf("capitals: %d SDK warnings: %s", n, diagText(c.Diagnostics))
	}

	c = h.plan(typeName, nil, config("Twin", "DB", "", values))
	wantSDKWarning(t, "a case twin", c.Diagnostics, "Slug the OpenHEXA SDK confuses with another", "slug",
		`slug "db"`, "`workspace.custom_connection(\"DB\")` finds the connection \"db\", whichever spelling code passes",
		"both give the variables DB_*")
	if n := len(sdkWarnings(c.Diagnostics)); n != 1 {
		t.Errorf("a case twin: %d SDK warnings (the lower-case one exists: the SDK finds it, so no 'cannot find'): %s",
			n, diagText(c.Diagnostics))
	}

	c = h.plan(typeName, nil, config("Underscore", "my_db", "", values))
	wantSDKWarning(t, "a '-' twin", c.Diagnostics, "Slug the OpenHEXA SDK confuses with another", "slug",
		`slug "my-db"`, "in local runs", "(through the API their slugs stay distinct)", "both give the variables MY_DB_*")

	c = h.plan(typeName, nil, config("reports", "", "", values))
	wantSDKWarning(t, "a derived twin", c.Diagnostics, "Slug the OpenHEXA SDK confuses with another", "name",
		`slug "Reports"`, `finds the connection "reports"`)

	if c := h.plan(typeName, nil, config("Fine", "fine-slug", "", values)); len(sdkWarnings(c.Diagnostics)) != 0 {
		t.Errorf("a readable slug warns: %s", diagText(c.Diagnostics))
	}

	// An existing connection that gets a case twin in the web app.
	inst := h.create(typeName, config("Alpha", "alpha", "", values))
	srv.CreateStored(customStored("ALPHA"))
	next := newHarness(t, srv, openhexatest.TokenEditor)
	srv.ResetRequests()
	c = next.plan(typeName, inst, config("Alpha", "alpha", "", values))
	if len(sdkWarnings(c.Diagnostics)) != 0 || srv.TotalRequests() != 0 {
		t.Errorf("a plan without refresh: %d requests, warnings %s", srv.TotalRequests(), diagText(c.Diagnostics))
	}
	refreshed := next.read(inst)
	c = next.plan(typeName, refreshed, config("Alpha", "alpha", "", values))
	wantSDKWarning(t, "a twin made in the web app", c.Diagnostics, "Slug the OpenHEXA SDK confuses with another", "slug",
		`slug "ALPHA"`, `finds the connection "alpha"`)
}

// TestProtocolSDKDataSourceWarnings: openhexa_connection warns about what the SDK
// cannot read of the connection it reads (slug, field codes, a built-in type's
// fields); openhexa_connections gives one warning at most, with a count and the first
// three slugs.
func TestProtocolSDKDataSourceWarnings(t *testing.T) {
	srv := openhexatest.Start(t)
	upper := customStored("SDK-Upper")
	upper.Fields = append(upper.Fields, openhexatest.Field{Code: "identifier", Value: "x"})
	srv.CreateStored(upper)
	srv.CreateStored(customStored("db"))
	srv.CreateStored(customStored("DB"))
	srv.CreateStored(customStored("Up-A"))
	srv.CreateStored(customStored("Up-B"))
	srv.CreateStored(customStored("fine"))
	pg := storedFromSample(connection.KindByName("postgres"), "pg-extra", kindSamples["postgres"].create)
	pg.Fields = append(pg.Fields, openhexatest.Field{Code: "sslmode", Value: "require"})
	srv.CreateStored(pg)
	h := newHarness(t, srv, openhexatest.TokenViewer)

	_, diags := h.readDataSource("openhexa_connection", map[string]any{"slug": "SDK-Upper"})
	wantSDKWarning(t, "capitals", diags, "Slug the OpenHEXA SDK cannot find", "", `Connection "SDK-Upper"`, `"sdk-upper"`)
	wantSDKWarning(t, "identifier", diags, "Field code the OpenHEXA SDK reserves", "", `Field "identifier"`,
		"non-default argument '<the next field>' follows default argument")
	_, diags = h.readDataSource("openhexa_connection", map[string]any{"slug": "DB"})
	wantSDKWarning(t, "a case twin", diags, "Slug the OpenHEXA SDK confuses with another", "", `finds the connection "db"`)
	_, diags = h.readDataSource("openhexa_connection", map[string]any{"slug": "pg-extra"})
	wantSDKWarning(t, "an extra field", diags, "The OpenHEXA SDK cannot read this connection", "", "`sslmode`",
		"`workspace.postgresql_connection(...)` raises")
	if _, diags := h.readDataSource("openhexa_connection", map[string]any{"slug": "fine"}); len(diags) != 0 {
		t.Errorf("a readable connection warns: %s", diagText(diags))
	}

	_, diags = h.readDataSource("openhexa_connections", map[string]any{})
	if len(diags) != 1 {
		t.Fatalf("openhexa_connections: %d diagnostics, want one warning: %s", len(diags), diagText(diags))
	}
	wantSDKWarning(t, "the listing", diags, "Connections the OpenHEXA SDK cannot find by their slug", "",
		`5 connections of workspace "`+openhexatest.WorkspaceMain+`" have a slug`, `"DB" (like "db")`, ", and 2 more.")
	if _, diags := h.readDataSource("openhexa_connections", map[string]any{"type": "postgres"}); len(diags) != 0 {
		t.Errorf("the PostgreSQL connections warn: %s", diagText(diags))
	}
}

// TestSDKNotes: the exporter's notes name every problem of a connection, and none
// for one the SDK reads.
func TestSDKNotes(t *testing.T) {
	upper := openhexa.Connection{ID: "1", Slug: "Api", Type: openhexa.TypeCustom, Fields: []openhexa.ConnectionField{
		{Code: "identifier"}, {Code: "apiKey"}, {Code: "url"}}}
	lower := openhexa.Connection{ID: "2", Slug: "api", Type: openhexa.TypeCustom}
	fine := openhexa.Connection{ID: "3", Slug: "fine", Type: openhexa.TypeCustom, Fields: []openhexa.ConnectionField{{Code: "url"}}}
	notes := connection.SDKNotes([]openhexa.Connection{upper, lower, fine})
	text := strings.Join(notes["1"], "\n")
	if len(notes["1"]) != 3 || !strings.Contains(text, "Slug the OpenHEXA SDK confuses with another") ||
		!strings.Contains(text, `Field "identifier"`) || !strings.Contains(text, `Field "apiKey"`) {
		t.Errorf("notes:\n%s", text)
	}
	if len(notes["2"]) != 1 || len(notes) != 2 {
		t.Errorf("notes: %q", notes)
	}
}
