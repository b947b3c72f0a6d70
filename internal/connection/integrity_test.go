package connection_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// These tests prove, at the protocol level, that the provider never forgets,
// duplicates or takes over a connection (the state-integrity rules). The ones where
// the CLI itself matters (a killed apply, a rotated token across runs) are in
// integrity_cli_test.go.

var postgres = connection.KindByName("postgres")

// wantNotVisible checks the error a workspace the token cannot see gives: it names
// the workspace and the acting user (the outsider), the causes, and what to do for each.
func wantNotVisible(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if !hasError(diags) {
		t.Fatalf("want an error, got %s", diagText(diags))
	}
	text := diagText(diags)
	for _, want := range []string{
		`"` + openhexatest.WorkspaceMain + `" does not exist or is not visible to ` + openhexatest.EmailOutsider,
		"not (or no longer) a member", "archived or deleted", "`state rm '<address>'`", `"with" line`,
		"removed {", "destroy = false", "another OpenHEXA", "Nothing was removed from state",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the error lacks %q:\n%s", want, text)
		}
	}
	// Forgetting is the user's act, named for neither CLI in particular; a destroy
	// without refresh is no remedy (it would delete nothing and forget everything).
	for _, never := range []string{"destroy -refresh=false", "terraform ", "tofu "} {
		if strings.Contains(text, never) {
			t.Errorf("the error names %q:\n%s", never, text)
		}
	}
}

// mustHaveFired fails the test unless the fault hit a request of op (faultFired).
func mustHaveFired(t *testing.T, srv *openhexatest.Server, op string, f openhexatest.Fault) {
	t.Helper()
	if err := faultFired(srv, op, f); err != nil {
		t.Fatal(err)
	}
}

// TestIntegrityReadKeepsStateWhenWorkspaceNotVisible: a token whose user cannot see
// the workspace gets an error naming workspace and user; the resource stays in state.
// The same rule holds for data sources, the ephemeral resource, list resources and
// import.
func TestIntegrityReadKeepsStateWhenWorkspaceNotVisible(t *testing.T) {
	srv := openhexatest.Start(t)
	editor := newHarness(t, srv, openhexatest.TokenEditor)
	inst := editor.create(postgres.ResourceTypeName(), config("Warehouse", "", "", kindSamples["postgres"].create))

	outsider := newHarness(t, srv, openhexatest.TokenOutsider)
	after, diags := outsider.tryRead(inst)
	wantNotVisible(t, diags)
	if after.State.IsNull() || !after.State.Equal(inst.State) {
		t.Fatalf("the read changed state:\n%v", after.State)
	}

	_, diags = outsider.readDataSource("openhexa_connection", map[string]any{"slug": "warehouse"})
	wantNotVisible(t, diags)
	_, diags = outsider.readDataSource("openhexa_connection", map[string]any{"id": inst.str(t, "id")})
	wantNotVisible(t, diags)
	_, diags = outsider.readDataSource("openhexa_connections", map[string]any{})
	wantNotVisible(t, diags)
	_, diags = outsider.openEphemeral("openhexa_connection", map[string]any{"slug": "warehouse"})
	wantNotVisible(t, diags)
	_, diags = outsider.list(postgres.ResourceTypeName(), openhexatest.WorkspaceMain, false, 0)
	wantNotVisible(t, diags)
	_, diags = outsider.tryImport(postgres.ResourceTypeName(), openhexatest.WorkspaceMain+"/warehouse", nil)
	wantNotVisible(t, diags)
	_, diags = outsider.tryImport(postgres.ResourceTypeName(), openhexatest.WorkspaceMain+"/"+inst.str(t, "id"), nil)
	wantNotVisible(t, diags)

	// With a member's token again, nothing was lost.
	if again := newHarness(t, srv, openhexatest.TokenEditor).read(inst); !again.State.Equal(inst.State) {
		t.Fatalf("state changed: %v", again.State)
	}
}

// TestIntegrityReadKeepsStateWhenListingFails: a listing that fails (here a server
// error on every try) fails the read; it never falls back to reads by id. Both
// listings: without fields, and with fields for a connection changed out of band.
func TestIntegrityReadKeepsStateWhenListingFails(t *testing.T) {
	for _, op := range []string{"ListWorkspaceConnectionSummaries", "ListWorkspaceConnections"} {
		t.Run(op, func(t *testing.T) {
			srv := openhexatest.Start(t)
			inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(),
				config("Warehouse", "", "", kindSamples["postgres"].create))
			if op == "ListWorkspaceConnections" {
				srv.ModifyStored(inst.str(t, "id"), func(c *openhexatest.StoredConnection) { c.Description = "changed" })
			}
			listingFault := openhexatest.Fault{Kind: openhexatest.FaultGraphQLError, Times: -1}
			srv.InjectFault(op, listingFault)

			after, diags := newHarness(t, srv, openhexatest.TokenEditor).tryRead(inst)
			if !hasError(diags) || !after.State.Equal(inst.State) {
				t.Fatalf("want an error and the state kept; got %s, state %v", diagText(diags), after.State)
			}
			mustHaveFired(t, srv, op, listingFault)
			for _, r := range srv.Requests() {
				if r.OperationName == "GetConnection" {
					t.Errorf("the read fell back to %s", r.OperationName)
				}
			}
		})
	}
}

// TestIntegrityReadRemovesOnlyProvenAbsent: a connection deleted out of band leaves
// state, since a listing the token can read no longer holds it; also when the
// provider already wrote in this run (reads by id then, each null proven by a listing).
func TestIntegrityReadRemovesOnlyProvenAbsent(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	kept := h.create(postgres.ResourceTypeName(), config("Kept", "", "", kindSamples["postgres"].create))
	gone := h.create(postgres.ResourceTypeName(), config("Gone", "", "", kindSamples["postgres"].create))
	srv.DeleteStored(gone.str(t, "id"))

	if after := h.read(gone); !after.State.IsNull() {
		t.Fatalf("after a write: a deleted connection stays in state: %v", after.State)
	}
	if after := h.read(kept); after.State.IsNull() {
		t.Fatal("after a write: a present connection left state")
	}
	fresh := newHarness(t, srv, openhexatest.TokenViewer)
	if after := fresh.read(gone); !after.State.IsNull() {
		t.Fatalf("from the listing: a deleted connection stays in state: %v", after.State)
	}
	if after := fresh.read(kept); after.State.IsNull() {
		t.Fatal("from the listing: a present connection left state")
	}
}

// TestIntegrityCreateRefusesTakenSlug: a slug already used, derived or explicit,
// fails the create before anything is written, naming the holder (name, slug, id) and
// the exact import id, on the attribute the slug comes from.
func TestIntegrityCreateRefusesTakenSlug(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			holder := srv.CreateStored(storedFromSample(kind, "warehouse", kindSamples[kind.Name].create))
			h := newHarness(t, srv, openhexatest.TokenEditor)
			for _, tc := range []struct{ slug, at string }{{"", "name"}, {"warehouse", "slug"}} {
				_, diags := h.tryCreate(kind.ResourceTypeName(), config("Warehouse", tc.slug, "", kindSamples[kind.Name].create))
				d := wantError(t, diags, "Connection slug already in use", tc.at)
				for _, want := range []string{holder.Name, `"warehouse"`, holder.ID, `id = "` + openhexatest.WorkspaceMain + `/warehouse"`, "explicit `slug`"} {
					if !strings.Contains(d.Detail, want) {
						t.Errorf("slug %q: the error lacks %q:\n%s", tc.slug, want, d.Detail)
					}
				}
			}
			if n := len(srv.AllConnections()); n != 1 || srv.RequestCount("CreateConnection") != 0 {
				t.Fatalf("the server holds %d connections after %d creates, want the holder only", n, srv.RequestCount("CreateConnection"))
			}
		})
	}
}

// TestIntegrityCreateNeverKeepsSuffixedSlug: when the slug is taken between the
// check and the create, OpenHEXA suffixes it silently; the provider deletes that copy
// and fails naming the holder. If the copy cannot be deleted, it is handed to
// Terraform (in state, with the error: tainted) so the next apply removes it.
func TestIntegrityCreateNeverKeepsSuffixedSlug(t *testing.T) {
	for _, deleteFails := range []bool{false, true} {
		name := map[bool]string{false: "copy deleted", true: "copy kept tainted"}[deleteFails]
		t.Run(name, func(t *testing.T) {
			srv := openhexatest.Start(t)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			// Someone takes the slug while the create waits on the server (after the
			// plan and the free-slug check, so that only the create can notice).
			delay := openhexatest.Fault{Kind: openhexatest.FaultDelay, Delay: 300 * time.Millisecond, Before: func() {
				srv.CreateStored(storedFromSample(postgres, "warehouse", kindSamples["postgres"].update))
			}}
			deleteFault := openhexatest.Fault{Kind: openhexatest.Fault500, Times: -1}
			srv.InjectFault("CreateConnection", delay)
			if deleteFails {
				srv.InjectFault("DeleteConnection", deleteFault)
			}
			inst, diags := h.tryCreate(postgres.ResourceTypeName(), config("Warehouse", "", "", kindSamples["postgres"].create))
			mustHaveFired(t, srv, "CreateConnection", delay)

			var copies []openhexatest.StoredConnection
			for _, c := range srv.AllConnections() {
				if c.Slug != "warehouse" {
					copies = append(copies, c)
				}
			}
			if !deleteFails {
				wantError(t, diags, "Connection slug already in use", "name")
				if len(copies) != 0 || !inst.State.IsNull() {
					t.Fatalf("suffixed copies left: %v, state %v", copies, inst.State)
				}
				return
			}
			mustHaveFired(t, srv, "DeleteConnection", deleteFault)
			wantError(t, diags, "Connection created under another slug", "")
			if len(copies) != 1 || inst.State.IsNull() || inst.str(t, "slug") != copies[0].Slug {
				t.Fatalf("the undeletable copy must be in state: copies %v, state %v", copies, inst.State)
			}
			srv.ClearFaults()
			h.destroy(inst)
			if _, ok := srv.Connection(copies[0].ID); ok {
				t.Fatal("destroying the tainted copy left it on the server")
			}
		})
	}
}

// TestIntegrityReconcileAdoptsOnlyItsOwnCreate: after an ambiguous create, the
// connection is adopted only when this attempt made it; otherwise it is created once
// more (proven absent) or reported (someone else took the slug meanwhile).
func TestIntegrityReconcileAdoptsOnlyItsOwnCreate(t *testing.T) {
	cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
	t.Run("dropped after apply: its own, adopted", func(t *testing.T) {
		srv := openhexatest.Start(t)
		drop := openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply}
		srv.InjectFault("CreateConnection", drop)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(), cfg)
		mustHaveFired(t, srv, "CreateConnection", drop)
		all := srv.AllConnections()
		if len(all) != 1 || all[0].Slug != "warehouse" || inst.str(t, "id") != all[0].ID {
			t.Fatalf("want one connection, the adopted one; got %v", all)
		}
	})
	t.Run("dropped before apply: created once more", func(t *testing.T) {
		srv := openhexatest.Start(t)
		drop := openhexatest.Fault{Kind: openhexatest.FaultDropBeforeApply}
		srv.InjectFault("CreateConnection", drop)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(), cfg)
		mustHaveFired(t, srv, "CreateConnection", drop)
		if all := srv.AllConnections(); len(all) != 1 || inst.str(t, "id") != all[0].ID {
			t.Fatalf("want one connection; got %v", all)
		}
	})
	t.Run("refused twice before apply: proven absent and sent again each time", func(t *testing.T) {
		srv := openhexatest.Start(t)
		refused := openhexatest.Fault{Kind: openhexatest.Fault503, Times: 2}
		srv.InjectFault("CreateConnection", refused)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(), cfg)
		mustHaveFired(t, srv, "CreateConnection", refused)
		if n := srv.RequestCount("CreateConnection"); n != 3 {
			t.Errorf("CreateConnection sent %d times, want 3", n)
		}
		if all := srv.AllConnections(); len(all) != 1 || inst.str(t, "id") != all[0].ID {
			t.Fatalf("want one connection; got %v", all)
		}
	})
	t.Run("same content already there: reported, never adopted", func(t *testing.T) {
		srv := openhexatest.Start(t)
		existing := srv.CreateStored(storedFromSample(postgres, "warehouse", kindSamples["postgres"].create))
		srv.ModifyStored(existing.ID, func(c *openhexatest.StoredConnection) { c.Name = "Warehouse" })
		srv.InjectFault("CreateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropBeforeApply})
		_, diags := newHarness(t, srv, openhexatest.TokenEditor).tryCreate(postgres.ResourceTypeName(), cfg)
		wantError(t, diags, "Connection slug already in use", "name")
		if all := srv.AllConnections(); len(all) != 1 || all[0].ID != existing.ID {
			t.Fatalf("want the existing connection alone; got %v", all)
		}
	})
	t.Run("slug taken meanwhile by another: reported, nothing touched", func(t *testing.T) {
		srv := openhexatest.Start(t)
		// The slug is taken just before the create is handled (after the plan and the
		// free-slug check); the create, once applied, is answered by a dropped
		// connection (TestIntegrityCreateRaceLeavesNoOrphan follows the copy it made).
		srv.InjectFault("CreateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply, Before: func() {
			srv.CreateStored(storedFromSample(postgres, "warehouse", kindSamples["postgres"].update))
		}})
		_, diags := newHarness(t, srv, openhexatest.TokenEditor).tryCreate(postgres.ResourceTypeName(), cfg)
		if !hasError(diags) {
			t.Fatal("want an error")
		}
		for _, c := range srv.AllConnections() {
			if c.Slug == "warehouse" && c.Name != "Existing" {
				t.Fatalf("the holder was changed: %v", c)
			}
		}
	})
}

// TestIntegrityUnknownFieldMapsPlan: a custom connection's maps unknown at plan time
// (from another resource, or an ephemeral value known only at apply) plan an update
// decided at apply.
func TestIntegrityUnknownFieldMapsPlan(t *testing.T) {
	custom := connection.KindByName("custom")
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	base := map[string]any{"name": "API", "fields": map[string]string{"region": "north"}}
	inst := h.create(custom.ResourceTypeName(), map[string]any{"name": "API", "fields": map[string]string{"region": "north"},
		"secret_fields_wo": map[string]string{"api_key": "k1"}})

	for _, attr := range []string{"fields", "secret_fields", "secret_fields_wo"} {
		cfg := map[string]any{}
		for k, v := range base {
			cfg[k] = v
		}
		cfg["secret_fields_wo"] = map[string]string{"api_key": "k1"}
		cfg[attr] = unknown
		if attr == "fields" || attr == "secret_fields" {
			// the other maps stay known
			delete(cfg, "fields")
			cfg[attr] = unknown
		}
		c := h.plan(custom.ResourceTypeName(), inst, cfg)
		if hasError(c.Diagnostics) {
			t.Fatalf("%s unknown: the plan failed: %s", attr, diagText(c.Diagnostics))
		}
		if c.planned(t)["updated_at"].IsKnown() {
			t.Errorf("%s unknown: no update planned", attr)
		}
	}
}

// TestIntegrityWriteOnlyResendWarns: a plan that sends a write-only secret again says
// so, on the attribute, with the reason; a value that did not change sends nothing.
func TestIntegrityWriteOnlyResendWarns(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	base := config("Warehouse", "", "", kindSamples["postgres"].create)
	delete(base, "password")
	withPassword := func(v string) map[string]any {
		out := map[string]any{"password_wo": v}
		for k, x := range base {
			out[k] = x
		}
		return out
	}
	inst := h.create(postgres.ResourceTypeName(), withPassword("first"))

	if c := h.plan(postgres.ResourceTypeName(), inst, withPassword("first")); findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Write-only secret will be sent") != nil {
		t.Fatalf("an unchanged value warns: %s", diagText(c.Diagnostics))
	}
	c := h.plan(postgres.ResourceTypeName(), inst, withPassword("second"))
	d := findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Write-only secret will be sent")
	if d == nil || attrPath(d.Attribute) != "password_wo" || !strings.Contains(d.Detail, "the configured value changed") {
		t.Fatalf("want a warning on password_wo; got %s", diagText(c.Diagnostics))
	}
	if strings.Contains(diagText(c.Diagnostics), "second") {
		t.Fatal("the warning shows the value")
	}

	srv.ModifyStored(inst.str(t, "id"), func(sc *openhexatest.StoredConnection) {
		for i := range sc.Fields {
			if sc.Fields[i].Code == "password" {
				sc.Fields[i].Value = "changed-in-the-web-app"
			}
		}
	})
	c = h.plan(postgres.ResourceTypeName(), h.read(inst), withPassword("first"))
	if d := findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Write-only secret will be sent"); d == nil || !strings.Contains(d.Detail, "changed outside Terraform") {
		t.Fatalf("want a drift warning; got %s", diagText(c.Diagnostics))
	}
}

// TestIntegrityVerifyToggleWritesNothing: changing only `verify` updates state and
// sends nothing to OpenHEXA.
func TestIntegrityVerifyToggleWritesNothing(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
	inst := h.create(postgres.ResourceTypeName(), cfg)
	srv.ResetRequests()
	for _, verify := range []bool{true, false} {
		cfg["verify"] = verify
		c := h.plan(postgres.ResourceTypeName(), inst, cfg)
		if !c.planned(t)["updated_at"].Equal(inst.attrs(t)["updated_at"]) {
			t.Fatalf("verify=%v: the plan announces a write", verify)
		}
		next, diags := h.apply(c)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		if got := next.get(t, "verify"); got != verify {
			t.Fatalf("verify in state: %v", got)
		}
		inst = next
	}
	for _, r := range srv.Requests() {
		if r.OperationName != "ListWorkspaceConnections" && r.OperationName != "Me" {
			t.Errorf("toggling verify sent %s", r.OperationName)
		}
	}
}

// TestIntegrityImportIntoWriteOnlyLeavesNoSecretInState: after an import (which reads
// the secret into state), a configuration with the write-only twin holding the
// server's value plans only the secret leaving state, applies without writing, and
// then plans nothing; with the sensitive attribute holding the server's value, the
// plan is empty from the start. The versioned form keeps no hash in private state.
func TestIntegrityImportIntoWriteOnlyLeavesNoSecretInState(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			values := kindSamples[kind.Name].create
			srv.CreateStored(storedFromSample(kind, "existing", values))
			h := newHarness(t, srv, openhexatest.TokenEditor)
			sensitive := config("Existing", "existing", "", values)

			imported := h.importID(kind.ResourceTypeName(), openhexatest.WorkspaceMain+"/existing")
			if c := h.plan(kind.ResourceTypeName(), imported, sensitive); !c.planned(t)["updated_at"].Equal(imported.attrs(t)["updated_at"]) || !tftypes.NewValue(c.prior.State.Type(), c.planned(t)).Equal(imported.State) {
				t.Fatalf("sensitive attributes equal to the server's: the plan is not empty: %v", c.planned(t))
			}

			for _, versioned := range []bool{false, true} {
				version := map[bool]int64{false: 0, true: 1}[versioned]
				writeOnly := map[string]any(writeOnly(kind, sample(sensitive), version))
				srv.ResetRequests()
				c := h.plan(kind.ResourceTypeName(), imported, writeOnly)
				if hasError(c.Diagnostics) || findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Write-only secret will be sent") != nil {
					t.Fatalf("versioned=%v: %s", versioned, diagText(c.Diagnostics))
				}
				if !c.planned(t)["updated_at"].Equal(imported.attrs(t)["updated_at"]) {
					t.Fatalf("versioned=%v: the plan announces a write", versioned)
				}
				applied, diags := h.apply(c)
				if hasError(diags) {
					t.Fatal(diagText(diags))
				}
				if n := srv.RequestCount("UpdateConnection"); n != 0 {
					t.Fatalf("versioned=%v: the apply sent %d updates", versioned, n)
				}
				assertNoSecretInState(t, kind, applied)
				if again := h.plan(kind.ResourceTypeName(), h.read(applied), writeOnly); !tftypes.NewValue(applied.State.Type(), again.planned(t)).Equal(applied.State) {
					t.Fatalf("versioned=%v: the next plan is not empty: %v", versioned, again.planned(t))
				}
				if private := providerPrivate(t, applied); strings.Contains(private, `"hashes"`) == versioned {
					t.Fatalf("versioned=%v: private state %s", versioned, private)
				}
			}
		})
	}
}

// providerPrivate decodes the provider's private state of an instance (the framework
// keeps it as JSON with base64 values).
func providerPrivate(t *testing.T, inst *instance) string {
	t.Helper()
	var keys map[string][]byte
	if err := json.Unmarshal(inst.Private, &keys); err != nil {
		t.Fatal(err)
	}
	return string(keys["connection"])
}

// assertNoSecretInState fails when a secret attribute of the kind holds a value.
func assertNoSecretInState(t *testing.T, kind *connection.Kind, inst *instance) {
	t.Helper()
	attrs := inst.attrs(t)
	if kind.Custom {
		if v := attrs["secret_fields"]; !v.IsNull() {
			t.Fatalf("secret_fields in state: %v", v)
		}
		return
	}
	for _, f := range kind.Fields {
		if f.Secret && !attrs[f.Code].IsNull() {
			t.Fatalf("%s in state", f.Code)
		}
	}
}

// TestIntegrityUpdateSlugClashNamesHolder: an update to a slug another connection
// holds is refused by OpenHEXA; the error names that connection.
func TestIntegrityUpdateSlugClashNamesHolder(t *testing.T) {
	srv := openhexatest.Start(t)
	holder := srv.CreateStored(storedFromSample(postgres, "taken", kindSamples["postgres"].update))
	h := newHarness(t, srv, openhexatest.TokenEditor)
	cfg := config("Warehouse", "warehouse", "", kindSamples["postgres"].create)
	inst := h.create(postgres.ResourceTypeName(), cfg)
	cfg["slug"] = "taken"
	_, diags := h.tryUpdate(inst, cfg)
	d := wantError(t, diags, "Connection slug already in use", "slug")
	for _, want := range []string{holder.ID, `"taken"`, `"warehouse"`} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("the error lacks %q: %s", want, d.Detail)
		}
	}
}

// TestIntegrityWorkspaceSlugServerRule: workspace slugs are checked with the server's
// own rule, never a stricter one.
func TestIntegrityWorkspaceSlugServerRule(t *testing.T) {
	h := newUnconfiguredHarness(t)
	for slug, ok := range map[string]bool{"a--b": true, "-lead": true, "x-": true, "2024": true, "A": false, "a_b": false, "a b": false} {
		cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
		cfg["workspace"] = slug
		if diags := h.validate(postgres.ResourceTypeName(), cfg); hasError(diags) == ok {
			t.Errorf("workspace %q: accepted=%v, want %v (%s)", slug, !hasError(diags), ok, diagText(diags))
		}
	}
}

// TestIntegrityNullFieldValueRefusedAtPlan: a custom field set to null would reach
// OpenHEXA as a new code without a value, which it refuses with a top-level error:
// it is refused at plan time, on its key, in every map (secret_fields_wo accepts one
// beside secret_fields_wo_version: TestProtocolWriteOnlyNullWithVersion).
func TestIntegrityNullFieldValueRefusedAtPlan(t *testing.T) {
	h := newUnconfiguredHarness(t)
	for _, attr := range []string{"fields", "secret_fields", "secret_fields_wo"} {
		diags := h.validate("openhexa_custom_connection", map[string]any{"name": "API", attr: map[string]any{"api_key": nil}})
		wantError(t, diags, "Field without a value", attr+`["api_key"]`)
	}
}

// TestIntegrityErrorsInUsersWords: failures say what happened in the user's terms,
// without internal operation names or a code said twice.
func TestIntegrityErrorsInUsersWords(t *testing.T) {
	srv := openhexatest.Start(t)
	editor := newHarness(t, srv, openhexatest.TokenEditor)
	cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
	inst := editor.create(postgres.ResourceTypeName(), cfg)
	var texts []string

	// verify with a token that may not manage connections: a matter of rights, not credentials.
	verifyCfg := map[string]any{"verify": true}
	for k, v := range cfg {
		verifyCfg[k] = v
	}
	verifyCfg["name"] = "Renamed"
	_, diags := newHarness(t, srv, openhexatest.TokenViewer).tryUpdate(inst, verifyCfg)
	d := wantError(t, diags, "Cannot verify the credentials", "")
	if !strings.Contains(d.Detail, "may not manage connections") || strings.Contains(d.Detail, "did not work") {
		t.Errorf("verify refused for rights: %s", d.Detail)
	}
	texts = append(texts, d.Detail)

	// An update of a connection deleted out of band says so, and that a plan re-creates it.
	srv.DeleteStored(inst.str(t, "id"))
	cfg["name"] = "Renamed"
	_, diags = editor.tryUpdate(inst, cfg)
	d = wantError(t, diags, "Cannot update openhexa_postgres_connection", "")
	for _, want := range []string{"deleted outside Terraform", "plan"} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("update of a deleted connection: %q lacks %q", d.Detail, want)
		}
	}
	texts = append(texts, d.Detail)

	// A create refused for rights.
	_, diags = newHarness(t, srv, openhexatest.TokenViewer).tryCreate(postgres.ResourceTypeName(), config("Other", "", "", kindSamples["postgres"].create))
	texts = append(texts, wantError(t, diags, "Cannot create openhexa_postgres_connection", "").Detail)

	for _, text := range texts {
		for _, op := range []string{"CreateConnection", "UpdateConnection", "TestConnection", "GetConnection", "ListWorkspaceConnections"} {
			if strings.Contains(text, op) {
				t.Errorf("%q names the internal operation %s", text, op)
			}
		}
		for _, code := range []string{"PERMISSION_DENIED", "NOT_FOUND", "INVALID_SLUG"} {
			if strings.Count(text, code) > 1 {
				t.Errorf("%q says %s twice", text, code)
			}
		}
	}
}

// TestIntegrityImportWriteOnlyKeepsSecretsOutOfState: an import ID ending in
// "#write-only" imports a connection for a configuration with write-only secrets:
// the secrets never reach state, and the first plan, with the values OpenHEXA
// holds, is empty; a different value plans its sending, with the warning.
func TestIntegrityImportWriteOnlyKeepsSecretsOutOfState(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			values := kindSamples[kind.Name].create
			srv.CreateStored(storedFromSample(kind, "existing", values))
			h := newHarness(t, srv, openhexatest.TokenEditor)
			cfg := map[string]any(writeOnly(kind, sample(config("Existing", "existing", "", values)), 0))

			imported := h.importID(kind.ResourceTypeName(), openhexatest.WorkspaceMain+"/existing#write-only")
			assertNoSecretInState(t, kind, imported)
			for _, secret := range secretValues(kind, values) {
				if strings.Contains(imported.State.String(), secret) || strings.Contains(string(imported.Private), secret) {
					t.Fatal("a secret value is in state or private state")
				}
			}
			c := h.plan(kind.ResourceTypeName(), imported, cfg)
			if hasError(c.Diagnostics) || !tftypes.NewValue(imported.State.Type(), c.planned(t)).Equal(imported.State) {
				t.Fatalf("the first plan is not empty: %s %v", diagText(c.Diagnostics), c.planned(t))
			}
			if h.read(imported).State.String() != imported.State.String() {
				t.Fatal("a refresh changed the imported state")
			}

			rotated := map[string]any(writeOnly(kind, sample(config("Existing", "existing", "", withSecretsOf(kind, values, kindSamples[kind.Name].update))), 0))
			c = h.plan(kind.ResourceTypeName(), imported, rotated)
			if findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Write-only secret will be sent") == nil || c.planned(t)["updated_at"].IsKnown() {
				t.Fatalf("a different value plans no sending: %s", diagText(c.Diagnostics))
			}
		})
	}
}
