package export_test

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestExportSaysWhatTheSDKCannotRead: the summary names, for every exported
// connection, what the OpenHEXA SDK cannot read of it (its slug's capitals, a slug
// that differs from another only by case, a field code its class has already), as
// the plan would, and nothing for the others.
func TestExportSaysWhatTheSDKCannotRead(t *testing.T) {
	srv := openhexatest.Start(t)
	custom := func(slug string, codes ...string) {
		c := openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "Conn " + slug, Slug: slug,
			Type: openhexatest.TypeCustom}
		for _, code := range codes {
			c.Fields = append(c.Fields, openhexatest.Field{Code: code, Value: "v"})
		}
		srv.CreateStored(c)
	}
	custom("SDK-Upper", "base_url", "identifier")
	custom("db", "host")
	custom("DB", "host")
	custom("fine", "host")
	_, stderr, code := runExport(t, srv, openhexatest.TokenEditor, "-workspace", openhexatest.WorkspaceMain, "-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("export failed (%d): %s", code, stderr)
	}
	ws := openhexatest.WorkspaceMain
	for _, want := range []string{
		"  " + ws + "/SDK-Upper: Slug the OpenHEXA SDK cannot find: ",
		`raises ConnectionDoesNotExist (No Custom connection for "SDK-Upper")`,
		"  " + ws + `/SDK-Upper: Field code the OpenHEXA SDK reserves: Field "identifier": `,
		"  " + ws + "/DB: Slug the OpenHEXA SDK confuses with another: ",
		"  " + ws + "/db: Slug the OpenHEXA SDK confuses with another: ",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, ws+"/fine:") {
		t.Errorf("a readable connection has a note:\n%s", stderr)
	}
}
