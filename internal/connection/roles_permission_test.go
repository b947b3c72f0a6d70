package connection_test

import (
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
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
			tg := targetFor(t)
			values := kindSamples[name].create
			shared, slug := tg.name("Shared"), tg.slug("shared")
			editor := tg.config(tg.editor, kind, shared, slug, "", values)
			viewer := tg.config(tg.viewer, kind, shared, slug, "", values)
			viewerRename := tg.config(tg.viewer, kind, tg.name("Renamed by a viewer"), slug, "", values)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             tg.empty(t),
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
					{Config: editor, Check: tg.holds(t, kind, shared, slug, values)},
				},
			})
		})
	}
}

// TestAccPermissionOutsiderSeesNoWorkspace: a user who cannot see the workspace is
// told the workspace is not visible to the token, and creates nothing.
func TestAccPermissionOutsiderSeesNoWorkspace(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	if tg.outsider == "" {
		t.Skip("the real instance has no OPENHEXA_ACC_TOKEN_OUTSIDER (a user who cannot see the workspace)")
	}
	kind := connection.KindByName("custom")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: tg.config(tg.outsider, kind, tg.name("Intruder"), tg.slug("intruder"), "", kindSamples["custom"].create),
			// The message names the workspace and says the token's user cannot see it,
			// at plan time, and that nothing was created.
			ExpectError: regexp.MustCompile(`workspace\s+"` + regexp.QuoteMeta(tg.workspace) + `"\s+does\s+not\s+exist\s+or\s+is\s+not\s+visible\s+to(?s:.*)Nothing\s+was\s+created`),
		}},
	})
	if n := len(tg.stored(t)); n != 0 {
		t.Fatalf("an outsider created %d connections", n)
	}
}

func TestAccPermissionInvalidTokenFailsAtConfigure(t *testing.T) {
	t.Parallel()
	tg := targetFor(t)
	kind := connection.KindByName("custom")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      tg.config("ohx-not-a-token", kind, tg.name("Nobody"), tg.slug("nobody"), "", kindSamples["custom"].create),
			ExpectError: regexp.MustCompile(`(token\s+was\s+not\s+accepted|did\s+not\s+accept\s+the\s+token)`),
		}},
	})
	if tg.real() {
		return // which requests were sent is in the test server's request log only
	}
	for _, r := range tg.srv.Requests() {
		if r.OperationName != "Me" {
			t.Fatalf("with an invalid token the provider sent %s; want only Me", r.OperationName)
		}
	}
}
