package connection_test

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// config is a resource configuration: the common attributes and a sample's values.
// An empty slug or description is left out.
func config(name, slug, description string, values sample) map[string]any {
	out := map[string]any{"name": name}
	if slug != "" {
		out["slug"] = slug
	}
	if description != "" {
		out["description"] = description
	}
	for k, v := range values {
		out[k] = v
	}
	return out
}

// wantState fails the test unless every attribute of want has that value in state
// (nil: null).
func wantState(t *testing.T, inst *instance, want map[string]any) {
	t.Helper()
	for _, name := range sample(want).names() {
		if got := inst.get(t, name); !reflect.DeepEqual(got, want[name]) {
			t.Errorf("%s: %s = %#v, want %#v", inst.TypeName, name, got, want[name])
		}
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestProtocolLifecycle creates, refreshes, updates every attribute of, and destroys a
// connection of every kind, checking state, identity and the server at each step.
func TestProtocolLifecycle(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			samples := kindSamples[kind.Name]

			inst := h.create(kind.ResourceTypeName(), config("Lifecycle", "lifecycle", "first", samples.create))
			if err := serverHolds(srv, kind, "Lifecycle", "lifecycle", samples.create)(nil); err != nil {
				t.Fatal(err)
			}
			stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "lifecycle")
			wantState(t, inst, map[string]any{
				"id": stored.ID, "workspace": openhexatest.WorkspaceMain, "name": "Lifecycle", "slug": "lifecycle",
				"description": "first",
			})
			wantState(t, inst, samples.create)
			if !uuidPattern.MatchString(inst.str(t, "id")) || inst.str(t, "updated_at") == "<null>" {
				t.Errorf("id %q, updated_at %q", inst.str(t, "id"), inst.str(t, "updated_at"))
			}
			if got := h.identityAttrs(inst); got["workspace"] != openhexatest.WorkspaceMain || got["id"] != stored.ID {
				t.Errorf("identity %v", got)
			}

			refreshed := h.read(inst)
			if !refreshed.State.Equal(inst.State) {
				t.Errorf("a refresh right after create changed state:\n%v\n%v", inst.State, refreshed.State)
			}
			if c := h.plan(kind.ResourceTypeName(), refreshed, config("Lifecycle", "lifecycle", "first", samples.create)); !c.planned(t)["updated_at"].Equal(refreshed.attrs(t)["updated_at"]) {
				t.Errorf("unchanged configuration plans a write: updated_at %v", c.planned(t)["updated_at"])
			}

			updated := h.update(refreshed, config("Renamed", "renamed", "second", samples.update))
			if err := serverHolds(srv, kind, "Renamed", "renamed", samples.update)(nil); err != nil {
				t.Fatal(err)
			}
			wantState(t, updated, map[string]any{"id": stored.ID, "name": "Renamed", "slug": "renamed", "description": "second"})
			wantState(t, updated, samples.update)

			h.destroy(h.read(updated))
			if n := len(srv.AllConnections()); n != 0 {
				t.Errorf("the server holds %d connections after destroy", n)
			}
		})
	}
}
