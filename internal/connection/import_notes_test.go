package connection

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestImportNotesOfTheHostileSet: only the unflagged secret announces a change; every
// other hostile connection imports without one.
func TestImportNotesOfTheHostileSet(t *testing.T) {
	for _, hc := range openhexatest.HostileConnections(openhexatest.WorkspaceMain, "") {
		conn := openhexa.Connection{Type: openhexa.ConnectionType(hc.Connection.Type)}
		for _, f := range hc.Connection.Fields {
			v := f.Value
			conn.Fields = append(conn.Fields, openhexa.ConnectionField{Code: f.Code, Value: &v, Secret: f.Secret})
		}
		notes := ImportNotes(conn)
		if hc.Case == "pg-unflagged-secret" {
			if len(notes) != 1 || !strings.Contains(notes[0], `secret flag of the field "password"`) {
				t.Errorf("%s: notes %q", hc.Case, notes)
			}
			continue
		}
		if len(notes) != 0 {
			t.Errorf("%s: unexpected notes %q", hc.Case, notes)
		}
	}
	missing := ImportNotes(openhexa.Connection{Type: openhexa.TypeGCS})
	if len(missing) != 2 {
		t.Errorf("a GCS connection without fields: notes %q, want one per required field", missing)
	}
}
