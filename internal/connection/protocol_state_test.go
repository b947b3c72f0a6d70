package connection_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestProtocolReadDrift: a connection changed behind the provider's back (name,
// description, every field, secrets included) is read as the server holds it, and the
// next plan and apply bring it back to the configuration.
func TestProtocolReadDrift(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			samples := kindSamples[kind.Name]
			cfg := config("Drift", "drift", "as configured", samples.create)
			inst := h.create(kind.ResourceTypeName(), cfg)

			changed := storedFromSample(kind, "drift", samples.update)
			srv.ModifyStored(inst.str(t, "id"), func(c *openhexatest.StoredConnection) {
				c.Name, c.Description, c.Fields = "Changed by hand", "edited in the web app", changed.Fields
			})
			drifted := h.read(inst)
			wantState(t, drifted, map[string]any{"name": "Changed by hand", "description": "edited in the web app", "slug": "drift"})
			wantState(t, drifted, samples.update)
			if drifted.str(t, "updated_at") == inst.str(t, "updated_at") {
				t.Error("updated_at did not follow the server")
			}

			c := h.plan(kind.ResourceTypeName(), drifted, cfg)
			if !plansWrite(t, c) {
				t.Fatal("drift plans no write")
			}
			if _, diags := h.apply(c); hasError(diags) {
				t.Fatal(diagText(diags))
			}
			if err := serverHolds(srv, kind, "Drift", "drift", samples.create)(nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestProtocolImport imports an existing connection of every kind by
// `<workspace>/<slug>`, by UUID and by identity: state holds the server's values,
// identity is set, and the configuration then plans nothing.
func TestProtocolImport(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			values := kindSamples[kind.Name].create
			existing := srv.CreateStored(storedFromSample(kind, "existing", values))
			typeName := kind.ResourceTypeName()
			forms := map[string]func() (*instance, []*tfprotov6.Diagnostic){
				"workspace/slug": func() (*instance, []*tfprotov6.Diagnostic) {
					return h.tryImport(typeName, openhexatest.WorkspaceMain+"/existing", nil)
				},
				"uuid": func() (*instance, []*tfprotov6.Diagnostic) {
					return h.tryImport(typeName, strings.ToUpper(existing.ID), nil)
				},
				"identity": func() (*instance, []*tfprotov6.Diagnostic) {
					return h.tryImport(typeName, "", map[string]any{"workspace": openhexatest.WorkspaceMain, "id": existing.ID})
				},
			}
			for form, importIt := range forms {
				t.Run(form, func(t *testing.T) {
					inst, diags := importIt()
					if hasError(diags) || len(diags) > 0 {
						t.Fatalf("import: %s", diagText(diags))
					}
					wantState(t, inst, map[string]any{"id": existing.ID, "workspace": openhexatest.WorkspaceMain,
						"name": "Existing", "slug": "existing", "description": ""})
					wantState(t, inst, values)
					if got := h.identityAttrs(inst); got["id"] != existing.ID || got["workspace"] != openhexatest.WorkspaceMain {
						t.Errorf("identity %v", got)
					}
					c := h.plan(typeName, inst, config("Existing", "existing", "", values))
					if plansWrite(t, c) || len(c.requiresReplace()) > 0 {
						t.Errorf("the configuration of the imported connection plans a change")
					}
				})
			}
		})
	}
}

// TestProtocolImportRefusals: the import errors say what is wrong and what to do.
func TestProtocolImportRefusals(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	dhis2 := srv.CreateStored(storedFromSample(connection.KindByName("dhis2"), "national-dhis2", kindSamples["dhis2"].create))
	postgres := "openhexa_postgres_connection"

	t.Run("another type", func(t *testing.T) {
		for _, id := range []string{openhexatest.WorkspaceMain + "/national-dhis2", dhis2.ID} {
			_, diags := h.tryImport(postgres, id, nil)
			d := wantError(t, diags, "Connection of another type", "")
			if !strings.Contains(d.Detail, "openhexa_dhis2_connection") {
				t.Errorf("the error does not name the right resource: %s", d.Detail)
			}
		}
	})
	t.Run("malformed id", func(t *testing.T) {
		_, diags := h.tryImport(postgres, "a/b/c", nil)
		if d := wantError(t, diags, "Invalid import ID", ""); !strings.Contains(d.Detail, "<workspace>/<slug>") {
			t.Errorf("the error does not show the accepted forms: %s", d.Detail)
		}
	})
	t.Run("not found", func(t *testing.T) {
		_, diags := h.tryImport(postgres, openhexatest.WorkspaceMain+"/nothing-here", nil)
		wantError(t, diags, "Connection not found", "")
		_, diags = h.tryImport(postgres, "0b0f6d2e-8e0b-4a57-9f43-1d2f3c4b5a69", nil)
		wantError(t, diags, "Connection not found", "")
	})
	t.Run("no workspace anywhere", func(t *testing.T) {
		bare := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor})
		_, diags := bare.tryImport(postgres, dhis2.ID, nil)
		wantError(t, diags, "Missing workspace for import", "")
	})
	t.Run("workspace the token cannot see", func(t *testing.T) {
		_, diags := h.tryImport("openhexa_dhis2_connection", openhexatest.WorkspaceOther+"/national-dhis2", nil)
		d := wantError(t, diags, "Cannot import openhexa_dhis2_connection", "")
		if !strings.Contains(d.Detail, `"`+openhexatest.WorkspaceOther+`" does not exist or is not visible to`) {
			t.Errorf("the error does not say the workspace is not visible: %s", d.Detail)
		}
	})
}

// TestProtocolFieldMapping pins how server fields map to attributes: secrets a token
// may not read keep their state value, an optional secret left out stays null, ports
// are numbers, and a map left out stays null.
func TestProtocolFieldMapping(t *testing.T) {
	srv := openhexatest.Start(t)
	editor := newHarness(t, srv, openhexatest.TokenEditor)

	t.Run("secrets a viewer cannot read keep their state value", func(t *testing.T) {
		for _, kind := range kindsWithSecrets() {
			values := kindSamples[kind.Name].create
			inst := editor.create(kind.ResourceTypeName(), config("Viewed "+kind.Name, "viewed-"+kind.Name, "", values))
			viewer := newHarness(t, srv, openhexatest.TokenViewer) // a later run, by a viewer
			read := viewer.read(inst)
			wantState(t, read, values)
			if c := viewer.plan(kind.ResourceTypeName(), read, config("Viewed "+kind.Name, "viewed-"+kind.Name, "", values)); plansWrite(t, c) {
				t.Errorf("%s: a viewer's refresh plans a write", kind.Name)
			}
		}
	})
	t.Run("optional secret left out", func(t *testing.T) {
		inst := editor.create("openhexa_s3_connection", config("Public bucket", "public", "", sample{"bucket_name": "open-data"}))
		wantState(t, inst, map[string]any{"access_key_id": "", "access_key_secret": nil})
		stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "public")
		for _, f := range stored.Fields {
			if f.Code == "access_key_secret" && (f.Value != "" || !f.Secret) {
				t.Errorf("access_key_secret on the server: %q secret=%v, want \"\" and secret", f.Value, f.Secret)
			}
		}
		if got := editor.read(inst); !got.State.Equal(inst.State) {
			t.Errorf("refresh changed state: %v", got.State)
		}
	})
	t.Run("port", func(t *testing.T) {
		inst := editor.create("openhexa_postgres_connection", config("Port", "port", "", kindSamples["postgres"].create))
		// The port holds what OpenHEXA holds, number or not.
		for value, want := range map[string]any{" 6543 ": " 6543 ", "not a port": "not a port", "": ""} {
			srv.ModifyStored(inst.str(t, "id"), func(c *openhexatest.StoredConnection) {
				for i := range c.Fields {
					if c.Fields[i].Code == "port" {
						c.Fields[i].Value = value
					}
				}
			})
			if got := editor.read(inst).get(t, "port"); got != want {
				t.Errorf("port %q read as %#v, want %#v", value, got, want)
			}
		}
	})
	t.Run("custom maps left out stay null", func(t *testing.T) {
		inst := editor.create("openhexa_custom_connection", config("Only secrets", "only-secrets", "",
			sample{"secret_fields": map[string]string{"token": "t-1"}}))
		wantState(t, inst, map[string]any{"fields": nil, "secret_fields": map[string]string{"token": "t-1"}})
		inst = editor.create("openhexa_custom_connection", config("Only fields", "only-fields", "",
			sample{"fields": map[string]string{"region": "north"}}))
		wantState(t, inst, map[string]any{"fields": map[string]string{"region": "north"}, "secret_fields": nil})
	})
}

// TestProtocolPrivateState: private state holds a salted hash per write-only value
// (never the value), the server's field layout, and forgets the hash of a secret
// that is no longer write-only; unreadable private data is only a cache.
func TestProtocolPrivateState(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	kind := connection.KindByName("postgres")
	values := kindSamples[kind.Name].create
	inst := h.create(kind.ResourceTypeName(), config("Private", "private", "", writeOnly(kind, values, 0)))

	p := privateOf(t, inst)
	hashes, _ := p["hashes"].(map[string]any)
	if salt, _ := p["salt"].(string); salt == "" || len(hashes) != 1 || hashes["password"] == nil {
		t.Fatalf("private state %v: want a salt and the hash of password", p)
	}
	if password, _ := values["password"].(string); password == "" || strings.Contains(string(inst.Private), password) {
		t.Fatal("private state holds the write-only value")
	}
	server, _ := p["server"].(map[string]any)
	if len(server) != len(kind.Fields) || server["password"] != true || server["host"] != false {
		t.Errorf("server layout %v", server)
	}

	// Another provider run reads the same hash: private state round-trips.
	again := newHarness(t, srv, openhexatest.TokenEditor)
	read := again.read(inst)
	if got := privateOf(t, read)["hashes"]; !jsonEqual(got, p["hashes"]) {
		t.Errorf("hashes after a read %v, want %v", got, p["hashes"])
	}

	// Back to a plain secret: the hash is forgotten.
	plain := h.update(read, config("Private", "private", "", values))
	if got := privateOf(t, plain)["hashes"]; got != nil {
		t.Errorf("hashes %v kept after the secret left write-only", got)
	}
	wantState(t, plain, map[string]any{"password": values["password"]})

	// Private data the provider cannot decode is dropped, not an error.
	garbled, _ := json.Marshal(map[string][]byte{"connection": []byte(`"not an object"`)})
	plain.Private = garbled
	if _, diags := h.tryRead(plain); hasError(diags) {
		t.Errorf("unreadable private state fails the read: %s", diagText(diags))
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
