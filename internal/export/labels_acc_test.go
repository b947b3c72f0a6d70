package export_test

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// TestAccExportLabelPairs: slugs that a lossy mapping would merge (DB and db, a-b
// and a_b), a slug and a workspace starting with a digit, and the same slug in two
// workspaces get distinct labels and variables, which the CLI accepts: the plan
// imports every connection with no change.
func TestAccExportLabelPairs(t *testing.T) {
	srv := openhexatest.Start(t)
	const digitWS = "2024-campaign"
	srv.AddWorkspace(digitWS, "Campagne 2024")
	srv.AddMember(digitWS, openhexatest.TokenAdmin, openhexatest.RoleAdmin)
	pg := func(ws, slug string) openhexatest.StoredConnection {
		return openhexatest.StoredConnection{Workspace: ws, Name: "Base " + slug, Slug: slug, Type: openhexatest.TypePostgreSQL,
			CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{{Code: "host", Value: "h"}, {Code: "port", Value: "5432"},
				{Code: "db_name", Value: "d"}, {Code: "username", Value: "u"}, {Code: "password", Value: ws + "-" + slug + "-pw", Secret: true}}}
	}
	pairs := [][2]string{
		{openhexatest.WorkspaceMain, "DB"}, {openhexatest.WorkspaceMain, "db"},
		{openhexatest.WorkspaceMain, "a-b"}, {openhexatest.WorkspaceMain, "a_b"},
		{openhexatest.WorkspaceMain, "3rd"}, {openhexatest.WorkspaceOther, "db"}, {digitWS, "db"},
	}
	var secrets []string
	for _, p := range pairs {
		srv.CreateStored(pg(p[0], p[1]))
		secrets = append(secrets, p[0]+"-"+p[1]+"-pw")
	}
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.export(srv, openhexatest.TokenAdmin, secrets, "-all-workspaces", "-write-secret-values")
	c.fmtClean()
	files := readDir(t, c.dir)
	all := strings.Join([]string{files[openhexatest.WorkspaceMain+".tf"], files[openhexatest.WorkspaceOther+".tf"], files[digitWS+".tf"]}, "\n")
	labels := map[string]bool{}
	for _, p := range pairs {
		label := export.ResourceLabel(p[0], p[1])
		if labels[label] {
			t.Errorf("label %q twice", label)
		}
		labels[label] = true
		if !strings.Contains(all, `resource "openhexa_postgres_connection" "`+label+`"`) {
			t.Errorf("no resource labelled %q for %s/%s", label, p[0], p[1])
		}
		if v := export.VariableName(p[0], p[1], "password"); !strings.Contains(files["variables.tf"], `variable "`+v+`"`) {
			t.Errorf("no variable %q for %s/%s", v, p[0], p[1])
		}
	}
	c.wantPlanImportsOnly(len(pairs))
	c.applyThenEmptyPlan()
}
