package connection_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccSlugDerivedOnceAndStable: without a slug, the server derives one from the
// name; renaming keeps it.
func TestAccSlugDerivedOnceAndStable(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	kind := connection.KindByName("custom")
	addr := kind.ResourceTypeName() + ".test"
	values := kindSamples["custom"].create
	derived := tg.slug("donnees-d-epidemie-2024")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             tg.empty(t),
		Steps: []resource.TestStep{
			{
				Config: tg.config(tg.editor, kind, tg.name("Données d'épidémie 2024"), "", "", values),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(derived)),
				},
				Check: tg.holds(t, kind, tg.name("Données d'épidémie 2024"), derived, values),
			},
			{
				Config: tg.config(tg.editor, kind, tg.name("Renamed"), "", "", values),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(derived)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(derived)),
				},
				Check: tg.holds(t, kind, tg.name("Renamed"), derived, values),
			},
		},
	})
}

// TestAccSlugClashIsAnError: an explicit slug that another connection holds is an
// error naming that connection and how to import it; the server's silently suffixed
// copy is not kept.
func TestAccSlugClashIsAnError(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	kind := connection.KindByName("postgres")
	existing := tg.existing(t, kind, "warehouse", kindSamples["postgres"].create)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: tg.config(tg.editor, kind, tg.name("New"), existing.Slug, "", kindSamples["postgres"].create),
			ExpectError: regexp.MustCompile(`(?s)already used.*` + regexp.QuoteMeta(fmt.Sprintf("%q", existing.Name)) +
				`.*import.*` + regexp.QuoteMeta(tg.workspace+"/"+existing.Slug)),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(tg.stored(t)); n != 1 {
				return fmt.Errorf("the server holds %d connections, want only the existing one", n)
			}
			return nil
		},
	})
}

// TestAccWorkspaceChangeReplaces: moving a connection to another workspace replaces
// it, whether the workspace is set on the resource or comes from the provider.
func TestAccWorkspaceChangeReplaces(t *testing.T) {
	needsTestServer(t, "a second workspace the admin token manages")
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("custom")
	addr := kind.ResourceTypeName() + ".test"
	values := kindSamples["custom"].create
	inOther := acctest.ProviderConfig(srv, openhexatest.TokenAdmin) + fmt.Sprintf(`
resource %q "test" {
  workspace = %q
  name      = "Moving"
%s
}
`, kind.ResourceTypeName(), openhexatest.WorkspaceOther, values.hcl())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             serverEmpty(srv),
		Steps: []resource.TestStep{
			{
				Config: connectionConfig(srv, openhexatest.TokenAdmin, kind, "Moving", "", values),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace"), knownvalue.StringExact(openhexatest.WorkspaceMain)),
				},
			},
			{
				Config: inOther,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				Check: func(*terraform.State) error {
					if len(srv.Connections(openhexatest.WorkspaceMain)) != 0 || len(srv.Connections(openhexatest.WorkspaceOther)) != 1 {
						return fmt.Errorf("the connection did not move to %s", openhexatest.WorkspaceOther)
					}
					return nil
				},
			},
			{
				// Back to the provider's default workspace: replaced again.
				Config: connectionConfig(srv, openhexatest.TokenAdmin, kind, "Moving", "", values),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
			},
		},
	})
}

// slugTrickyNames are names whose slug is easy to get wrong (after the run prefix).
var slugTrickyNames = []string{
	"C'est déjà l'été.",
	"Я ♥ борщ",
	"影師嗎",
	"ÜBER Über ",
	"10 | 20 %",
	"1,000 sites & more",
	"Résumé &amp; caf&#233; &#xE9;t&#xE9;",
	"jaja---lol-méméméoo--a",
	"  --Data__Warehouse--  ",
	"Malaria surveillanc weekly report from the south", // cut at 40 right after a '-'
}

// TestAccSlugDerivationMatchesServer lets the server derive the slugs of tricky names
// (connections created as the web app does, without a slug), then checks that the
// provider derives the same: the provider function through the CLI, the derivation
// its resources use, and a resource declared by name alone, imported, plans nothing.
func TestAccSlugDerivationMatchesServer(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	kind := connection.KindByName("custom")
	values := kindSamples["custom"].create
	serverSlugs := map[string]string{}
	var config strings.Builder
	config.WriteString(tg.providerConfig(tg.editor))
	var checks []statecheck.StateCheck
	var noops []plancheck.PlanCheck
	for i, base := range slugTrickyNames {
		name := tg.name(base)
		c := storedFromSample(kind, "", values)
		c.Name, c.Slug = name, "" // the server derives it
		held := tg.create(t, c)
		serverSlugs[name] = held.Slug
		if derived, ok := slug.Derive(name); !ok || derived != held.Slug {
			t.Errorf("name %q: the server derived slug %q, the provider %q", name, held.Slug, derived)
		}
		addr := fmt.Sprintf("%s.n%d", kind.ResourceTypeName(), i)
		fmt.Fprintf(&config, `
output "slug%[1]d" {
  value = provider::openhexa::slug(%[2]q)
}

import {
  to = %[3]s
  id = %[4]q
}

resource %[5]q "n%[1]d" {
  name = %[2]q
%[6]s
}
`, i, name, addr, tg.workspace+"/"+held.Slug, kind.ResourceTypeName(), values.hcl())
		checks = append(checks, statecheck.ExpectKnownOutputValue(fmt.Sprintf("slug%d", i), knownvalue.StringExact(held.Slug)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(held.Slug)))
		noops = append(noops, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop))
	}
	t.Logf("server-derived slugs: %v", serverSlugs)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy:             tg.empty(t),
		Steps: []resource.TestStep{{
			Config:            config.String(),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: noops},
			ConfigStateChecks: checks,
		}},
	})
}
