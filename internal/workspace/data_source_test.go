package workspace_test

import (
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const workspaceDataSourceConfig = `
data "openhexa_workspace" "main" {
  slug = "` + openhexatest.WorkspaceMain + `"
}
`

// TestAccWorkspaceDataSource reads the main workspace with each kind of access: a
// member role, and the implicit access of a superuser (no role, may still manage).
func TestAccWorkspaceDataSource(t *testing.T) {
	srv := openhexatest.Start(t)
	addr := "data.openhexa_workspace.main"
	access := func(token string, role knownvalue.Check, canManage bool) resource.TestStep {
		return resource.TestStep{
			Config: acctest.ProviderConfig(srv, token) + workspaceDataSourceConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(openhexatest.WorkspaceMainName)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"),
					knownvalue.StringExact("Routine malaria surveillance data and pipelines.")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), role),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("can_manage_connections"), knownvalue.Bool(canManage)),
			},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			access(openhexatest.TokenAdmin, knownvalue.StringExact("ADMIN"), true),
			access(openhexatest.TokenEditor, knownvalue.StringExact("EDITOR"), true),
			access(openhexatest.TokenViewer, knownvalue.StringExact("VIEWER"), false),
			access(openhexatest.TokenSuperuser, knownvalue.Null(), true),
			{
				// The outsider cannot see the workspace: it does not exist for them.
				Config:      acctest.ProviderConfig(srv, openhexatest.TokenOutsider) + workspaceDataSourceConfig,
				ExpectError: regexp.MustCompile(`Workspace not found`),
			},
		},
	})
}
