package connection_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccImportForms brings an existing connection under management with every form
// the CLIs offer: an import block by `<workspace>/<slug>`, by UUID, and by identity;
// each ends with identity in state and an empty plan.
func TestAccImportForms(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			values := kindSamples[kind.Name].create
			existing := tg.existing(t, kind, "existing", values)
			addr := kind.ResourceTypeName() + ".test"
			config := tg.config(tg.editor, kind, existing.Name, existing.Slug, "", values)
			identity := map[string]knownvalue.Check{
				"workspace": knownvalue.StringExact(tg.workspace),
				"id":        knownvalue.StringExact(existing.ID),
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				Steps: []resource.TestStep{
					{
						// Adopt it with the import command, then the plan is empty.
						Config: config, ResourceName: addr, ImportState: true, ImportStateId: tg.workspace + "/" + existing.Slug,
						ImportStatePersist: true,
					},
					{
						Config:            config,
						ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(addr, identity)},
					},
					{
						Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:    tg.workspace + "/" + existing.Slug,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)}},
					},
					{
						Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:    existing.ID,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)}},
					},
					{
						// By identity: plugin-testing takes it from the state of the previous step.
						Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)}},
					},
				},
			})
		})
	}
}

// TestAccImportOfAnotherTypeNamesTheRightResource: importing a DHIS2 connection into
// a PostgreSQL resource fails and says which resource type to use.
func TestAccImportOfAnotherTypeNamesTheRightResource(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	dhis2 := connection.KindByName("dhis2")
	postgres := connection.KindByName("postgres")
	existing := tg.existing(t, dhis2, "national-dhis2", kindSamples["dhis2"].create)
	config := tg.config(tg.editor, postgres, tg.name("X"), "", "", kindSamples["postgres"].create)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config, ResourceName: postgres.ResourceTypeName() + ".test", ImportState: true,
			ImportStateId: tg.workspace + "/" + existing.Slug,
			ExpectError:   regexp.MustCompile(`(?s)DHIS2 connection.*openhexa_dhis2_connection`),
		}},
	})
}

// TestAccImportWithViewerKeepsSecretsOutOfState: a VIEWER imports; the secrets it may
// not read stay out of state (the import warns about them) and the rest is imported.
func TestAccImportWithViewerKeepsSecretsOutOfState(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	kind := connection.KindByName("postgres")
	values := kindSamples["postgres"].create
	existing := tg.existing(t, kind, "existing", values)
	addr := kind.ResourceTypeName() + ".test"
	config := tg.config(tg.viewer, kind, existing.Name, existing.Slug, "", values)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config, ResourceName: addr, ImportState: true,
			ImportStateId: tg.workspace + "/" + existing.Slug,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 {
					return fmt.Errorf("imported %d instances, want 1", len(states))
				}
				attrs := states[0].Attributes
				if attrs["password"] != "" {
					return fmt.Errorf("state holds a password a VIEWER cannot read")
				}
				if attrs["host"] != values["host"] || attrs["slug"] != existing.Slug {
					return fmt.Errorf("non-secret attributes not imported: host=%q slug=%q", attrs["host"], attrs["slug"])
				}
				return nil
			},
		}},
	})
}
