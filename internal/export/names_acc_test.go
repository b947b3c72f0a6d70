package export_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

var regexpShellName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// TestAccExportKeepsEarlierVariableNames (issue 26, point 6): a directory an earlier
// export wrote, whose own files declare a variable of the earlier scheme (with '-',
// for slug "my", code "db_password"); the next export adds connection "my-db" (code
// "password") under a shell name, which is not that earlier name, and leaves every
// earlier line as it was, although the files are its own. A POSIX shell exports the
// new name; the CLI imports both with no change.
func TestAccExportKeepsEarlierVariableNames(t *testing.T) {
	srv := openhexatest.Start(t)
	custom := func(slug, code, secret string) openhexatest.StoredConnection {
		return openhexatest.StoredConnection{Workspace: ws, Name: "Custom " + slug, Slug: slug, Type: openhexatest.TypeCustom,
			CreatedBy: openhexatest.EmailAdmin, Fields: []openhexatest.Field{{Code: "url", Value: "https://" + slug + ".example.org"},
				{Code: code, Value: secret, Secret: true}}}
	}
	my := srv.CreateStored(custom("my", "db_password", "pw-my-marker"))
	const earlierName = ws + "_my_db_password"
	earlier := map[string]string{
		ws + ".tf": string(export.WithMarker([]byte(`# Connections of the OpenHEXA workspace ` + ws + `.

import {
  to = openhexa_custom_connection.` + ws + `_my
  id = "` + ws + `/my"
}

resource "openhexa_custom_connection" "` + ws + `_my" {
  workspace = "` + ws + `"
  name      = "Custom my"
  slug      = "my"
  fields = {
    url = "https://my.example.org"
  }
  secret_fields = {
    db_password = var.` + earlierName + `
  }
}
`))),
		"variables.tf": string(export.WithMarker([]byte(`
variable "` + earlierName + `" {
  type      = string
  sensitive = true
}
`))),
		"providers.tf": providerFile,
	}
	c := newCLI(t, srv, openhexatest.TokenAdmin)
	c.write(earlier)
	srv.CreateStored(custom("my-db", "password", "pw-mydb-marker"))
	stderr := c.export(srv, openhexatest.TokenAdmin, []string{"pw-my-marker", "pw-mydb-marker"}, "-workspace", ws)
	newName := export.VariableName(ws, "my-db", "password")
	if newName == earlierName || !regexpShellName.MatchString(newName) {
		t.Fatalf("my-db's variable is %q", newName)
	}
	if !strings.Contains(stderr, "skipped "+ws+"/my: declared by an import block") || !strings.Contains(stderr, "1 new connection") {
		t.Errorf("summary:\n%s", stderr)
	}
	files := readDir(t, c.dir)
	for name, content := range earlier {
		if name != "providers.tf" && !strings.HasPrefix(afterMarker(files[name]), afterMarker(content)) {
			t.Errorf("%s no longer starts with what the earlier export wrote:\n%s", name, files[name])
		}
	}
	if !strings.Contains(files["variables.tf"], `variable "`+newName+`"`) || !strings.Contains(files[ws+".tf"], "var."+newName) {
		t.Errorf("my-db's variable %s is not declared and used", newName)
	}

	// A shell exports the new name; the earlier one has a '-', which a POSIX shell
	// drops from the environment it passes on: -var gives it.
	cmd := exec.Command("/bin/sh", "-c", `export TF_VAR_`+newName+`=pw-mydb-marker && exec "$0" plan -input=false -no-color -var "$1"`,
		c.path, earlierName+"=pw-my-marker")
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("plan from a shell: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Plan: 2 to import, 0 to add, ") {
		t.Fatalf("plan from a shell:\n%s", out)
	}
	c.env = append(c.env, "TF_VAR_"+earlierName+"=pw-my-marker", "TF_VAR_"+newName+"=pw-mydb-marker")
	c.wantPlanImportsOnly(2)
	c.applyThenEmptyPlan()
	if got, _ := srv.Connection(my.ID); got.Fields[1].Value != "pw-my-marker" {
		t.Errorf("my's secret changed")
	}
	wantSlugs(t, srv, "my", "my-db")
}
