package connection_test

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Protocol-level tests of the proofs the provider asks for before it forgets,
// creates or adopts: a delete or update answered NOT_FOUND is checked against a
// listing; a create is checked at plan time against the run's listing; an
// identical connection is adopted only on request; a raced copy is undone; a plan
// that breaks the identifiers notebooks use says so. Each test asserts what
// OpenHEXA holds afterwards and what state holds.

// neverNamesOneCLI fails when a message tells the user to run one CLI's command
// (wantNotVisible also refuses `destroy -refresh=false` where it would forget).
func neverNamesOneCLI(t *testing.T, text string) {
	t.Helper()
	for _, never := range []string{"terraform import", "tofu import", "terraform state", "tofu state",
		"terraform destroy", "tofu destroy"} {
		if strings.Contains(text, never) {
			t.Errorf("the message names %q:\n%s", never, text)
		}
	}
}

// TestIntegrityDeleteAndUpdateProveAbsence: OpenHEXA answers NOT_FOUND to a delete or
// an update of a connection in a workspace the token cannot see; the provider fails,
// naming the workspace and user, keeps state, and leaves the connection untouched.
// Once the connection is really gone (a listing lacks it), the delete succeeds and
// the update says it was deleted outside Terraform.
func TestIntegrityDeleteAndUpdateProveAbsence(t *testing.T) {
	srv := openhexatest.Start(t)
	editor := newHarness(t, srv, openhexatest.TokenEditor)
	cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
	inst := editor.create(postgres.ResourceTypeName(), cfg)
	id := inst.str(t, "id")
	outsider := newHarness(t, srv, openhexatest.TokenOutsider)

	t.Run("destroy", func(t *testing.T) {
		diags := outsider.tryDestroy(inst)
		wantNotVisible(t, diags)
		neverNamesOneCLI(t, diagText(diags))
		// The CLI shows no address with a delete's error: the message names the connection.
		for _, want := range []string{`"warehouse"`, id, "`state list`"} {
			if !strings.Contains(diagText(diags), want) {
				t.Errorf("the delete's error lacks %q:\n%s", want, diagText(diags))
			}
		}
		if _, ok := srv.Connection(id); !ok {
			t.Fatal("the connection is gone from OpenHEXA")
		}
	})
	t.Run("update", func(t *testing.T) {
		changed := config("Warehouse", "", "moved to the new cluster", kindSamples["postgres"].create)
		after, diags := outsider.tryUpdate(inst, changed)
		wantNotVisible(t, diags)
		if !after.State.Equal(inst.State) {
			t.Errorf("the failed update changed state:\n%v", after.State)
		}
		if held, ok := srv.Connection(id); !ok || held.Description != "" {
			t.Fatalf("OpenHEXA holds %+v, want the connection unchanged", held)
		}
	})
	// Proof, not a guess: each NOT_FOUND was followed by a listing, and no delete
	// or update went through.
	if n := srv.RequestCount("ListWorkspaceConnections"); n < 2 {
		t.Errorf("%d listings after two NOT_FOUND answers, want one each", n)
	}

	t.Run("really gone", func(t *testing.T) {
		srv.DeleteStored(id)
		fresh := newHarness(t, srv, openhexatest.TokenEditor)
		_, diags := fresh.tryUpdate(inst, config("Warehouse", "", "again", kindSamples["postgres"].create))
		d := wantError(t, diags, "Cannot update "+postgres.ResourceTypeName(), "")
		if !strings.Contains(d.Detail, "deleted outside Terraform") {
			t.Errorf("the update error does not say the connection was deleted: %s", d.Detail)
		}
		newHarness(t, srv, openhexatest.TokenEditor).destroy(inst)
		if n := len(srv.AllConnections()); n != 0 {
			t.Errorf("OpenHEXA holds %d connections", n)
		}
	})
}

// TestIntegrityCreateInWorkspaceNotVisible: a create in a workspace the token cannot
// see fails at plan time on `workspace`, and at apply (a saved plan) at the create,
// with the message for a create: no advice to forget state, and "Nothing was created".
func TestIntegrityCreateInWorkspaceNotVisible(t *testing.T) {
	srv := openhexatest.Start(t)
	outsider := newHarness(t, srv, openhexatest.TokenOutsider)
	cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
	c := outsider.plan(postgres.ResourceTypeName(), nil, cfg)
	atPlan := wantError(t, c.Diagnostics, "Workspace not found", "workspace")

	editorPlan := newHarness(t, srv, openhexatest.TokenEditor).plan(postgres.ResourceTypeName(), nil, cfg)
	if hasError(editorPlan.Diagnostics) {
		t.Fatalf("plan as editor: %s", diagText(editorPlan.Diagnostics))
	}
	after, diags := outsider.apply(editorPlan)
	atApply := wantError(t, diags, "Cannot create "+postgres.ResourceTypeName(), "")
	for _, d := range []*tfprotov6.Diagnostic{atPlan, atApply} {
		for _, want := range []string{`"` + openhexatest.WorkspaceMain + `" does not exist or is not visible to ` + openhexatest.EmailOutsider, "Nothing was created."} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("the error lacks %q:\n%s", want, d.Detail)
			}
		}
		for _, never := range []string{"state rm", "removed {", "Nothing was removed from state", "destroy"} {
			if strings.Contains(d.Detail, never) {
				t.Errorf("the create's error names %q:\n%s", never, d.Detail)
			}
		}
	}
	if !after.State.IsNull() {
		t.Errorf("the failed create left state: %v", after.State)
	}
	if n := len(srv.AllConnections()); n != 0 {
		t.Errorf("OpenHEXA holds %d connections", n)
	}
}

// TestIntegrityPlanRefusesTakenSlug: a create whose slug is used (derived or
// explicit; also a connection deleted and re-made in the web app) fails at plan
// time on the attribute the slug comes from, naming the holder, with both remedies
// as blocks that fit both CLIs; the plan answers from the run's listing (one request
// for the workspace, none per resource). A replacement of the resource's own
// connection is no clash.
func TestIntegrityPlanRefusesTakenSlug(t *testing.T) {
	t.Run("taken", func(t *testing.T) {
		srv := openhexatest.Start(t)
		holder := srv.CreateStored(storedFromSample(postgres, "warehouse", kindSamples["postgres"].create))
		srv.CreateStored(storedFromSample(postgres, "other", kindSamples["postgres"].create))
		h := newHarness(t, srv, openhexatest.TokenEditor)
		srv.ResetRequests()
		for _, tc := range []struct{ slug, at string }{{"", "name"}, {"warehouse", "slug"}} {
			c := h.plan(postgres.ResourceTypeName(), nil, config("Warehouse", tc.slug, "", kindSamples["postgres"].create))
			d := wantError(t, c.Diagnostics, "Connection slug already in use", tc.at)
			for _, want := range []string{holder.Name, holder.ID, `"warehouse"`, "The plan stops here",
				"moved {", "from = <the address that manages it now>", "import {",
				"to = " + postgres.ResourceTypeName() + ".<name>", `id = "` + openhexatest.WorkspaceMain + `/warehouse"`,
				`"with" line`, "adopt_identical", "explicit `slug`", "`destroy -refresh=false`"} {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("slug %q: the error lacks %q:\n%s", tc.slug, want, d.Detail)
				}
			}
			neverNamesOneCLI(t, d.Detail)
		}
		if n := srv.RequestCount("GetConnectionBySlug"); n != 0 {
			t.Errorf("the plans sent %d connectionBySlug requests, want none (the listing answers)", n)
		}
		if n := srv.RequestCount("ListWorkspaceConnectionSummaries"); n != 1 {
			t.Errorf("two plans sent %d listings, want one", n)
		}
		if n := len(srv.AllConnections()); n != 2 {
			t.Errorf("OpenHEXA holds %d connections, want the 2 there before", n)
		}
	})

	t.Run("two resources, one slug", func(t *testing.T) {
		srv := openhexatest.Start(t)
		h := newHarness(t, srv, openhexatest.TokenEditor) // one provider instance: one run
		first := h.plan(postgres.ResourceTypeName(), nil, config("Données", "", "", kindSamples["postgres"].create))
		if hasError(first.Diagnostics) {
			t.Fatal(diagText(first.Diagnostics))
		}
		second := h.plan(postgres.ResourceTypeName(), nil, config("Donnees", "", "", kindSamples["postgres"].create))
		d := wantError(t, second.Diagnostics, "Connection slug planned twice", "name")
		if !strings.Contains(d.Detail, `"donnees"`) || !strings.Contains(d.Detail, "explicit `slug`") {
			t.Errorf("the error does not name the slug and the remedy:\n%s", d.Detail)
		}
		explicit := h.plan(postgres.ResourceTypeName(), nil, config("Donnees", "donnees-2", "", kindSamples["postgres"].create))
		if hasError(explicit.Diagnostics) {
			t.Errorf("an explicit slug does not settle it: %s", diagText(explicit.Diagnostics))
		}
		if n := len(srv.AllConnections()); n != 0 {
			t.Errorf("planning made %d connections", n)
		}
	})

	t.Run("re-made in the web app", func(t *testing.T) {
		srv := openhexatest.Start(t)
		cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(), cfg)
		srv.DeleteStored(inst.str(t, "id"))
		remade := storedFromSample(postgres, "warehouse", kindSamples["postgres"].create)
		remade.Name = "Warehouse"
		remade = srv.CreateStored(remade)

		h := newHarness(t, srv, openhexatest.TokenEditor)
		if after := h.read(inst); !after.State.IsNull() {
			t.Fatalf("the refresh kept the deleted connection: %v", after.State)
		}
		c := h.plan(postgres.ResourceTypeName(), nil, cfg)
		d := wantError(t, c.Diagnostics, "Connection slug already in use", "name")
		if !strings.Contains(d.Detail, remade.ID) {
			t.Errorf("the error does not name the re-made connection %s:\n%s", remade.ID, d.Detail)
		}
		if n := len(srv.AllConnections()); n != 1 || srv.RequestCount("CreateConnection") != 1 {
			t.Errorf("OpenHEXA holds %d connections after %d creates, want the re-made one only", n, srv.RequestCount("CreateConnection"))
		}
	})

	t.Run("replacing its own connection", func(t *testing.T) {
		srv := openhexatest.Start(t)
		cfg := config("Warehouse", "", "", kindSamples["postgres"].create)
		h := newHarness(t, srv, openhexatest.TokenEditor)
		inst := h.create(postgres.ResourceTypeName(), cfg)
		oldID := inst.str(t, "id")

		// A forced replacement plans twice, as the CLI does: with the prior state,
		// then the create half with a null one and the private state planned first.
		first := newHarness(t, srv, openhexatest.TokenEditor).plan(postgres.ResourceTypeName(), inst, cfg)
		if hasError(first.Diagnostics) {
			t.Fatal(diagText(first.Diagnostics))
		}
		p := newHarness(t, srv, openhexatest.TokenEditor)
		null := tftypes.NewValue(inst.State.Type(), nil)
		createHalf := p.plan(postgres.ResourceTypeName(), &instance{TypeName: inst.TypeName, State: null,
			Private: first.resp.PlannedPrivate}, cfg)
		if hasError(createHalf.Diagnostics) {
			t.Fatalf("the create half of a replacement clashed with its own connection: %s", diagText(createHalf.Diagnostics))
		}
		// Without the note, the same slug is another's: the check is not switched off.
		alone := newHarness(t, srv, openhexatest.TokenEditor).plan(postgres.ResourceTypeName(), nil, cfg)
		wantError(t, alone.Diagnostics, "Connection slug already in use", "name")

		p.destroy(inst)
		replaced, diags := p.apply(createHalf)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		all := srv.AllConnections()
		if len(all) != 1 || all[0].Slug != "warehouse" || all[0].ID == oldID || replaced.str(t, "id") != all[0].ID {
			t.Errorf("after the replacement OpenHEXA holds %+v and state id %s; want one new connection under warehouse",
				all, replaced.str(t, "id"))
		}
	})
}

// TestIntegrityAdoptIdentical: with adopt_identical (provider setting or
// OPENHEXA_ADOPT_IDENTICAL), a create whose slug is held by an identical connection
// is planned with a warning and adopts it at apply (no create sent); a connection
// that differs in one field is refused, naming the field and never a secret value;
// off by default. After an adoption the next plan is empty.
func TestIntegrityAdoptIdentical(t *testing.T) {
	values := kindSamples["postgres"].create
	cfg := config("Warehouse", "", "", values)
	identical := func() openhexatest.StoredConnection {
		c := storedFromSample(postgres, "warehouse", values)
		c.Name = "Warehouse"
		return c
	}
	adopting := func(t *testing.T, srv *openhexatest.Server) *harness {
		return newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor,
			"workspace": openhexatest.WorkspaceMain, "adopt_identical": true})
	}
	// adopted checks the outcome of an adoption: state holds the holder, OpenHEXA
	// holds it alone, no create was sent, and the next plan changes nothing.
	adopted := func(t *testing.T, srv *openhexatest.Server, holder openhexatest.StoredConnection, inst *instance, diags []*tfprotov6.Diagnostic, config map[string]any) {
		t.Helper()
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		w := findDiag(diags, tfprotov6.DiagnosticSeverityWarning, "Existing connection adopted")
		if w == nil || !strings.Contains(w.Detail, holder.ID) {
			t.Errorf("no warning naming the adopted connection: %s", diagText(diags))
		}
		if got := inst.str(t, "id"); got != holder.ID {
			t.Errorf("state holds id %s, want the holder's %s", got, holder.ID)
		}
		if n := len(srv.AllConnections()); n != 1 || srv.RequestCount("CreateConnection") != 0 {
			t.Errorf("OpenHEXA holds %d connections after %d creates, want the holder alone", n, srv.RequestCount("CreateConnection"))
		}
		next := newHarness(t, srv, openhexatest.TokenEditor)
		refreshed := next.read(inst)
		c := next.plan(postgres.ResourceTypeName(), refreshed, config)
		if hasError(c.Diagnostics) || len(c.Diagnostics) > 0 {
			t.Errorf("the plan after adoption has diagnostics: %s", diagText(c.Diagnostics))
		}
		if !next.decodeState(postgres.ResourceTypeName(), c.resp.PlannedState).Equal(refreshed.State) {
			t.Errorf("the plan after adoption is not empty")
		}
	}

	t.Run("identical at plan", func(t *testing.T) {
		srv := openhexatest.Start(t)
		holder := srv.CreateStored(identical())
		h := adopting(t, srv)
		c := h.plan(postgres.ResourceTypeName(), nil, cfg)
		w := findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Existing connection will be adopted")
		if hasError(c.Diagnostics) || w == nil || !strings.Contains(w.Detail, "will adopt warehouse") || attrPath(w.Attribute) != "name" {
			t.Fatalf("want a warning on name that the plan will adopt warehouse: %s", diagText(c.Diagnostics))
		}
		inst, diags := h.apply(c)
		adopted(t, srv, holder, inst, diags, cfg)
	})
	t.Run("identical at apply", func(t *testing.T) {
		srv := openhexatest.Start(t)
		h := adopting(t, srv)
		c := h.plan(postgres.ResourceTypeName(), nil, cfg)
		holder := srv.CreateStored(identical()) // made after the plan
		inst, diags := h.apply(c)
		adopted(t, srv, holder, inst, diags, cfg)
	})
	t.Run("write-only secret", func(t *testing.T) {
		srv := openhexatest.Start(t)
		holder := srv.CreateStored(identical())
		woCfg := config("Warehouse", "", "", values)
		delete(woCfg, "password")
		woCfg["password_wo"] = values["password"]
		inst, diags := adopting(t, srv).tryCreate(postgres.ResourceTypeName(), woCfg)
		adopted(t, srv, holder, inst, diags, woCfg)
		assertNoSecretInState(t, postgres, inst)
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv("OPENHEXA_ADOPT_IDENTICAL", "true")
		srv := openhexatest.Start(t)
		holder := srv.CreateStored(identical())
		inst, diags := newHarness(t, srv, openhexatest.TokenEditor).tryCreate(postgres.ResourceTypeName(), cfg)
		adopted(t, srv, holder, inst, diags, cfg)
	})
	t.Run("known only at apply", func(t *testing.T) {
		srv := openhexatest.Start(t)
		custom := connection.KindByName("custom")
		held := storedFromSample(custom, "warehouse", kindSamples["custom"].create)
		held.Name = "Warehouse"
		srv.CreateStored(held)
		unknownFields := config("Warehouse", "", "", kindSamples["custom"].create)
		unknownFields["fields"] = unknown
		c := adopting(t, srv).plan(custom.ResourceTypeName(), nil, unknownFields)
		if hasError(c.Diagnostics) || findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Existing connection may be adopted") == nil {
			t.Errorf("want a warning that the apply decides: %s", diagText(c.Diagnostics))
		}
	})
	t.Run("off by default", func(t *testing.T) {
		srv := openhexatest.Start(t)
		srv.CreateStored(identical())
		_, diags := newHarness(t, srv, openhexatest.TokenEditor).tryCreate(postgres.ResourceTypeName(), cfg)
		wantError(t, diags, "Connection slug already in use", "name")
		if n := len(srv.AllConnections()); n != 1 || srv.RequestCount("CreateConnection") != 0 {
			t.Errorf("OpenHEXA holds %d connections after %d creates", n, srv.RequestCount("CreateConnection"))
		}
	})
	for _, tc := range []struct{ code, held, field string }{
		{"username", "someone-else", `field "username" (value)`},
		{"password", "held-secret-9", `field "password" (value)`},
	} {
		t.Run("refused: "+tc.code+" differs", func(t *testing.T) {
			for _, when := range []string{"plan", "apply"} {
				srv := openhexatest.Start(t)
				lookAlike := identical()
				lookAlike.Fields = withField(lookAlike.Fields, tc.code, tc.held)
				h := adopting(t, srv)
				var diags []*tfprotov6.Diagnostic
				if when == "plan" {
					srv.CreateStored(lookAlike)
					diags = h.plan(postgres.ResourceTypeName(), nil, cfg).Diagnostics
				} else {
					c := h.plan(postgres.ResourceTypeName(), nil, cfg)
					srv.CreateStored(lookAlike)
					var inst *instance
					inst, diags = h.apply(c)
					if !inst.State.IsNull() {
						t.Errorf("at apply: state holds %v", inst.State)
					}
				}
				d := wantError(t, diags, "Connection slug already in use", "name")
				if !strings.Contains(d.Detail, tc.field) || !strings.Contains(d.Detail, "adopt_identical` is on") {
					t.Errorf("at %s: the error does not name %s:\n%s", when, tc.field, d.Detail)
				}
				if tc.code == "password" && (strings.Contains(diagText(diags), tc.held) || strings.Contains(diagText(diags), sampleValue[string]("password", values["password"]))) {
					t.Errorf("at %s: a secret value is in the diagnostics:\n%s", when, diagText(diags))
				}
				held, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "warehouse")
				if n := len(srv.AllConnections()); n != 1 || !ok || srv.RequestCount("CreateConnection") != 0 {
					t.Errorf("at %s: OpenHEXA holds %d connections after %d creates", when, n, srv.RequestCount("CreateConnection"))
				}
				for _, f := range held.Fields {
					if f.Code == tc.code && f.Value != tc.held {
						t.Errorf("at %s: the look-alike's %s changed", when, tc.code)
					}
				}
			}
		})
	}
}

// TestIntegrityCreateRaceLeavesNoOrphan: the slug is taken between the free-slug
// check and the create, and the create's answer is lost: OpenHEXA stored this
// attempt under a suffixed slug. The provider finds that copy and deletes it, or,
// when it cannot, keeps it in state (tainted by the error); the message says which,
// and never "Nothing was created". OpenHEXA holds theirs and no untracked copy.
func TestIntegrityCreateRaceLeavesNoOrphan(t *testing.T) {
	for _, deleteFails := range []bool{false, true} {
		name := map[bool]string{false: "copy deleted", true: "copy kept tainted"}[deleteFails]
		t.Run(name, func(t *testing.T) {
			srv := openhexatest.Start(t)
			h := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor,
				"workspace": openhexatest.WorkspaceMain, "max_retries": 0})
			c := h.plan(postgres.ResourceTypeName(), nil, config("Warehouse", "", "", kindSamples["postgres"].create))
			if hasError(c.Diagnostics) {
				t.Fatal(diagText(c.Diagnostics))
			}
			var theirs openhexatest.StoredConnection
			lost := openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply, Before: func() {
				theirs = srv.CreateStored(storedFromSample(postgres, "warehouse", kindSamples["postgres"].update))
			}}
			srv.InjectFault("CreateConnection", lost)
			deleteFault := openhexatest.Fault{Kind: openhexatest.Fault500, Times: -1}
			if deleteFails {
				srv.InjectFault("DeleteConnection", deleteFault)
			}
			inst, diags := h.apply(c)
			mustHaveFired(t, srv, "CreateConnection", lost)
			d := wantError(t, diags, "Connection slug already in use", "name")
			if strings.Contains(d.Detail, "Nothing was created") || !strings.Contains(d.Detail, theirs.ID) {
				t.Errorf("the error must name theirs and not claim that nothing was created:\n%s", d.Detail)
			}
			// At apply as at plan, the remedies are blocks for either CLI.
			if !strings.Contains(d.Detail, `id = "`+openhexatest.WorkspaceMain+`/warehouse"`) || !strings.Contains(d.Detail, `"with" line`) {
				t.Errorf("the error lacks the import block:\n%s", d.Detail)
			}
			neverNamesOneCLI(t, d.Detail)
			all := srv.AllConnections()
			var copies []openhexatest.StoredConnection
			for _, held := range all {
				if held.ID != theirs.ID {
					copies = append(copies, held)
				}
			}
			if !deleteFails {
				mustHaveFired(t, srv, "DeleteConnection", openhexatest.Fault{})
				if len(copies) != 0 || !inst.State.IsNull() || !strings.Contains(d.Detail, "the provider deleted it") {
					t.Errorf("OpenHEXA holds copies %+v, state %v; want theirs alone and no state:\n%s", copies, inst.State, d.Detail)
				}
				return
			}
			mustHaveFired(t, srv, "DeleteConnection", deleteFault)
			if len(copies) != 1 || !suffixedSlug.MatchString(copies[0].Slug) {
				t.Fatalf("OpenHEXA holds %+v besides theirs, want this attempt's suffixed copy", copies)
			}
			if inst.State.IsNull() || inst.str(t, "id") != copies[0].ID || !strings.Contains(d.Detail, "tainted") {
				t.Errorf("the copy %s is not kept in state (%v) with a message saying so:\n%s", copies[0].ID, inst.State, d.Detail)
			}
		})
	}
}

// TestIntegrityPlanWarnsBeforeIdentifiersBreak: a planned slug change and a move to
// another workspace warn on the attribute, saying which identifier stops resolving
// where and how to keep it; a plan that keeps them warns nothing. A plan writes
// nothing; the apply of the slug change does what the warning said.
func TestIntegrityPlanWarnsBeforeIdentifiersBreak(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenAdmin)
	values := kindSamples["postgres"].create
	inst := h.create(postgres.ResourceTypeName(), config("Warehouse", "warehouse", "", values))
	id := inst.str(t, "id")

	if c := h.plan(postgres.ResourceTypeName(), inst, config("Warehouse renamed", "warehouse", "", values)); len(c.Diagnostics) > 0 {
		t.Errorf("a rename that keeps the slug warns: %s", diagText(c.Diagnostics))
	}

	moved := config("Warehouse", "warehouse", "", values)
	moved["workspace"] = openhexatest.WorkspaceOther
	c := h.plan(postgres.ResourceTypeName(), inst, moved)
	w := findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Connection will move to another workspace")
	if w == nil || attrPath(w.Attribute) != "workspace" {
		t.Fatalf("no warning on workspace: %s", diagText(c.Diagnostics))
	}
	for _, want := range []string{id, `"` + openhexatest.WorkspaceMain + `"`, `"` + openhexatest.WorkspaceOther + `"`,
		"workspace.postgresql_connection(\"warehouse\")", "WAREHOUSE_*", "`workspace = \"" + openhexatest.WorkspaceMain + "\"`"} {
		if !strings.Contains(w.Detail, want) {
			t.Errorf("the workspace warning lacks %q:\n%s", want, w.Detail)
		}
	}

	c = h.plan(postgres.ResourceTypeName(), inst, config("Warehouse", "warehouse-v2", "", values))
	w = findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Connection slug will change")
	if w == nil || attrPath(w.Attribute) != "slug" {
		t.Fatalf("no warning on slug: %s", diagText(c.Diagnostics))
	}
	for _, want := range []string{`"warehouse" no longer resolves in workspace "` + openhexatest.WorkspaceMain + `"`,
		"WAREHOUSE_*", `"warehouse-v2" (variables WAREHOUSE_V2_*)`, "`slug = \"warehouse\"`"} {
		if !strings.Contains(w.Detail, want) {
			t.Errorf("the slug warning lacks %q:\n%s", want, w.Detail)
		}
	}
	if held, ok := srv.Connection(id); !ok || held.Slug != "warehouse" || held.Workspace != openhexatest.WorkspaceMain {
		t.Fatalf("planning changed OpenHEXA: %+v", held)
	}
	after, diags := h.apply(c)
	if hasError(diags) {
		t.Fatal(diagText(diags))
	}
	if held, ok := srv.Connection(id); !ok || held.Slug != "warehouse-v2" || after.str(t, "slug") != "warehouse-v2" {
		t.Errorf("after the apply OpenHEXA holds %+v, state slug %s", held, after.str(t, "slug"))
	}
	if _, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "warehouse"); ok {
		t.Error("the old slug still resolves")
	}
}
