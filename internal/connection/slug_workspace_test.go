package connection_test

import (
	"fmt"
	"regexp"
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

// TestAccSlugDerivedOnceAndStable: without a slug, the server derives one from the
// name; renaming keeps it.
func TestAccSlugDerivedOnceAndStable(t *testing.T) {
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("custom")
	addr := kind.ResourceTypeName() + ".test"
	values := kindSamples["custom"].create
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             serverEmpty(srv),
		Steps: []resource.TestStep{
			{
				Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Données d'épidémie 2024", "", "", values),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact("donnees-d-epidemie-2024")),
				},
			},
			{
				Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Renamed", "", "", values),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact("donnees-d-epidemie-2024")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact("donnees-d-epidemie-2024")),
				},
			},
		},
	})
}

// TestAccSlugClashIsAnError: an explicit slug that another connection holds is an
// error naming that connection and how to import it; the server's silently suffixed
// copy is not kept.
func TestAccSlugClashIsAnError(t *testing.T) {
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("postgres")
	srv.CreateStored(storedFromSample(kind, "warehouse", kindSamples["postgres"].create))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      connectionConfig(srv, openhexatest.TokenEditor, kind, "New", "warehouse", "", kindSamples["postgres"].create),
			ExpectError: regexp.MustCompile(`(?s)already used.*"Existing".*import.*malaria-surveillance/warehouse`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(srv.AllConnections()); n != 1 {
				return fmt.Errorf("the server holds %d connections, want only the existing one", n)
			}
			return nil
		},
	})
}

// TestAccWorkspaceChangeReplaces: moving a connection to another workspace replaces
// it, whether the workspace is set on the resource or comes from the provider.
func TestAccWorkspaceChangeReplaces(t *testing.T) {
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
				Config: connectionConfig(srv, openhexatest.TokenAdmin, kind, "Moving", "", "", values),
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
				Config: connectionConfig(srv, openhexatest.TokenAdmin, kind, "Moving", "", "", values),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
			},
		},
	})
}
