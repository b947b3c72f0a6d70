package connection_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/importid"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// importedConnection turns a stored connection into what the API answers an ADMIN.
func importedConnection(s openhexatest.StoredConnection) openhexa.Connection {
	c := openhexa.Connection{ID: s.ID, Slug: s.Slug, Type: openhexa.ConnectionType(s.Type)}
	for _, f := range s.Fields {
		v := f.Value
		c.Fields = append(c.Fields, openhexa.ConnectionField{Code: f.Code, Value: &v, Secret: f.Secret})
	}
	return c
}

// sdkUnreadable are the hostile cases whose typed SDK call fails: a built-in type with
// a code missing or an extra one.
var sdkUnreadable = map[string]bool{"s3-no-keys": true, "pg-sslmode": true, "pg-extra-secret": true, "pg-no-port": true}

// TestProtocolHostileImportPlansClean: every connection of the hostile set, imported
// into the configuration that matches it (secrets sensitive, or write-only), plans
// no change but the ones ImportNotes announces, with no error; applying that plan
// leaves OpenHEXA holding what it held (announced repairs aside), and the next plan
// is empty. A connection the typed SDK call cannot build is warned about.
func TestProtocolHostileImportPlansClean(t *testing.T) {
	for _, mode := range []string{"sensitive", "write-only"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			for _, hc := range srv.SeedHostile(openhexatest.WorkspaceMain, "") {
				kind := connection.KindByAPIType(openhexa.ConnectionType(hc.Connection.Type))
				writeOnly := mode == "write-only"
				id := openhexatest.WorkspaceMain + "/" + hc.Connection.Slug
				if writeOnly {
					id += importid.WriteOnlySuffix
				}
				inst := h.importID(kind.ResourceTypeName(), id)
				cfg := config("", "", "", matchingValues(kind, hc.Connection, writeOnly))
				c := h.plan(kind.ResourceTypeName(), inst, cfg)
				if hasError(c.Diagnostics) {
					t.Errorf("%s: the plan fails: %s", hc.Case, diagText(c.Diagnostics))
					continue
				}
				sdkWarned := findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "The OpenHEXA SDK cannot read this connection") != nil
				if want := sdkUnreadable[hc.Case]; sdkWarned != want {
					t.Errorf("%s: SDK warning given = %v, want %v: %s", hc.Case, sdkWarned, want, diagText(c.Diagnostics))
				}
				notes := connection.ImportNotes(importedConnection(hc.Connection))
				unchanged := h.decodeState(kind.ResourceTypeName(), c.resp.PlannedState).Equal(inst.State)
				if unchanged != (len(notes) == 0) {
					t.Errorf("%s: plan without change = %v, with the notes %q; warnings: %s", hc.Case, unchanged, notes, diagText(c.Diagnostics))
					continue
				}
				var repaired []string
				if !unchanged {
					if findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Secret flag to set") == nil {
						t.Errorf("%s: a repair planned without its warning: %s", hc.Case, diagText(c.Diagnostics))
					}
					repaired = []string{"password"}
				}
				before, _ := srv.Connection(hc.Connection.ID)
				next, diags := h.apply(c)
				if hasError(diags) {
					t.Errorf("%s: apply: %s", hc.Case, diagText(diags))
					continue
				}
				after, _ := srv.Connection(hc.Connection.ID)
				if diff := sameFields(before, after, repaired...); diff != "" {
					t.Errorf("%s: the apply changed what OpenHEXA holds: %s", hc.Case, diff)
				}
				for _, code := range repaired {
					for _, f := range after.Fields {
						if f.Code == code && !f.Secret {
							t.Errorf("%s: %s still without its secret flag", hc.Case, code)
						}
					}
				}
				h2 := newHarness(t, srv, openhexatest.TokenEditor)
				next = h2.read(next)
				if c := h2.plan(kind.ResourceTypeName(), next, cfg); !h2.decodeState(kind.ResourceTypeName(), c.resp.PlannedState).Equal(next.State) {
					t.Errorf("%s: the plan after the apply is not empty: %s", hc.Case, diagText(c.Diagnostics))
				}
			}
		})
	}
}

// TestProtocolLayoutKept: what OpenHEXA holds beyond the configuration is shown and
// kept. An extra field, a plain code flagged secret, a missing optional code: no
// write. A missing secret flag on a secret code: a write, announced. A change of a
// value sends the list with every extra field (value null, its own flag); a change of
// the name alone sends no field list.
func TestProtocolLayoutKept(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	kind := connection.KindByName("postgres")
	values := kindSamples[kind.Name].create
	cfg := config("Layout", "layout", "", values)
	inst := h.create(kind.ResourceTypeName(), cfg)
	id := inst.str(t, "id")
	srv.ModifyStored(id, func(c *openhexatest.StoredConnection) {
		for i := range c.Fields {
			if c.Fields[i].Code == "username" {
				c.Fields[i].Secret = true
			}
		}
		c.Fields = append(c.Fields, openhexatest.Field{Code: "sslmode", Value: "require"},
			openhexatest.Field{Code: "sslkey", Value: "key", Secret: true})
	})
	inst = h.read(inst)
	wantState(t, inst, map[string]any{"extra_fields": map[string]string{"sslmode": "require"}, "extra_secret_fields": []string{"sslkey"}})
	if plansWrite(t, h.plan(kind.ResourceTypeName(), inst, cfg)) {
		t.Fatal("extra fields and a plain code flagged secret plan a write")
	}

	// A value changes: the list goes with the extra fields kept, flags as held.
	changed := config("Layout", "layout", "", values)
	changed["db_name"] = "other_db"
	before, _ := srv.Connection(id)
	inst = h.update(inst, changed)
	after, _ := srv.Connection(id)
	before.Fields[2].Value = "other_db"
	if diff := sameFields(before, after); diff != "" {
		t.Errorf("a change of db_name: %s", diff)
	}

	// The name alone changes: no field list goes out.
	renamed := config("Layout renamed", "layout", "", values)
	renamed["db_name"] = "other_db"
	n := len(srv.Requests())
	inst = h.update(inst, renamed)
	for _, r := range srv.Requests()[n:] {
		if r.OperationName == "UpdateConnection" {
			if input, _ := r.Variables["input"].(map[string]any); input == nil || input["fields"] != nil {
				t.Errorf("a rename sent the field list: %v", r.Variables)
			}
		}
	}

	// The password loses its flag in OpenHEXA: a write, announced, that sets it.
	srv.ModifyStored(id, func(c *openhexatest.StoredConnection) {
		for i := range c.Fields {
			if c.Fields[i].Code == "password" {
				c.Fields[i].Secret = false
			}
		}
	})
	inst = h.read(inst)
	c := h.plan(kind.ResourceTypeName(), inst, renamed)
	if !plansWrite(t, c) || findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Secret flag to set") == nil {
		t.Fatalf("an unflagged password plans no announced write: %s", diagText(c.Diagnostics))
	}
	before, _ = srv.Connection(id)
	if _, diags := h.apply(c); hasError(diags) {
		t.Fatal(diagText(diags))
	}
	after, _ = srv.Connection(id)
	if diff := sameFields(before, after, "password"); diff != "" {
		t.Errorf("the repair: %s", diff)
	}

	// A field removed out of band and configured shows as a change of that attribute.
	srv.ModifyStored(id, func(c *openhexatest.StoredConnection) { c.Fields = c.Fields[1:] })
	inst = h.read(inst)
	if got := inst.get(t, "host"); got != nil {
		t.Errorf("host missing in OpenHEXA reads as %#v", got)
	}
	h.update(inst, renamed)
	if got, _ := srv.Connection(id); len(got.Fields) != 7 {
		t.Errorf("after configuring host again, OpenHEXA holds %+v", got.Fields)
	}
}

// TestProtocolMissingCodesStayMissing: an imported S3 connection without keys and a
// PostgreSQL one without port plan nothing when the configuration leaves them out,
// and a change of another value does not add them.
func TestProtocolMissingCodesStayMissing(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	for _, hc := range srv.SeedHostile(openhexatest.WorkspaceMain, "") {
		if hc.Case != "s3-no-keys" && hc.Case != "pg-no-port" {
			continue
		}
		kind := connection.KindByAPIType(openhexa.ConnectionType(hc.Connection.Type))
		inst := h.importID(kind.ResourceTypeName(), hc.Connection.ID)
		values := matchingValues(kind, hc.Connection, false)
		values["description"] = "changed"
		if kind.Name == "s3" {
			values["bucket_name"] = "other-bucket"
		} else {
			values["host"] = "other.example"
		}
		inst = h.update(inst, config("", "", "", values))
		after, _ := srv.Connection(hc.Connection.ID)
		if len(after.Fields) != len(hc.Connection.Fields) {
			t.Errorf("%s: a change added fields: %+v", hc.Case, after.Fields)
		}
		if kind.Name == "postgres" {
			if got := inst.get(t, "port"); got != nil {
				t.Errorf("port is %#v, want null", got)
			}
		}
	}
	// An optional secret left out keeps what OpenHEXA holds, through an update too.
	for _, hc := range openhexatest.HostileConnections(openhexatest.WorkspaceMain, "again-") {
		if hc.Case != "s3-ordinary" {
			continue
		}
		stored := srv.CreateStored(hc.Connection)
		inst := h.importID("openhexa_s3_connection", stored.ID)
		values := matchingValues(connection.KindByName("s3"), stored, false)
		delete(values, "access_key_secret")
		if c := h.plan("openhexa_s3_connection", inst, config("", "", "", values)); plansWrite(t, c) {
			t.Errorf("an optional secret left out plans a write: %s", diagText(c.Diagnostics))
		}
		values["description"] = "changed"
		h.update(inst, config("", "", "", values))
		if diff := sameFields(stored, mustStored(t, srv, stored.ID)); diff != "name, slug or description changed" {
			t.Errorf("an update with the secret left out: %s", diff)
		}
	}

	// A create still sends every code, with the defaults.
	inst := h.create("openhexa_s3_connection", config("Public", "public-new", "", sample{"bucket_name": "open-data"}))
	if got, _ := srv.Connection(inst.str(t, "id")); len(got.Fields) != 3 {
		t.Errorf("a create of S3 without keys sent %+v", got.Fields)
	}
}

// TestProtocolRefusedCodes: a field code OpenHEXA refuses is only a warning when
// validating; the plan refuses it where it would be sent (a create, an update that
// sends the field list) and lets a connection that holds it keep it otherwise.
func TestProtocolRefusedCodes(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	bad := sample{"fields": map[string]string{"api.version": "3", "region": "eu"}}
	if d := h.validate("openhexa_custom_connection", config("Bad", "bad", "", bad)); hasError(d) ||
		findDiag(d, tfprotov6.DiagnosticSeverityWarning, "Field code refused by OpenHEXA") == nil {
		t.Errorf("validation: %s", diagText(d))
	}
	c := h.plan("openhexa_custom_connection", nil, config("Bad", "bad", "", bad))
	wantError(t, c.Diagnostics, "Field code refused by OpenHEXA", `fields["api.version"]`)

	var held openhexatest.StoredConnection
	for _, hc := range srv.SeedHostile(openhexatest.WorkspaceMain, "") {
		if hc.Case == "custom-refused-code" {
			held = hc.Connection
		}
	}
	inst := h.importID("openhexa_custom_connection", held.ID)
	values := matchingValues(connection.KindByName("custom"), held, false)
	renamed := config("Renamed", "", "", values)
	inst = h.update(inst, renamed) // no field list: OpenHEXA accepts it
	changed := config("Renamed", "", "", sample{"fields": map[string]string{"api.version": "3", "region": "us"},
		"secret_fields": map[string]string{"token": "refused-neighbour"}})
	c = h.plan("openhexa_custom_connection", inst, changed)
	wantError(t, c.Diagnostics, "Field code refused by OpenHEXA", `fields["api.version"]`)

	// The same on a built-in type, for an extra field.
	pg := h.create("openhexa_postgres_connection", config("PG", "pg", "", kindSamples["postgres"].create))
	srv.ModifyStored(pg.str(t, "id"), func(c *openhexatest.StoredConnection) {
		c.Fields = append(c.Fields, openhexatest.Field{Code: "ssl mode", Value: "require"})
	})
	pg = h.read(pg)
	values = config("PG", "pg", "", kindSamples["postgres"].update)
	c = h.plan("openhexa_postgres_connection", pg, values)
	wantError(t, c.Diagnostics, "Field code refused by OpenHEXA", "extra_fields")
}

// TestProtocolValuesOpenHEXAAcceptsWarn: values OpenHEXA stores but a client trips
// on are warnings, never errors.
func TestProtocolValuesOpenHEXAAcceptsWarn(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	for typeName, values := range map[string]sample{
		"openhexa_postgres_connection": {"host": "", "port": "", "db_name": " ", "username": "u", "password": ""},
		"openhexa_gcs_connection":      {"bucket_name": "b", "service_account_key": "not a key"},
		"openhexa_s3_connection":       {"bucket_name": "Team_Bucket"},
		"openhexa_dhis2_connection":    {"url": "dhis2.example/api", "username": "u", "password": "p"},
		"openhexa_iaso_connection":     {"url": "iaso", "username": "u", "password": "p"},
	} {
		d := h.validate(typeName, config("Warned", "", "", values))
		if hasError(d) {
			t.Errorf("%s: errors: %s", typeName, diagText(d))
		}
		if findDiag(d, tfprotov6.DiagnosticSeverityWarning, "") == nil && !strings.Contains(diagText(d), "Questionable value") {
			t.Errorf("%s: no warning: %s", typeName, diagText(d))
		}
	}
}

// TestProtocolStateUpgradeFromV0: a state of schema version 0 (port a number, no
// extra-field attributes) upgrades to version 1, port as its string.
func TestProtocolStateUpgradeFromV0(t *testing.T) {
	h := newUnconfiguredHarness(t)
	for name, tc := range map[string]struct {
		typeName, raw string
		want          map[string]any
	}{
		"postgres": {"openhexa_postgres_connection",
			`{"id":"x","workspace":"w","name":"n","slug":"s","description":"","updated_at":"t","host":"h","port":6543,` +
				`"db_name":"d","username":"u","password":"p","password_wo":null,"password_wo_version":null,"verify":null}`,
			map[string]any{"port": "6543", "host": "h", "password": "p", "extra_fields": nil, "extra_secret_fields": nil}},
		"postgres null port": {"openhexa_postgres_connection",
			`{"id":"x","workspace":"w","name":"n","slug":"s","description":"","updated_at":"t","host":"h","port":null,` +
				`"db_name":"d","username":"u","password":"p","password_wo":null,"password_wo_version":null,"verify":null}`,
			map[string]any{"port": nil}},
		"custom": {"openhexa_custom_connection",
			`{"id":"x","workspace":"w","name":"n","slug":"s","description":"","updated_at":"t","fields":{"a":"b"},` +
				`"secret_fields":null,"secret_fields_wo":null,"secret_fields_wo_version":null}`,
			map[string]any{"fields": map[string]string{"a": "b"}}},
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := h.server.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
				TypeName: tc.typeName, Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(tc.raw)},
			})
			if err != nil || hasError(resp.Diagnostics) {
				t.Fatalf("UpgradeResourceState: %v %s", err, diagText(resp.Diagnostics))
			}
			inst := &instance{TypeName: tc.typeName, State: h.decodeState(tc.typeName, resp.UpgradedState)}
			wantState(t, inst, tc.want)
		})
	}
	if v := h.resourceSchema("openhexa_postgres_connection").Version; v != 1 {
		t.Errorf("schema version %d, want 1", v)
	}
}

func mustStored(t *testing.T, srv *openhexatest.Server, id string) openhexatest.StoredConnection {
	t.Helper()
	c, ok := srv.Connection(id)
	if !ok {
		t.Fatalf("connection %s is gone", id)
	}
	return c
}

// TestProtocolUpdateWithoutKnownLayout: a state whose private data has no field layout
// (written before the provider kept it, planned without refresh) still keeps the extra
// fields: the update reads the layout first.
func TestProtocolUpdateWithoutKnownLayout(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	cfg := config("No layout", "no-layout", "", kindSamples["postgres"].create)
	inst := h.create("openhexa_postgres_connection", cfg)
	id := inst.str(t, "id")
	srv.ModifyStored(id, func(c *openhexatest.StoredConnection) {
		c.Fields = append(c.Fields, openhexatest.Field{Code: "sslmode", Value: "require"})
	})
	inst.Private = withoutServerLayout(t, inst)
	changed := config("No layout", "no-layout", "", kindSamples["postgres"].update)
	before := mustStored(t, srv, id)
	inst = h.update(inst, changed)
	after := mustStored(t, srv, id)
	var kept bool
	for _, f := range after.Fields {
		kept = kept || (f.Code == "sslmode" && f.Value == "require")
	}
	if !kept || len(after.Fields) != len(before.Fields) {
		t.Errorf("an update without a known layout: OpenHEXA holds %d fields, sslmode kept %v", len(after.Fields), kept)
	}
	// The apply keeps what its plan said; the next refresh shows the extra field.
	if got := newHarness(t, srv, openhexatest.TokenEditor).read(inst).get(t, "extra_fields"); !reflect.DeepEqual(got, map[string]string{"sslmode": "require"}) {
		t.Errorf("extra_fields after a refresh: %#v", got)
	}
}

// withoutServerLayout is the instance's private state without the field layout.
func withoutServerLayout(t *testing.T, inst *instance) []byte {
	t.Helper()
	p := privateOf(t, inst)
	delete(p, "server")
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := json.Marshal(map[string][]byte{"connection": raw})
	if err != nil {
		t.Fatal(err)
	}
	return outer
}

// TestProtocolUpgradedStateShowsExtras: after the upgrade from version 0 (no
// extra-field attributes), the first refresh shows the extra fields OpenHEXA holds,
// though the connection has not changed since its fields were last read.
func TestProtocolUpgradedStateShowsExtras(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	inst := h.create("openhexa_postgres_connection", config("Upgraded", "upgraded", "", kindSamples["postgres"].create))
	srv.ModifyStored(inst.str(t, "id"), func(c *openhexatest.StoredConnection) {
		c.Fields = append(c.Fields, openhexatest.Field{Code: "sslmode", Value: "require"})
	})
	inst = newHarness(t, srv, openhexatest.TokenEditor).read(inst)
	// What the upgrader leaves: the same state with the new attributes null.
	attrs := inst.attrs(t)
	attrs["extra_fields"] = tftypes.NewValue(attrs["extra_fields"].Type(), nil)
	inst.State = tftypes.NewValue(inst.State.Type(), attrs)
	inst = newHarness(t, srv, openhexatest.TokenEditor).read(inst)
	if got := inst.get(t, "extra_fields"); !reflect.DeepEqual(got, map[string]string{"sslmode": "require"}) {
		t.Errorf("extra_fields after the first refresh: %#v", got)
	}
}
