package connection_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// workspaceDataSourceConfig reads the target's workspace.
func workspaceDataSourceConfig(tg *target) string {
	return fmt.Sprintf(`
data "openhexa_workspace" "main" {
  slug = %q
}
`, tg.workspace)
}

// TestAccWorkspaceDataSource reads the workspace with each kind of access: a member
// role, and (test server) the implicit access of a superuser (no role, may still
// manage). Name and description are what the API gives the admin.
func TestAccWorkspaceDataSource(t *testing.T) {
	tg := targetFor(t)
	ctx, cancel := apiContext()
	defer cancel()
	ws, err := tg.client(t, tg.admin).Workspace(ctx, tg.workspace)
	if err != nil || ws == nil {
		t.Fatalf("reading workspace %q as admin: %v", tg.workspace, err)
	}
	description := ""
	if ws.Description != nil {
		description = *ws.Description
	}
	addr := "data.openhexa_workspace.main"
	access := func(token string, role knownvalue.Check, canManage bool) resource.TestStep {
		return resource.TestStep{
			Config: tg.providerConfig(token) + workspaceDataSourceConfig(tg),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(ws.Name)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact(description)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), role),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("can_manage_connections"), knownvalue.Bool(canManage)),
			},
		}
	}
	steps := []resource.TestStep{
		access(tg.admin, knownvalue.StringExact("ADMIN"), true),
		access(tg.editor, knownvalue.StringExact("EDITOR"), true),
		access(tg.viewer, knownvalue.StringExact("VIEWER"), false),
	}
	if !tg.real() {
		// The test server seeds a superuser; the real-instance variables name none.
		steps = append(steps, access(openhexatest.TokenSuperuser, knownvalue.Null(), true))
		if ws.Name != openhexatest.WorkspaceMainName {
			t.Fatalf("the test server's workspace is named %q, want %q", ws.Name, openhexatest.WorkspaceMainName)
		}
	}
	if tg.outsider != "" {
		steps = append(steps, resource.TestStep{
			// The outsider cannot see the workspace: it does not exist for them.
			Config:      tg.providerConfig(tg.outsider) + workspaceDataSourceConfig(tg),
			ExpectError: regexp.MustCompile(`Workspace not found`),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
