package connection_test

import (
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccRepairFieldLayout: when the server holds an extra code, or a built-in field
// with the wrong secret flag, the plan shows the update that repairs it.
func TestAccRepairFieldLayout(t *testing.T) {
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			addr := kind.ResourceTypeName() + ".test"
			values := kindSamples[kind.Name].create
			config := connectionConfig(srv, openhexatest.TokenEditor, kind, "Layout", "layout", "", values)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             serverEmpty(srv),
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							conn, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "layout")
							srv.ModifyStored(conn.ID, func(c *openhexatest.StoredConnection) {
								for i := range c.Fields {
									if c.Fields[i].Secret {
										c.Fields[i].Secret = false // flag flipped, value unchanged
										break
									}
								}
								c.Fields = append(c.Fields, openhexatest.Field{Code: "legacy_code", Value: "left over"})
							})
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: serverHolds(srv, kind, "Layout", "layout", values),
					},
				},
			})
		})
	}
}

// TestAccSecretDriftHiddenFromViewer: a secret changed out of band shows in an
// EDITOR's plan (the lifecycle test proves it) but never in a VIEWER's, who cannot
// read it: the provider keeps what state knows.
func TestAccSecretDriftHiddenFromViewer(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			srv := openhexatest.Start(t)
			values := kindSamples[kind.Name].create
			editor := connectionConfig(srv, openhexatest.TokenEditor, kind, "Drift", "drift", "", values)
			viewer := connectionConfig(srv, openhexatest.TokenViewer, kind, "Drift", "drift", "", values)
			addr := kind.ResourceTypeName() + ".test"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             serverEmpty(srv),
				Steps: []resource.TestStep{
					{Config: editor},
					{PreConfig: modifySecrets(srv, "drift"), Config: viewer, PlanOnly: true},
					{
						Config: editor,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: serverHolds(srv, kind, "Drift", "drift", values),
					},
				},
			})
		})
	}
}
