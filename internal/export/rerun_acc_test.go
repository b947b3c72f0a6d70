package export_test

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestAccExportRerunsIntoOneDirectory runs the export again and again into one
// directory, applying in between: workspace A; A again (nothing written); A after
// a connection was added in OpenHEXA (that one imported, the others untouched);
// workspace B; then -all-workspaces. Each plan imports only what is new, with no
// change and nothing destroyed, so no address ever moved.
func TestAccExportRerunsIntoOneDirectory(t *testing.T) {
	srv := openhexatest.Start(t)
	const copyWS = "malaria-copy"
	srv.AddWorkspace(copyWS, "Malaria (copie)")
	srv.AddMember(copyWS, openhexatest.TokenAdmin, openhexatest.RoleAdmin)
	main := seedEveryKind(t, srv, openhexatest.WorkspaceMain, "main")
	other := seedEveryKind(t, srv, copyWS, "copy")
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	secrets := append(main.Secrets, other.Secrets...)
	wsFile := openhexatest.WorkspaceMain + ".tf"

	c.export(srv, openhexatest.TokenAdmin, secrets, "-workspace", openhexatest.WorkspaceMain, "-write-secret-values")
	c.wantPlanImportsOnly(main.Connections)
	c.applyThenEmptyPlan()
	first := readDir(t, c.dir)

	// Again: nothing new, nothing written.
	c.export(srv, openhexatest.TokenAdmin, secrets, "-workspace", openhexatest.WorkspaceMain, "-write-secret-values")
	if again := readDir(t, c.dir); !equalFiles(withoutState(again), withoutState(first)) {
		t.Fatalf("the second run changed the directory")
	}

	// A connection made in the web app since: imported once, the others untouched.
	srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: "Nouvelle", Slug: "nouvelle",
		Type: openhexatest.TypeDHIS2, CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{
			{Code: "url", Value: "https://new.example.org"}, {Code: "username", Value: "u"},
			{Code: "password", Value: "new-secret-marker", Secret: true}}})
	c.export(srv, openhexatest.TokenAdmin, append(secrets, "new-secret-marker"), "-workspace", openhexatest.WorkspaceMain, "-write-secret-values")
	third := readDir(t, c.dir)
	if !strings.Contains(third[wsFile], afterMarker(first[wsFile])) {
		t.Errorf("%s no longer holds what it held", wsFile)
	}
	if strings.Count(third[wsFile], "import {") != main.Connections+1 {
		t.Errorf("%s has %d import blocks, want %d", wsFile, strings.Count(third[wsFile], "import {"), main.Connections+1)
	}
	c.wantPlanImportsOnly(1)
	c.applyThenEmptyPlan()

	// Workspace B, whose slugs are A's: its own labels and variables.
	c.export(srv, openhexatest.TokenAdmin, secrets, "-workspace", copyWS, "-write-secret-values")
	c.fmtClean()
	c.wantPlanImportsOnly(other.Connections)
	c.applyThenEmptyPlan()

	// Every workspace: only the third one's are new; every address stays.
	seedEveryKind(t, srv, openhexatest.WorkspaceOther, "other")
	c.export(srv, openhexatest.TokenAdmin, secrets, "-all-workspaces", "-write-secret-values")
	c.wantPlanImportsOnly(main.Connections)
	c.applyThenEmptyPlan()
	final := readDir(t, c.dir)
	if !strings.HasSuffix(final[wsFile], afterMarker(third[wsFile])) {
		t.Errorf("%s changed although nothing in its workspace is new", wsFile)
	}
}

// afterMarker is an own file's content without its first line (the marker, whose
// checksum changes when the export adds to the file).
func afterMarker(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}

func withoutState(files map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		if !strings.HasPrefix(k, "terraform.tfstate") && k != ".terraform.lock.hcl" {
			out[k] = v
		}
	}
	return out
}
