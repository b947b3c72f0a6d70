package connection_test

import (
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccPermissionViewerPlansWithoutSecretDiffAndCannotApply: a connection created
// by an editor, planned with a VIEWER token (who reads secrets as null), shows no
// change; an apply of a change with that token fails naming the roles needed.
func TestAccPermissionViewerPlansWithoutSecretDiffAndCannotApply(t *testing.T) {
	for _, name := range []string{"postgres", "custom"} {
		kind := connection.KindByName(name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			values := kindSamples[name].create
			editor := connectionConfig(srv, openhexatest.TokenEditor, kind, "Shared", "shared", "", values)
			viewer := connectionConfig(srv, openhexatest.TokenViewer, kind, "Shared", "shared", "", values)
			viewerRename := connectionConfig(srv, openhexatest.TokenViewer, kind, "Renamed by a viewer", "shared", "", values)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             serverEmpty(srv),
				Steps: []resource.TestStep{
					{Config: editor},
					{
						// An apply of an empty plan changes nothing: it needs no rights.
						Config: viewer,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
						}},
					},
					{Config: viewerRename, ExpectError: regexp.MustCompile(`ADMIN\s+or\s+EDITOR`)},
					// Back to the editor, who can destroy.
					{Config: editor, Check: serverHolds(srv, kind, "Shared", "shared", values)},
				},
			})
		})
	}
}

func TestAccPermissionOutsiderSeesNoWorkspace(t *testing.T) {
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("custom")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      connectionConfig(srv, openhexatest.TokenOutsider, kind, "Intruder", "intruder", "", kindSamples["custom"].create),
			ExpectError: regexp.MustCompile(`"` + openhexatest.WorkspaceMain + `"\s+is\s+not\s+visible\s+to\s+the\s+token,\s+which\s+acts\s+as\s+` + openhexatest.EmailOutsider),
		}},
	})
	if n := len(srv.AllConnections()); n != 0 {
		t.Fatalf("an outsider created %d connections", n)
	}
}

func TestAccPermissionInvalidTokenFailsAtConfigure(t *testing.T) {
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("custom")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      connectionConfig(srv, "ohx-not-a-token", kind, "Nobody", "nobody", "", kindSamples["custom"].create),
			ExpectError: regexp.MustCompile(`(token\s+was\s+not\s+accepted|did\s+not\s+accept\s+the\s+token)`),
		}},
	})
	for _, r := range srv.Requests() {
		if r.OperationName != "Me" {
			t.Fatalf("with an invalid token the provider sent %s; want only Me", r.OperationName)
		}
	}
}
