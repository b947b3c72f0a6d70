package openhexatest

import (
	"reflect"
	"testing"
)

// TestHostileSetIsWhatTheAPIAccepts proves the hostile set is no invention: the API
// stores every case as given through createConnection, except the one whose code
// only a write behind the model's validation can hold, which it refuses. Seeding
// it behind the API's back then holds each one exactly.
func TestHostileSetIsWhatTheAPIAccepts(t *testing.T) {
	s := Start(t)
	for _, hc := range HostileConnections(WorkspaceOther, "api-") {
		var fields []any
		for _, f := range hc.Connection.Fields {
			fields = append(fields, f.Code, f.Value, f.Secret)
		}
		r := ok(t, create(t, s, TokenAdmin, map[string]any{"workspaceSlug": WorkspaceOther, "name": hc.Connection.Name,
			"slug": hc.Connection.Slug, "type": hc.Connection.Type, "fields": fieldsIn(fields...)}))
		accepted := r.Bool("createConnection.success")
		if want := hc.Case != "custom-refused-code"; accepted != want {
			t.Errorf("%s: createConnection success = %v, want %v: %s", hc.Case, accepted, want, r.Raw)
			continue
		}
		if accepted {
			got, _ := s.ConnectionBySlug(WorkspaceOther, hc.Connection.Slug)
			if !reflect.DeepEqual(got.Fields, hc.Connection.Fields) {
				t.Errorf("%s: stored %+v, want %+v", hc.Case, got.Fields, hc.Connection.Fields)
			}
		}
	}

	seeded := s.SeedHostile(WorkspaceMain, "h-")
	for _, hc := range seeded {
		r := ok(t, gql(t, s, TokenAdmin, connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": hc.Connection.Slug}))
		conn := r.Data("connectionBySlug")
		got := fieldMap(t, conn)
		if len(got) != len(hc.Connection.Fields) {
			t.Errorf("%s: the API shows %v, want %+v", hc.Case, got, hc.Connection.Fields)
		}
		for _, f := range hc.Connection.Fields {
			if got[f.Code] != f.Value {
				t.Errorf("%s: field %q is %v, want %q", hc.Case, f.Code, got[f.Code], f.Value)
			}
		}
	}
}
