package connection_test

import (
	"fmt"
	"regexp"
	"sort"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// connectionConfig renders one connection resource named "test" for the test server
// (tests that need it; the others use target.config).
func connectionConfig(srv *openhexatest.Server, token string, kind *connection.Kind, name, slug string, values sample) string {
	return resourceConfig(acctest.ProviderConfig(srv, token), kind, name, slug, "", values)
}

// config renders one connection resource named "test" for the target, acting with token.
func (tg *target) config(token string, kind *connection.Kind, name, slug, description string, values sample) string {
	return resourceConfig(tg.providerConfig(token), kind, name, slug, description, values)
}

func resourceConfig(provider string, kind *connection.Kind, name, slug, description string, values sample) string {
	slugLine := ""
	if slug != "" {
		slugLine = fmt.Sprintf("  slug        = %q\n", slug)
	}
	return provider + fmt.Sprintf(`
resource %q "test" {
  name        = %q
%s  description = %q
%s
}
`, kind.ResourceTypeName(), name, slugLine, description, values.hcl())
}

// stateChecks asserts the common attributes and every sample value in state, for a
// connection of the target's workspace.
func (tg *target) stateChecks(addr, name, slug, description string, values sample) []statecheck.StateCheck {
	return stateChecksIn(tg.workspace, addr, name, slug, description, values)
}

func stateChecksIn(workspace, addr, name, slug, description string, values sample) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(slug)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact(description)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace"), knownvalue.StringExact(workspace)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
	}
	for _, attr := range values.names() {
		checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), knownValue(values[attr])))
	}
	return checks
}

// serverHolds checks the test server's store: one connection with that slug, of the
// kind's type, holding exactly the expected codes, values and secret flags.
func serverHolds(srv *openhexatest.Server, kind *connection.Kind, name, slug string, values sample) resource.TestCheckFunc {
	return func(*terraform.State) error {
		conn, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, slug)
		return holdsExactly(srv.AllConnections(), conn, ok, kind, name, slug, values)
	}
}

// holds is serverHolds for the target: the run holds one connection, with that slug,
// of the kind's type, holding exactly the expected codes, values and secret flags
// (read through the API as admin on a real instance).
func (tg *target) holds(t *testing.T, kind *connection.Kind, name, slug string, values sample) resource.TestCheckFunc {
	return func(*terraform.State) error {
		conn, ok := tg.storedBySlug(t, slug)
		return holdsExactly(tg.stored(t), conn, ok, kind, name, slug, values)
	}
}

func holdsExactly(all []openhexatest.StoredConnection, conn openhexatest.StoredConnection, found bool,
	kind *connection.Kind, name, slug string, values sample) error {
	if len(all) != 1 {
		return fmt.Errorf("the server holds %d connections, want 1", len(all))
	}
	if !found {
		return fmt.Errorf("no connection with slug %q on the server", slug)
	}
	if conn.Name != name || conn.Type != string(kind.APIType) {
		return fmt.Errorf("server has name %q type %s, want %q %s", conn.Name, conn.Type, name, kind.APIType)
	}
	want := values.wireValues()
	wantSecret := map[string]bool{}
	if kind.Custom {
		for code := range values.stringMap("secret_fields") {
			wantSecret[code] = true
		}
	} else {
		for _, f := range kind.Fields {
			wantSecret[f.Code] = f.Secret
			if _, ok := want[f.Code]; !ok {
				want[f.Code] = f.Default
			}
		}
	}
	got := map[string]string{}
	for _, f := range conn.Fields {
		got[f.Code] = f.Value
		if f.Secret != wantSecret[f.Code] {
			return fmt.Errorf("field %q has secret=%v on the server, want %v", f.Code, f.Secret, wantSecret[f.Code])
		}
	}
	if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(want)) {
		return fmt.Errorf("server fields differ from the configuration (values not shown): codes %v, want %v",
			keys(got), keys(want))
	}
	for code, v := range want {
		if got[code] != v {
			return fmt.Errorf("server field %q does not hold the configured value", code)
		}
	}
	return nil
}

func sorted(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func serverEmpty(srv *openhexatest.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(srv.AllConnections()); n != 0 {
			return fmt.Errorf("the server still holds %d connections after destroy", n)
		}
		return nil
	}
}

// empty checks that the server holds nothing of the run (after destroy).
func (tg *target) empty(t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(tg.stored(t)); n != 0 {
			return fmt.Errorf("the server still holds %d connections of the run after destroy", n)
		}
		return nil
	}
}

func importIDBySlug(addr string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return "", fmt.Errorf("%s not in state", addr)
		}
		return rs.Primary.Attributes["workspace"] + "/" + rs.Primary.Attributes["slug"], nil
	}
}

func importIDByUUID(addr string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return "", fmt.Errorf("%s not in state", addr)
		}
		return rs.Primary.Attributes["id"], nil
	}
}

// TestAccConnectionLifecycle runs, for every kind in the table: create; import by
// workspace/slug and by UUID; update of every attribute; out-of-band change
// (including a secret) caught and repaired; out-of-band delete re-created; destroy
// leaving the server empty.
func TestAccConnectionLifecycle(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			samples, ok := kindSamples[kind.Name]
			if !ok {
				t.Fatalf("kind %s has no row in kindSamples", kind.Name)
			}
			tg := targetFor(t)
			addr := kind.ResourceTypeName() + ".test"
			name1, slug1 := tg.name("Malaria DB"), tg.slug("malaria-db")
			name2, slug2 := tg.name("Malaria DB (v2)"), tg.slug("malaria_db_v2")
			first := tg.config(tg.editor, kind, name1, slug1, "first", samples.create)
			second := tg.config(tg.editor, kind, name2, slug2, "second", samples.update)

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             tg.empty(t),
				Steps: []resource.TestStep{
					{
						Config: first,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						}},
						ConfigStateChecks: tg.stateChecks(addr, name1, slug1, "first", samples.create),
						Check:             tg.holds(t, kind, name1, slug1, samples.create),
					},
					{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: importIDBySlug(addr)},
					{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: importIDByUUID(addr)},
					{
						Config: second,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: tg.stateChecks(addr, name2, slug2, "second", samples.update),
						Check:             tg.holds(t, kind, name2, slug2, samples.update),
					},
					{
						// Someone edits the connection in the web app, secrets included.
						PreConfig: func() {
							tg.modify(t, slug2, func(c *openhexatest.StoredConnection) {
								c.Name = tg.name("Edited by hand")
								c.Description = "edited"
								for i := range c.Fields {
									c.Fields[i].Value = "edited-" + c.Fields[i].Value
								}
							})
						},
						Config: second,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: tg.stateChecks(addr, name2, slug2, "second", samples.update),
						Check:             tg.holds(t, kind, name2, slug2, samples.update),
					},
					{
						// Someone deletes it: the next apply creates it again.
						PreConfig: func() {
							tg.remove(t, slug2)
						},
						Config: second,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						}},
						Check: tg.holds(t, kind, name2, slug2, samples.update),
					},
				},
			})
		})
	}
}
