package connection_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// plansWrite reports whether the plan writes the connection: updated_at is unknown.
func plansWrite(t *testing.T, c *change) bool {
	t.Helper()
	if hasError(c.Diagnostics) {
		t.Fatalf("plan failed: %s", diagText(c.Diagnostics))
	}
	return !c.planned(t)["updated_at"].IsKnown()
}

// TestProtocolPlanWorkspace: the workspace comes from the provider when the resource
// leaves it out, and a change of it, from either side, replaces the connection.
func TestProtocolPlanWorkspace(t *testing.T) {
	srv := openhexatest.Start(t)
	kind := connection.KindByName("postgres")
	typeName := kind.ResourceTypeName()
	values := kindSamples[kind.Name].create
	h := newHarness(t, srv, openhexatest.TokenAdmin)
	inst := h.create(typeName, config("Placed", "placed", "", values))

	t.Run("from the provider on create", func(t *testing.T) {
		c := h.plan(typeName, nil, config("New", "new", "", values))
		if got := goValue(t, c.planned(t)["workspace"]); got != openhexatest.WorkspaceMain {
			t.Errorf("planned workspace %v, want the provider's %s", got, openhexatest.WorkspaceMain)
		}
	})
	t.Run("configured as the prior one", func(t *testing.T) {
		cfg := config("Placed", "placed", "", values)
		cfg["workspace"] = openhexatest.WorkspaceMain
		if c := h.plan(typeName, inst, cfg); len(c.requiresReplace()) != 0 || plansWrite(t, c) {
			t.Errorf("no change planned as a change: replace %v", c.requiresReplace())
		}
	})
	t.Run("configured elsewhere", func(t *testing.T) {
		cfg := config("Placed", "placed", "", values)
		cfg["workspace"] = openhexatest.WorkspaceOther
		c := h.plan(typeName, inst, cfg)
		if got := c.requiresReplace(); !reflect.DeepEqual(got, []string{"workspace"}) {
			t.Errorf("requires replace %v, want [workspace]", got)
		}
	})
	t.Run("provider default changed", func(t *testing.T) {
		other := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenAdmin, "workspace": openhexatest.WorkspaceOther})
		c := other.plan(typeName, inst, config("Placed", "placed", "", values))
		if got := goValue(t, c.planned(t)["workspace"]); got != openhexatest.WorkspaceOther {
			t.Errorf("planned workspace %v, want %s", got, openhexatest.WorkspaceOther)
		}
		if got := c.requiresReplace(); !reflect.DeepEqual(got, []string{"workspace"}) {
			t.Errorf("requires replace %v, want [workspace]", got)
		}
	})
	t.Run("none anywhere", func(t *testing.T) {
		bare := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenAdmin})
		c := bare.plan(typeName, nil, config("New", "new", "", values))
		wantError(t, c.Diagnostics, "Missing workspace", "workspace")
	})
	t.Run("provider not configured yet", func(t *testing.T) {
		// What the CLI plans with when the provider block has values known only at apply.
		c := newUnconfiguredHarness(t).plan(typeName, nil, config("New", "new", "", values))
		if hasError(c.Diagnostics) || c.planned(t)["workspace"].IsKnown() {
			t.Errorf("planned workspace %v (%s), want unknown", c.planned(t)["workspace"], diagText(c.Diagnostics))
		}
		if c := newUnconfiguredHarness(t).plan(typeName, inst, config("Placed", "placed", "", values)); len(c.requiresReplace()) != 0 {
			t.Errorf("an unconfigured provider plans a replacement: %v", c.requiresReplace())
		}
	})
}

// TestProtocolPlanUnderivableSlug: a name OpenHEXA derives no slug from is refused at
// plan time unless a slug is set.
func TestProtocolPlanUnderivableSlug(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	typeName := "openhexa_custom_connection"
	wantError(t, h.plan(typeName, nil, config("¿¡!", "", "", nil)).Diagnostics, "No slug can be derived from this name", "name")
	if c := h.plan(typeName, nil, config("¿¡!", "punctuation", "", nil)); hasError(c.Diagnostics) {
		t.Errorf("refused with an explicit slug: %s", diagText(c.Diagnostics))
	}
	inst := h.create(typeName, config("Named", "", "", nil))
	if got := inst.str(t, "slug"); got != "named" {
		t.Errorf("derived slug %q, want named", got)
	}
}

// TestProtocolPlanWriteOnlyResend: a write-only secret is sent again, and the write
// shown as updated_at unknown, exactly when its value changed (by hash, without a
// version), its version changed, or the server's copy drifted.
func TestProtocolPlanWriteOnlyResend(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			samples := kindSamples[kind.Name]
			typeName := kind.ResourceTypeName()
			rotated := withSecretsOf(kind, samples.create, samples.update)

			t.Run("by hash", func(t *testing.T) {
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenEditor)
				inst := h.create(typeName, config("WO", "wo", "", writeOnly(kind, samples.create, 0)))
				if err := serverHolds(srv, kind, "WO", "wo", samples.create)(nil); err != nil {
					t.Fatal(err)
				}
				for _, secret := range secretValues(kind, samples.create) {
					if strings.Contains(inst.State.String(), secret) {
						t.Fatal("a write-only value is in state")
					}
				}
				inst = h.read(inst)
				if plansWrite(t, h.plan(typeName, inst, config("WO", "wo", "", writeOnly(kind, samples.create, 0)))) {
					t.Error("the same write-only value plans a write")
				}
				c := h.plan(typeName, inst, config("WO", "wo", "", writeOnly(kind, rotated, 0)))
				if !plansWrite(t, c) {
					t.Fatal("a changed write-only value plans no write")
				}
				srv.ResetRequests()
				inst, diags := h.apply(c)
				if hasError(diags) {
					t.Fatal(diagText(diags))
				}
				if err := serverHolds(srv, kind, "WO", "wo", rotated)(nil); err != nil {
					t.Fatal(err)
				}
				if plansWrite(t, h.plan(typeName, h.read(inst), config("WO", "wo", "", writeOnly(kind, rotated, 0)))) {
					t.Error("the rotated value plans a write once sent")
				}
			})

			t.Run("by version", func(t *testing.T) {
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenEditor)
				inst := h.read(h.create(typeName, config("WO", "wo", "", writeOnly(kind, samples.create, 1))))
				if plansWrite(t, h.plan(typeName, inst, config("WO", "wo", "", writeOnly(kind, rotated, 1)))) {
					t.Error("a new value under the same version plans a write")
				}
				srv.ResetRequests()
				inst = h.update(inst, config("WO", "wo", "", writeOnly(kind, rotated, 1)))
				if n := srv.RequestCount("UpdateConnection"); n != 0 {
					t.Errorf("UpdateConnection sent %d times for an unchanged version", n)
				}
				c := h.plan(typeName, inst, config("WO", "wo", "", writeOnly(kind, rotated, 2)))
				if !plansWrite(t, c) {
					t.Fatal("a new version plans no write")
				}
				if _, diags := h.apply(c); hasError(diags) {
					t.Fatal(diagText(diags))
				}
				if err := serverHolds(srv, kind, "WO", "wo", rotated)(nil); err != nil {
					t.Fatal(err)
				}
			})

			t.Run("server copy drifted", func(t *testing.T) {
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenEditor)
				cfg := config("WO", "wo", "", writeOnly(kind, samples.create, 0))
				inst := h.create(typeName, cfg)
				modifySecrets(srv, "wo")()
				inst = h.read(inst)
				if drifted := privateOf(t, inst)["drifted"]; drifted == nil {
					t.Errorf("private state notes no drift: %v", privateOf(t, inst))
				}
				c := h.plan(typeName, inst, cfg)
				if !plansWrite(t, c) {
					t.Fatal("a drifted write-only value plans no write")
				}
				if _, diags := h.apply(c); hasError(diags) {
					t.Fatal(diagText(diags))
				}
				if err := serverHolds(srv, kind, "WO", "wo", samples.create)(nil); err != nil {
					t.Fatal(err)
				}
			})

			// With a version nothing of the value is kept, so a change made in the web
			// app cannot be noticed: it waits for the next version (documented).
			t.Run("server copy drifted under a version", func(t *testing.T) {
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenEditor)
				cfg := config("WO", "wo", "", writeOnly(kind, samples.create, 1))
				inst := h.create(typeName, cfg)
				if hashes := privateOf(t, inst)["hashes"]; hashes != nil {
					t.Errorf("a versioned write-only value left a hash: %v", hashes)
				}
				modifySecrets(srv, "wo")()
				inst = h.read(inst)
				if plansWrite(t, h.plan(typeName, inst, cfg)) {
					t.Error("with a version and no hash, a drift cannot plan a write")
				}
			})
		})
	}
}
