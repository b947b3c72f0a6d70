package connection_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// faultStatus is the status a fault leaves in the request log; -1 for the faults that
// answer 200 (a delay, a top-level GraphQL error).
func faultStatus(k openhexatest.FaultKind) int {
	switch k {
	case openhexatest.Fault429:
		return 429
	case openhexatest.Fault500:
		return 500
	case openhexatest.Fault502:
		return 502
	case openhexatest.Fault503:
		return 503
	case openhexatest.FaultDropBeforeApply, openhexatest.FaultDropAfterApply:
		return openhexatest.StatusDropped
	}
	return -1
}

// faultFired checks, from the request log since the fault was injected, that the fault
// hit a request of op: a status fault or a drop left its status there. A delay or a
// top-level error answers 200, so for them the evidence is that op was requested at
// all: the server applies a pending fault to the next request of its operation.
// Callers that can tell more (elapsed time, the re-send an error causes) check it too.
func faultFired(srv *openhexatest.Server, op string, f openhexatest.Fault) error {
	want := faultStatus(f.Kind)
	seen := 0
	for _, r := range srv.Requests() {
		if r.OperationName != op {
			continue
		}
		seen++
		if want < 0 || r.Status == want {
			return nil
		}
	}
	if want < 0 {
		return fmt.Errorf("no %s request since the fault was injected: it cannot have fired", op)
	}
	return fmt.Errorf("none of the %d %s requests has status %d: the injected fault did not fire", seen, op, want)
}

// faultCase is one fault and how many times the engine (client retries included)
// sends the mutation it hits before it succeeds.
type faultCase struct {
	name          string
	fault         openhexatest.Fault
	creates       int // CreateConnection requests when the fault hits the create
	updates       int // UpdateConnection requests when the fault hits the update
	deletes       int // DeleteConnection requests when the fault hits the delete
	listings      int // ListWorkspaceConnections requests when the fault hits a refresh
	readFails     bool
	minimumLength time.Duration
}

// faultCases covers every FaultKind the test server has.
var faultCases = []faultCase{
	// Refused before any work: the client waits Retry-After and sends again.
	{name: "429", fault: openhexatest.Fault{Kind: openhexatest.Fault429, RetryAfter: time.Second}, creates: 2, updates: 2, deletes: 2, listings: 2},
	// A 5xx may follow an applied mutation: the create is looked up by its slug and
	// sent again since it is not there; the update is compared with the server and
	// sent again; the delete is looked up and sent again (502 and 503 the client
	// already retries for a delete). Reads are simply retried.
	{name: "500", fault: openhexatest.Fault{Kind: openhexatest.Fault500}, creates: 2, updates: 2, deletes: 2, listings: 2},
	{name: "502", fault: openhexatest.Fault{Kind: openhexatest.Fault502}, creates: 2, updates: 2, deletes: 2, listings: 2},
	{name: "503", fault: openhexatest.Fault{Kind: openhexatest.Fault503}, creates: 2, updates: 2, deletes: 2, listings: 2},
	{name: "delay", fault: openhexatest.Fault{Kind: openhexatest.FaultDelay, Delay: 50 * time.Millisecond}, creates: 1, updates: 1, deletes: 1, listings: 1,
		minimumLength: 50 * time.Millisecond},
	{name: "drop before apply", fault: openhexatest.Fault{Kind: openhexatest.FaultDropBeforeApply}, creates: 2, updates: 2, deletes: 2, listings: 2},
	// Applied, then the answer lost: the create is found under its slug, made by
	// this attempt (the slug was free just before), and adopted; the update is found
	// on the server and not sent again; the delete is sent again and its NOT_FOUND
	// means done.
	{name: "drop after apply", fault: openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply}, creates: 1, updates: 1, deletes: 2, listings: 2},
	// A top-level error is not retried for a read: the refresh fails, state is kept.
	{name: "top-level error", fault: openhexatest.Fault{Kind: openhexatest.FaultGraphQLError}, creates: 2, updates: 2, deletes: 2, listings: 1,
		readFails: true},
}

// TestProtocolFaultDuringCreate injects every fault into the create of every kind:
// the server ends with the one connection, in state, and the fault fired.
func TestProtocolFaultDuringCreate(t *testing.T) {
	for _, fc := range faultCases {
		for _, kind := range connection.Kinds {
			t.Run(fc.name+"/"+kind.Name, func(t *testing.T) {
				t.Parallel()
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenEditor)
				samples := kindSamples[kind.Name]
				srv.InjectFault("CreateConnection", fc.fault)
				inst := h.create(kind.ResourceTypeName(), config("Faulty", "", "", samples.create))
				if err := faultFired(srv, "CreateConnection", fc.fault); err != nil {
					t.Fatal(err)
				}
				if n := srv.RequestCount("CreateConnection"); n != fc.creates {
					t.Errorf("CreateConnection sent %d times, want %d", n, fc.creates)
				}
				if err := serverHolds(srv, kind, "Faulty", "faulty", samples.create)(nil); err != nil {
					t.Fatal(err)
				}
				if stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "faulty"); stored.ID != inst.str(t, "id") {
					t.Errorf("state holds %s, the server %s", inst.str(t, "id"), stored.ID)
				}
			})
		}
	}
}

// TestProtocolFaultDuringRead injects every fault into the listing a refresh reads,
// both of them: without fields (the connection unchanged since it was written) and
// with fields (full_refresh, as for a changed connection): the refresh succeeds
// after retries, or fails and keeps state; never an absence.
func TestProtocolFaultDuringRead(t *testing.T) {
	listings := []struct {
		op          string
		fullRefresh bool
	}{
		{"ListWorkspaceConnectionSummaries", false},
		{"ListWorkspaceConnections", true},
	}
	for _, listing := range listings {
		for _, fc := range faultCases {
			t.Run(listing.op+"/"+fc.name, func(t *testing.T) {
				t.Parallel()
				srv := openhexatest.Start(t)
				kind := connection.KindByName("postgres")
				inst := newHarness(t, srv, openhexatest.TokenEditor).create(kind.ResourceTypeName(), config("Faulty", "", "", kindSamples[kind.Name].create))

				srv.ResetRequests()
				srv.InjectFault(listing.op, fc.fault)
				reader := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor,
					"workspace": openhexatest.WorkspaceMain, "full_refresh": listing.fullRefresh})
				after, diags := reader.tryRead(inst)
				if err := faultFired(srv, listing.op, fc.fault); err != nil {
					t.Fatal(err)
				}
				if n := srv.RequestCount(listing.op); n != fc.listings {
					t.Errorf("%s sent %d times, want %d", listing.op, n, fc.listings)
				}
				if total := srv.RequestCount("ListWorkspaceConnectionSummaries") + srv.RequestCount("ListWorkspaceConnections"); total != fc.listings {
					t.Errorf("%d listings sent, want %d, all of %s", total, fc.listings, listing.op)
				}
				if hasError(diags) != fc.readFails {
					t.Fatalf("read failed: %v, want %v: %s", hasError(diags), fc.readFails, diagText(diags))
				}
				if !after.State.Equal(inst.State) {
					t.Fatalf("the read changed state: %v", after.State)
				}
			})
		}
	}
}

// TestProtocolFaultDuringUpdate injects every fault into the update of every kind:
// the update ends applied once, state equal to the server, and the fault fired.
func TestProtocolFaultDuringUpdate(t *testing.T) {
	for _, fc := range faultCases {
		for _, kind := range connection.Kinds {
			t.Run(fc.name+"/"+kind.Name, func(t *testing.T) {
				t.Parallel()
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenEditor)
				samples := kindSamples[kind.Name]
				inst := h.create(kind.ResourceTypeName(), config("Faulty", "faulty", "", samples.create))

				srv.ResetRequests()
				srv.InjectFault("UpdateConnection", fc.fault)
				started := time.Now()
				updated := h.update(inst, config("Faulty 2", "faulty", "", samples.update))
				elapsed := time.Since(started)

				if err := faultFired(srv, "UpdateConnection", fc.fault); err != nil {
					t.Fatal(err)
				}
				if elapsed < fc.minimumLength {
					t.Errorf("the update took %s; the injected delay is %s", elapsed, fc.minimumLength)
				}
				if n := srv.RequestCount("UpdateConnection"); n != fc.updates {
					t.Errorf("UpdateConnection sent %d times, want %d", n, fc.updates)
				}
				if err := serverHolds(srv, kind, "Faulty 2", "faulty", samples.update)(nil); err != nil {
					t.Fatal(err)
				}
				wantState(t, updated, map[string]any{"name": "Faulty 2"})
				wantState(t, updated, samples.update)
				if stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "faulty"); updated.str(t, "updated_at") == inst.str(t, "updated_at") || stored.ID != updated.str(t, "id") {
					t.Errorf("state does not hold the updated connection")
				}
			})
		}
	}
}

// TestProtocolFaultDuringDelete injects every fault into the delete: the connection
// ends deleted, without error, and the fault fired.
func TestProtocolFaultDuringDelete(t *testing.T) {
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			kind := connection.KindByName("postgres")
			inst := h.create(kind.ResourceTypeName(), config("Faulty", "faulty", "", kindSamples[kind.Name].create))

			srv.ResetRequests()
			srv.InjectFault("DeleteConnection", fc.fault)
			started := time.Now()
			h.destroy(inst)
			elapsed := time.Since(started)

			if err := faultFired(srv, "DeleteConnection", fc.fault); err != nil {
				t.Fatal(err)
			}
			if elapsed < fc.minimumLength {
				t.Errorf("the delete took %s; the injected delay is %s", elapsed, fc.minimumLength)
			}
			if n := srv.RequestCount("DeleteConnection"); n != fc.deletes {
				t.Errorf("DeleteConnection sent %d times, want %d", n, fc.deletes)
			}
			if n := len(srv.AllConnections()); n != 0 {
				t.Errorf("the server holds %d connections after destroy", n)
			}
		})
	}
}

// TestProtocolUpdateFailureRecordsTheServer: an update that fails for good (a 500 on
// the update and on its re-send) is an error, and state is what the server holds,
// since updates are not atomic on the server.
func TestProtocolUpdateFailureRecordsTheServer(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	kind := connection.KindByName("postgres")
	samples := kindSamples[kind.Name]
	inst := h.create(kind.ResourceTypeName(), config("Stable", "stable", "", samples.create))

	srv.ResetRequests()
	fault := openhexatest.Fault{Kind: openhexatest.Fault500, Times: 2}
	srv.InjectFault("UpdateConnection", fault)
	after, diags := h.tryUpdate(inst, config("Changed", "stable", "", samples.update))
	if err := faultFired(srv, "UpdateConnection", fault); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount("UpdateConnection"); n != 2 {
		t.Errorf("UpdateConnection sent %d times, want 2 (the update, then its re-send)", n)
	}
	d := wantError(t, diags, "Cannot update openhexa_postgres_connection", "")
	if d.Detail == "" {
		t.Error("the error does not say what failed")
	}
	// The server still holds the first values; state says so.
	wantState(t, after, map[string]any{"name": "Stable", "slug": "stable"})
	wantState(t, after, samples.create)
}

// TestProtocolUpdateRefusedRecordsTheServer: an update the server refuses (the slug is
// taken) is not re-sent, and state keeps what the server holds.
func TestProtocolUpdateRefusedRecordsTheServer(t *testing.T) {
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenEditor)
	kind := connection.KindByName("dhis2")
	samples := kindSamples[kind.Name]
	srv.CreateStored(storedFromSample(kind, "taken", samples.create))
	inst := h.create(kind.ResourceTypeName(), config("Mine", "mine", "", samples.create))

	srv.ResetRequests()
	after, diags := h.tryUpdate(inst, config("Mine", "taken", "", samples.create))
	wantError(t, diags, "Connection slug already in use", "slug")
	if n := srv.RequestCount("UpdateConnection"); n != 1 {
		t.Errorf("UpdateConnection sent %d times, want 1: a refusal is not ambiguous", n)
	}
	wantState(t, after, map[string]any{"slug": "mine", "name": "Mine"})
}

// TestProtocolDeleteFailure: a delete that keeps failing is an error after one
// look-up and one re-send; a delete the token may not make is an error at once.
func TestProtocolDeleteFailure(t *testing.T) {
	srv := openhexatest.Start(t)
	editor := newHarness(t, srv, openhexatest.TokenEditor)
	kind := connection.KindByName("iaso")
	inst := editor.create(kind.ResourceTypeName(), config("Kept", "kept", "", kindSamples[kind.Name].create))

	t.Run("fault on every attempt", func(t *testing.T) {
		srv.ResetRequests()
		fault := openhexatest.Fault{Kind: openhexatest.Fault500, Times: 2}
		srv.InjectFault("DeleteConnection", fault)
		wantError(t, editor.tryDestroy(inst), "Cannot delete openhexa_iaso_connection", "")
		if err := faultFired(srv, "DeleteConnection", fault); err != nil {
			t.Fatal(err)
		}
		if n, looked := srv.RequestCount("DeleteConnection"), srv.RequestCount("GetConnection"); n != 2 || looked != 1 {
			t.Errorf("DeleteConnection sent %d times and GetConnection %d; want 2 and 1", n, looked)
		}
	})
	t.Run("viewer", func(t *testing.T) {
		srv.ResetRequests()
		viewer := newHarness(t, srv, openhexatest.TokenViewer)
		wantError(t, viewer.tryDestroy(inst), "Cannot delete openhexa_iaso_connection", "")
		if n := srv.RequestCount("DeleteConnection"); n != 1 {
			t.Errorf("DeleteConnection sent %d times, want 1", n)
		}
	})
	if n := len(srv.AllConnections()); n != 1 {
		t.Errorf("the server holds %d connections, want the one that could not be deleted", n)
	}
}
