package export_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/go-version"
)

// TestAccExportHostileWorkspace: a workspace holding what OpenHEXA accepts but no
// form makes (openhexatest.HostileConnections: fields missing or extra, empty
// values and secrets, a port that is no number, a key that is no JSON, keyword
// codes, a code OpenHEXA would now refuse, an unflagged secret), exported in each
// mode, plans "N to import, 0 to add, C to change, 0 to destroy" where C counts the
// connections whose change the export announced (in its summary and above the
// resource); apply; the next plan is empty; and OpenHEXA holds byte for byte what
// it held before, but for the announced changes: no field removed or emptied.
func TestAccExportHostileWorkspace(t *testing.T) {
	for _, mode := range []struct {
		name  string
		flags []string
		// byEnv gives the secret values as TF_VAR_ variables (no file holds them).
		byEnv bool
	}{
		{name: "sensitive", byEnv: true},
		{name: "write-secret-values", flags: []string{"-write-secret-values"}},
		{name: "write-only", flags: []string{"-write-only", "-write-secret-values"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			if v := acctest.CLIVersion(); mode.name == "write-only" && v != nil && v.LessThan(version.Must(version.NewVersion("1.11.0"))) {
				t.Skipf("write-only attributes need Terraform or OpenTofu 1.11; the CLI is %s", v)
			}
			srv := openhexatest.Start(t)
			cases := srv.SeedHostile(openhexatest.WorkspaceMain, "")
			before := map[string]openhexatest.StoredConnection{}
			announced := map[string][]string{}
			var secrets []string
			for _, hc := range cases {
				stored, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, hc.Connection.Slug)
				before[stored.Slug] = stored
				if notes := connection.ImportNotes(asAPI(stored)); len(notes) > 0 {
					announced[stored.Slug] = notes
				}
				for _, f := range stored.Fields {
					if f.Secret && len(f.Value) > 3 {
						secrets = append(secrets, f.Value)
					}
				}
			}
			c := newCLI(t, srv, openhexatest.TokenAdmin)
			args := append([]string{"-workspace", openhexatest.WorkspaceMain}, mode.flags...)
			stdout, stderr, code := runExport(t, srv, openhexatest.TokenAdmin, append(args, "-dir", c.dir)...)
			t.Logf("export:\n%s", stderr)
			if code != 0 {
				// Go on with what was exported, to see every failing case at once.
				t.Errorf("export failed (%d)", code)
			}
			files := readDir(t, c.dir)
			delete(files, "secrets.auto.tfvars")
			files["stdout"], files["stderr"] = stdout, stderr
			assertNoSecret(t, secrets, files)
			wsFile := files[openhexatest.WorkspaceMain+".tf"]
			for slug, notes := range announced {
				for _, n := range notes {
					if !strings.Contains(stderr, n) {
						t.Errorf("the summary does not announce for %s: %s", slug, n)
					}
					if !strings.Contains(strings.Join(strings.Fields(wsFile), " "), "# - "+strings.Join(strings.Fields(n), " ")) {
						t.Errorf("no comment above %s announcing: %s", slug, n)
					}
				}
			}
			if mode.byEnv {
				for _, hc := range cases {
					stored := before[hc.Connection.Slug]
					for _, f := range stored.Fields {
						name := export.VariableName(openhexatest.WorkspaceMain, stored.Slug, f.Code)
						if strings.Contains(files["variables.tf"], `variable "`+name+`"`) {
							c.env = append(c.env, "TF_VAR_"+name+"="+f.Value)
						}
					}
				}
			}
			c.fmtClean()
			want := fmt.Sprintf("Plan: %d to import, 0 to add, %d to change, 0 to destroy.", strings.Count(wsFile, "import {"), len(announced))
			if n := strings.Count(wsFile, "import {"); n != len(cases) {
				t.Errorf("%d connections exported, want %d", n, len(cases))
			}
			c.wantPlanImports(strings.Count(wsFile, "import {"), len(announced))
			if !strings.Contains(stderr, strings.TrimSuffix(strings.TrimPrefix(want, "Plan: "), ".")) {
				t.Errorf("the summary does not predict %q", want)
			}
			c.applyThenEmptyPlan()
			for slug, was := range before {
				now, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, slug)
				if !ok {
					t.Errorf("%s: gone from OpenHEXA", slug)
					continue
				}
				if now.Name != was.Name || now.Description != was.Description || now.Type != was.Type {
					t.Errorf("%s: name, description or type changed", slug)
				}
				wantFields := was.Fields
				if announced[slug] != nil {
					wantFields = withSecretFlags(was)
				}
				if a, b := fieldsKey(now.Fields), fieldsKey(wantFields); a != b {
					t.Errorf("%s: OpenHEXA holds\n%s\nwant\n%s", slug, a, b)
				}
			}
			if mode.name == "write-only" {
				state, err := os.ReadFile(filepath.Join(c.dir, "terraform.tfstate"))
				if err != nil {
					t.Fatal(err)
				}
				assertNoSecret(t, secrets, map[string]string{"terraform.tfstate": string(state)})
			}
		})
	}
}

// withSecretFlags is what a built-in connection holds once its table's secrets are
// flagged: the one repair an export announces.
func withSecretFlags(c openhexatest.StoredConnection) []openhexatest.Field {
	kind := connection.KindByAPIType(openhexa.ConnectionType(c.Type))
	out := append([]openhexatest.Field(nil), c.Fields...)
	for i, f := range out {
		for _, spec := range kind.Fields {
			if spec.Code == f.Code && spec.Secret {
				out[i].Secret = true
			}
		}
	}
	return out
}

// fieldsKey renders fields in code order, to compare what OpenHEXA holds.
func fieldsKey(fields []openhexatest.Field) string {
	var lines []string
	for _, f := range fields {
		lines = append(lines, fmt.Sprintf("  %s = %q (secret %v)", f.Code, f.Value, f.Secret))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// asAPI is a stored connection as the API returns it to an admin.
func asAPI(c openhexatest.StoredConnection) openhexa.Connection {
	out := openhexa.Connection{ID: c.ID, Name: c.Name, Slug: c.Slug, Type: openhexa.ConnectionType(c.Type)}
	for _, f := range c.Fields {
		v := f.Value
		out.Fields = append(out.Fields, openhexa.ConnectionField{Code: f.Code, Value: &v, Secret: f.Secret})
	}
	return out
}
