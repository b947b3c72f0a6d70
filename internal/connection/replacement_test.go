package connection_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Protocol-level proofs of issue 25's engine rules (replacement.go, slug_change.go,
// slug_taken.go, race.go); the CLI-driven tests of each case are in
// replacement_cli_test.go.

// planReplacement plans a replacement of prior as both CLIs do: with the prior state
// (the plan asks for the replacement, or the CLI forces it), then the create half
// with a null prior state and the private state the first call planned, which it
// returns.
func (h *harness) planReplacement(prior *instance, config map[string]any) *change {
	h.t.Helper()
	first := h.plan(prior.TypeName, prior, config)
	if hasError(first.Diagnostics) {
		h.t.Fatalf("the first plan of the replacement failed: %s", diagText(first.Diagnostics))
	}
	null := tftypes.NewValue(prior.State.Type(), nil)
	return h.plan(prior.TypeName, &instance{TypeName: prior.TypeName, State: null, Private: first.resp.PlannedPrivate}, config)
}

// applyDeleteHalf applies the delete half of a planned replacement as both CLIs do:
// a null planned state and configuration, and the create half's planned private
// state (the change's private data).
func (h *harness) applyDeleteHalf(prior *instance, createHalf *change) []*tfprotov6.Diagnostic {
	h.t.Helper()
	null := tftypes.NewValue(prior.State.Type(), nil)
	resp, err := h.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: prior.TypeName, PriorState: toDynamic(h.t, prior.State), PlannedState: toDynamic(h.t, null),
		Config: toDynamic(h.t, null), PlannedPrivate: createHalf.resp.PlannedPrivate,
	})
	if err != nil {
		h.t.Fatalf("ApplyResourceChange: %v", err)
	}
	if !hasError(resp.Diagnostics) && !h.decodeState(prior.TypeName, resp.NewState).IsNull() {
		h.t.Errorf("the delete half of %s left a state", prior.TypeName)
	}
	return resp.Diagnostics
}

// TestReplacementDeleteChecksItsCreateCanFollow: the delete half of a replacement
// (delete first) deletes only once its create half can follow: the target slug free
// (or held by the connection being deleted) and the token allowed to create in the
// target workspace. Otherwise it refuses naming what stands in the way, and OpenHEXA
// and state keep the connection.
func TestReplacementDeleteChecksItsCreateCanFollow(t *testing.T) {
	values := kindSamples["postgres"].create
	typeName := postgres.ResourceTypeName()
	moved := func() map[string]any {
		cfg := config("Warehouse", "warehouse", "", values)
		cfg["workspace"] = openhexatest.WorkspaceOther
		return cfg
	}

	t.Run("move to a free slug", func(t *testing.T) {
		srv := openhexatest.Start(t)
		inst := newHarness(t, srv, openhexatest.TokenAdmin).create(typeName, config("Warehouse", "warehouse", "", values))
		h := newHarness(t, srv, openhexatest.TokenAdmin)
		createHalf := h.planReplacement(inst, moved())
		if hasError(createHalf.Diagnostics) {
			t.Fatal(diagText(createHalf.Diagnostics))
		}
		if diags := h.applyDeleteHalf(inst, createHalf); hasError(diags) {
			t.Fatal(diagText(diags))
		}
		created, diags := h.apply(createHalf)
		if hasError(diags) {
			t.Fatal(diagText(diags))
		}
		if _, ok := srv.Connection(inst.str(t, "id")); ok {
			t.Error("the old connection is still in OpenHEXA")
		}
		if held, ok := srv.ConnectionBySlug(openhexatest.WorkspaceOther, "warehouse"); !ok || held.ID != created.str(t, "id") {
			t.Errorf("%s holds %+v, want the new connection", openhexatest.WorkspaceOther, held)
		}
	})

	t.Run("replaced in place, same slug", func(t *testing.T) {
		srv := openhexatest.Start(t)
		cfg := config("Warehouse", "warehouse", "", values)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(typeName, cfg)
		h := newHarness(t, srv, openhexatest.TokenEditor)
		createHalf := h.planReplacement(inst, cfg)
		if diags := h.applyDeleteHalf(inst, createHalf); hasError(diags) {
			t.Fatalf("the slug its own connection holds stopped the delete: %s", diagText(diags))
		}
		if _, diags := h.apply(createHalf); hasError(diags) {
			t.Fatal(diagText(diags))
		}
	})

	refused := func(t *testing.T, srv *openhexatest.Server, h *harness, inst *instance, createHalf *change, wants ...string) {
		t.Helper()
		diags := h.applyDeleteHalf(inst, createHalf)
		d := wantError(t, diags, "Connection not deleted: its replacement could not be created", "")
		for _, want := range append(wants, inst.str(t, "id"), "nothing was deleted") {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("the refusal lacks %q:\n%s", want, d.Detail)
			}
		}
		if held, ok := srv.Connection(inst.str(t, "id")); !ok || held.Workspace != openhexatest.WorkspaceMain {
			t.Fatalf("the connection left OpenHEXA or its workspace: %+v", held)
		}
	}

	t.Run("target slug taken since the plan", func(t *testing.T) {
		srv := openhexatest.Start(t)
		inst := newHarness(t, srv, openhexatest.TokenAdmin).create(typeName, config("Warehouse", "warehouse", "", values))
		h := newHarness(t, srv, openhexatest.TokenAdmin)
		createHalf := h.planReplacement(inst, moved())
		theirs := storedFromSample(postgres, "warehouse", values)
		theirs.Workspace = openhexatest.WorkspaceOther
		theirs = srv.CreateStored(theirs)
		refused(t, srv, h, inst, createHalf, theirs.ID, `"warehouse"`, `"`+openhexatest.WorkspaceOther+`"`)
	})

	t.Run("token may no longer create in the target", func(t *testing.T) {
		srv := openhexatest.Start(t)
		srv.AddMember(openhexatest.WorkspaceOther, openhexatest.TokenEditor, openhexatest.RoleEditor)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(typeName, config("Warehouse", "warehouse", "", values))
		h := newHarness(t, srv, openhexatest.TokenEditor)
		createHalf := h.planReplacement(inst, moved())
		if hasError(createHalf.Diagnostics) {
			t.Fatal(diagText(createHalf.Diagnostics))
		}
		srv.AddMember(openhexatest.WorkspaceOther, openhexatest.TokenEditor, openhexatest.RoleViewer)
		refused(t, srv, h, inst, createHalf, openhexatest.EmailEditor, "may not create connections")
		srv.AddMember(openhexatest.WorkspaceOther, openhexatest.TokenEditor, "")
		refused(t, srv, h, inst, createHalf, openhexatest.EmailEditor, "not visible")
	})

	t.Run("a plain destroy checks nothing", func(t *testing.T) {
		srv := openhexatest.Start(t)
		inst := newHarness(t, srv, openhexatest.TokenAdmin).create(typeName, config("Warehouse", "warehouse", "", values))
		h := newHarness(t, srv, openhexatest.TokenAdmin)
		h.planReplacement(inst, moved()) // planned, never applied: its note is in no state
		srv.ResetRequests()
		h.destroy(inst)
		if n := srv.RequestCount("GetWorkspace") + srv.RequestCount("GetConnectionBySlug"); n != 0 {
			t.Errorf("a destroy sent %d checks meant for replacements", n)
		}
	})
}

// TestReplacementKeepsWhatItsCreateAdopted: with create_before_destroy, the create
// of a replacement runs first; when it adopts the connection of the old object
// (adopt_identical), the delete of the old object that follows in the same apply
// leaves the connection in OpenHEXA, with a warning naming it. A delete in a later
// run deletes as before.
func TestReplacementKeepsWhatItsCreateAdopted(t *testing.T) {
	srv := openhexatest.Start(t)
	values := kindSamples["postgres"].create
	cfg := config("Warehouse", "warehouse", "", values)
	inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(), cfg)
	id := inst.str(t, "id")

	// The apply of a create_before_destroy replacement: the CLI plans the create with
	// no trace of the old object, applies it, then plans and applies the old object's
	// destroy.
	apply := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor,
		"workspace": openhexatest.WorkspaceMain, "adopt_identical": true})
	created, diags := apply.tryCreate(postgres.ResourceTypeName(), cfg)
	if hasError(diags) || created.str(t, "id") != id {
		t.Fatalf("the create did not adopt %s: %s", id, diagText(diags))
	}
	diags = apply.tryDestroy(inst)
	if hasError(diags) {
		t.Fatal(diagText(diags))
	}
	w := findDiag(diags, tfprotov6.DiagnosticSeverityWarning, "Connection kept")
	if w == nil || !strings.Contains(w.Detail, id) || !strings.Contains(w.Detail, `"warehouse"`) {
		t.Errorf("no warning naming the kept connection: %s", diagText(diags))
	}
	if _, ok := srv.Connection(id); !ok {
		t.Fatal("the delete of the old object deleted the connection its replacement adopted")
	}
	if n := srv.RequestCount("DeleteConnection"); n != 0 {
		t.Errorf("%d deletes sent", n)
	}
	// Another run (another provider process) deletes it when asked.
	newHarness(t, srv, openhexatest.TokenEditor).destroy(created)
	if _, ok := srv.Connection(id); ok {
		t.Error("a later destroy kept the connection")
	}
}

// TestReplacementSlugTakenAdvice: the slug-taken error says, when the holder may be
// the resource's own old object (same type and name), why a replacement cannot
// create the new object first and what to do, and offers adopt_identical only for a
// connection that is no object of the resource; at plan it says that a destroy stops
// on it too and that `destroy -refresh=false` is safe.
func TestReplacementSlugTakenAdvice(t *testing.T) {
	values := kindSamples["postgres"].create
	ownOld := []string{"create_before_destroy", "another slug", "-replace=<address>", "untaint <address>",
		"state rm <address>", "`adopt_identical` is no way out", "no object of this resource"}
	for _, tc := range []struct {
		name, holderName string
		want, never      []string
	}{
		{"maybe its own old object", "Warehouse", ownOld, nil},
		{"another's", "Made in the web app", []string{"adopt_identical = true"}, ownOld[:1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := openhexatest.Start(t)
			holder := storedFromSample(postgres, "warehouse", values)
			holder.Name = tc.holderName
			srv.CreateStored(holder)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			c := h.plan(postgres.ResourceTypeName(), nil, config("Warehouse", "warehouse", "", values))
			d := wantError(t, c.Diagnostics, "Connection slug already in use", "slug")
			for _, want := range append(tc.want, "`destroy -refresh=false`", "is safe") {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("at plan the error lacks %q:\n%s", want, d.Detail)
				}
			}
			for _, never := range tc.never {
				if strings.Contains(d.Detail, never) {
					t.Errorf("at plan the error says %q:\n%s", never, d.Detail)
				}
			}
			// At apply (the slug taken after the plan) no destroy is concerned.
			srv.DeleteStored(srv.AllConnections()[0].ID)
			c = newHarness(t, srv, openhexatest.TokenEditor).plan(postgres.ResourceTypeName(), nil, config("Warehouse", "warehouse", "", values))
			srv.CreateStored(holder)
			_, diags := h.apply(c)
			d = wantError(t, diags, "Connection slug already in use", "slug")
			if strings.Contains(d.Detail, "destroy -refresh=false") {
				t.Errorf("at apply the error speaks of destroy:\n%s", d.Detail)
			}
		})
	}
}

// TestSlugChangeRefusedAtPlanAndSentAlone: an update to a slug OpenHEXA holds fails
// at plan (from the run's listing), naming the holder; two resources of one run that
// would end with one slug fail too, and so does a create that would adopt a
// connection another resource of the run manages. At apply a slug change goes alone,
// before the fields: a refusal saves none of the update.
func TestSlugChangeRefusedAtPlanAndSentAlone(t *testing.T) {
	values, updated := kindSamples["postgres"].create, kindSamples["postgres"].update
	typeName := postgres.ResourceTypeName()

	t.Run("taken at plan", func(t *testing.T) {
		srv := openhexatest.Start(t)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(typeName, config("Warehouse", "warehouse", "", values))
		holder := srv.CreateStored(storedFromSample(postgres, "taken", values))
		srv.ResetRequests()
		c := newHarness(t, srv, openhexatest.TokenEditor).plan(typeName, inst, config("Warehouse", "taken", "", updated))
		d := wantError(t, c.Diagnostics, "Connection slug already in use", "slug")
		for _, want := range []string{holder.ID, `"taken"`, `"warehouse"`} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("the error lacks %q:\n%s", want, d.Detail)
			}
		}
		if n := srv.RequestCount("ListWorkspaceConnectionSummaries"); n != 1 {
			t.Errorf("the plan sent %d listings, want the one a refresh reads", n)
		}
	})

	t.Run("one slug for two resources", func(t *testing.T) {
		srv := openhexatest.Start(t)
		setup := newHarness(t, srv, openhexatest.TokenEditor)
		a := setup.create(typeName, config("A", "a", "", values))
		b := setup.create(typeName, config("B", "b", "", values))
		h := newHarness(t, srv, openhexatest.TokenEditor)
		if c := h.plan(typeName, a, config("A", "shared", "", values)); hasError(c.Diagnostics) {
			t.Fatal(diagText(c.Diagnostics))
		}
		wantError(t, h.plan(typeName, b, config("B", "shared", "", values)).Diagnostics, "Connection slug planned twice", "slug")

		// A create that would adopt a connection another resource of the run manages.
		adopting := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor,
			"workspace": openhexatest.WorkspaceMain, "adopt_identical": true})
		if c := adopting.plan(typeName, a, config("A", "a", "", values)); hasError(c.Diagnostics) {
			t.Fatal(diagText(c.Diagnostics))
		}
		wantError(t, adopting.plan(typeName, nil, config("A", "a", "", values)).Diagnostics, "Connection slug planned twice", "slug")
	})

	t.Run("refused at apply, nothing saved", func(t *testing.T) {
		srv := openhexatest.Start(t)
		h := newHarness(t, srv, openhexatest.TokenEditor)
		inst := h.create(typeName, config("Warehouse", "warehouse", "", values))
		before, _ := srv.Connection(inst.str(t, "id"))
		c := h.plan(typeName, inst, config("Warehouse renamed", "later", "", updated))
		if hasError(c.Diagnostics) {
			t.Fatal(diagText(c.Diagnostics))
		}
		srv.CreateStored(storedFromSample(postgres, "later", values))
		srv.ResetRequests()
		after, diags := h.apply(c)
		wantError(t, diags, "Connection slug already in use", "slug")
		updates := requestsOf(srv, "UpdateConnection")
		if len(updates) != 1 || hasFieldsInput(updates[0]) {
			t.Errorf("sent %d updates (the first with fields: %v), want the slug change alone", len(updates), len(updates) > 0 && hasFieldsInput(updates[0]))
		}
		now, _ := srv.Connection(inst.str(t, "id"))
		if now.Name != before.Name || now.Slug != before.Slug || !now.UpdatedAt.Equal(before.UpdatedAt) || sameFields(before, now) != "" {
			t.Errorf("the refused update saved something: %+v, was %+v", now, before)
		}
		wantState(t, after, map[string]any{"name": "Warehouse", "slug": "warehouse"})
	})

	t.Run("accepted at apply: slug, then fields", func(t *testing.T) {
		srv := openhexatest.Start(t)
		h := newHarness(t, srv, openhexatest.TokenEditor)
		inst := h.create(typeName, config("Warehouse", "warehouse", "", values))
		srv.ResetRequests()
		after := h.update(inst, config("Warehouse renamed", "renamed", "", updated))
		updates := requestsOf(srv, "UpdateConnection")
		if len(updates) != 2 || hasFieldsInput(updates[0]) || !hasFieldsInput(updates[1]) {
			t.Fatalf("sent %d updates, want the slug change alone, then the fields", len(updates))
		}
		wantState(t, after, map[string]any{"name": "Warehouse renamed", "slug": "renamed"})
		wantState(t, after, updated)
		// A slug change alone is one request.
		srv.ResetRequests()
		h.update(after, config("Warehouse renamed", "renamed-again", "", updated))
		if n := srv.RequestCount("UpdateConnection"); n != 1 {
			t.Errorf("a slug change alone sent %d updates", n)
		}
	})
}

// requestsOf returns the recorded requests of one operation.
func requestsOf(srv *openhexatest.Server, op string) []openhexatest.RecordedRequest {
	var out []openhexatest.RecordedRequest
	for _, r := range srv.Requests() {
		if r.OperationName == op {
			out = append(out, r)
		}
	}
	return out
}

// hasFieldsInput reports whether an update request sent `fields`.
func hasFieldsInput(r openhexatest.RecordedRequest) bool {
	input, _ := r.Variables["input"].(map[string]any)
	_, ok := input["fields"]
	return ok
}

// TestReconcileAdoptsOnlyItsOwnCopy: after a create whose answer is lost, a holder of
// the slug with the content sent is this attempt's only when it was created no
// earlier than the attempt began (by the server's clock) and no copy of the attempt
// sits under a suffixed slug; otherwise it is someone else's: reported, never
// adopted, and this attempt's copy, if any, deleted.
func TestReconcileAdoptsOnlyItsOwnCopy(t *testing.T) {
	values := kindSamples["postgres"].create
	cfg := config("Warehouse", "warehouse", "", values)
	same := func(slug string) openhexatest.StoredConnection {
		c := storedFromSample(postgres, slug, values)
		c.Name = "Warehouse"
		return c
	}

	t.Run("made at the same moment by another client", func(t *testing.T) {
		srv := openhexatest.Start(t)
		var theirs openhexatest.StoredConnection
		lost := openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply, Before: func() { theirs = srv.CreateStored(same("warehouse")) }}
		srv.InjectFault("CreateConnection", lost)
		inst, diags := newHarness(t, srv, openhexatest.TokenEditor).tryCreate(postgres.ResourceTypeName(), cfg)
		mustHaveFired(t, srv, "CreateConnection", lost)
		d := wantError(t, diags, "Connection slug already in use", "slug")
		if !strings.Contains(d.Detail, theirs.ID) || !strings.Contains(d.Detail, "the provider deleted it") {
			t.Errorf("the error must name theirs and the copy deleted:\n%s", d.Detail)
		}
		if all := srv.AllConnections(); len(all) != 1 || all[0].ID != theirs.ID || inst != nil && !inst.State.IsNull() {
			t.Errorf("OpenHEXA holds %+v, want theirs alone, and no state", all)
		}
	})

	t.Run("renamed into the slug, older than the attempt", func(t *testing.T) {
		srv := openhexatest.Start(t)
		older := same("elsewhere")
		older.CreatedAt = time.Now().Add(-time.Hour)
		older = srv.CreateStored(older)
		lost := openhexatest.Fault{Kind: openhexatest.FaultDropBeforeApply, Before: func() {
			srv.ModifyStored(older.ID, func(c *openhexatest.StoredConnection) { c.Slug = "warehouse" })
		}}
		srv.InjectFault("CreateConnection", lost)
		_, diags := newHarness(t, srv, openhexatest.TokenEditor).tryCreate(postgres.ResourceTypeName(), cfg)
		mustHaveFired(t, srv, "CreateConnection", lost)
		d := wantError(t, diags, "Connection slug already in use", "slug")
		if !strings.Contains(d.Detail, older.ID) {
			t.Errorf("the error does not name the renamed connection:\n%s", d.Detail)
		}
		if all := srv.AllConnections(); len(all) != 1 || all[0].ID != older.ID {
			t.Errorf("OpenHEXA holds %+v, want the renamed one alone", all)
		}
	})

	t.Run("its own, alone", func(t *testing.T) {
		srv := openhexatest.Start(t)
		lost := openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply}
		srv.InjectFault("CreateConnection", lost)
		inst := newHarness(t, srv, openhexatest.TokenEditor).create(postgres.ResourceTypeName(), cfg)
		mustHaveFired(t, srv, "CreateConnection", lost)
		if all := srv.AllConnections(); len(all) != 1 || inst.str(t, "id") != all[0].ID {
			t.Errorf("want its own connection adopted; OpenHEXA holds %+v", all)
		}
	})
}
