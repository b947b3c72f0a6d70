package connection_test

import (
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestProtocolWorkspaceDataSourceDefaultsToProviderWorkspace: without `slug`, the
// data source reads the provider's workspace, like every other reader; without either,
// it fails on `slug`, saying where to set one.
func TestProtocolWorkspaceDataSourceDefaultsToProviderWorkspace(t *testing.T) {
	srv := openhexatest.Start(t)
	got, diags := newHarness(t, srv, openhexatest.TokenEditor).readDataSource("openhexa_workspace", map[string]any{})
	if hasError(diags) {
		t.Fatal(diagText(diags))
	}
	if v := values(t, got); v["slug"] != openhexatest.WorkspaceMain || v["name"] != openhexatest.WorkspaceMainName || v["role"] != "EDITOR" {
		t.Errorf("got %v", v)
	}
	t.Setenv("OPENHEXA_WORKSPACE", "")
	t.Setenv("HEXA_WORKSPACE", "")
	bare := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenEditor})
	_, diags = bare.readDataSource("openhexa_workspace", map[string]any{})
	wantError(t, diags, "Missing workspace", "slug")
}

// TestAccWorkspaceDataSourceDefaultSlug: the CLI sees the provider's workspace as the
// data source's slug.
func TestAccWorkspaceDataSourceDefaultSlug(t *testing.T) {
	tg := targetFor(t)
	addr := "data.openhexa_workspace.default"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: tg.providerConfig(tg.editor) + `
data "openhexa_workspace" "default" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(tg.workspace)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("can_manage_connections"), knownvalue.Bool(true)),
			},
		}},
	})
}
