package connection_test

import (
	"fmt"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccFaultCreateDroppedAfterApplyLeavesOneConnection: the server applies the
// create and then drops the connection. The provider must not send the create
// again; it ends with exactly one connection on the server and that one in state
// (or a clear error and nothing orphaned).
func TestAccFaultCreateDroppedAfterApplyLeavesOneConnection(t *testing.T) {
	needsTestServer(t, "fault injection (a create whose answer is dropped)")
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("postgres")
	addr := kind.ResourceTypeName() + ".test"
	values := kindSamples["postgres"].create
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             serverEmpty(srv),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("CreateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply})
				},
				Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Dropped", "dropped", values),
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error {
						return faultFired(srv, "CreateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply})
					},
					serverHolds(srv, kind, "Dropped", "dropped", values),
					func(s *terraform.State) error {
						if n := srv.RequestCount("CreateConnection"); n != 1 {
							return fmt.Errorf("CreateConnection sent %d times; want once", n)
						}
						conn, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "dropped")
						if got := s.RootModule().Resources[addr].Primary.ID; got != conn.ID {
							return fmt.Errorf("state holds id %s, the server %s", got, conn.ID)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccRetryRefreshSurvivesTransientErrors: every request of a refresh and plan
// (token check, reads) fails with 502, 503 or 429 a few times; retries absorb it.
func TestAccRetryRefreshSurvivesTransientErrors(t *testing.T) {
	needsTestServer(t, "fault injection (transient errors) and the request log")
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("custom")
	cfg := connectionConfig(srv, openhexatest.TokenEditor, kind, "Flaky", "flaky", kindSamples["custom"].create)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             serverEmpty(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					srv.InjectFault("", openhexatest.Fault{Kind: openhexatest.Fault502})
					srv.InjectFault("", openhexatest.Fault{Kind: openhexatest.Fault503})
					srv.InjectFault("", openhexatest.Fault{Kind: openhexatest.Fault429, RetryAfter: 1})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: func(*terraform.State) error {
					failed := 0
					for _, r := range srv.Requests() {
						if r.Status == 502 || r.Status == 503 || r.Status == 429 {
							failed++
						}
					}
					if failed != 3 {
						return fmt.Errorf("%d requests failed; want the 3 injected", failed)
					}
					return nil
				},
			},
		},
	})
}

// TestAccFaultUpdateAndDeleteDroppedAfterApply: an update the server applied but
// whose answer was lost is not sent twice and ends in the planned state; a delete
// whose answer was lost is sent again, and the NOT_FOUND answer means done.
func TestAccFaultUpdateAndDeleteDroppedAfterApply(t *testing.T) {
	needsTestServer(t, "fault injection (answers dropped after the write)")
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("s3")
	samples := kindSamples["s3"]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if n := srv.RequestCount("DeleteConnection"); n != 2 {
				return fmt.Errorf("DeleteConnection sent %d times; want 2 (dropped, then NOT_FOUND)", n)
			}
			return serverEmpty(srv)(s)
		},
		Steps: []resource.TestStep{
			{Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Bucket", "bucket", samples.create)},
			{
				PreConfig: func() {
					srv.InjectFault("UpdateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply})
					srv.InjectFault("DeleteConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply})
				},
				Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Bucket 2", "bucket", samples.update),
				Check: resource.ComposeTestCheckFunc(
					serverHolds(srv, kind, "Bucket 2", "bucket", samples.update),
					func(*terraform.State) error {
						if err := faultFired(srv, "UpdateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply}); err != nil {
							return err
						}
						if n := srv.RequestCount("UpdateConnection"); n != 1 {
							return fmt.Errorf("UpdateConnection sent %d times; want once", n)
						}
						return nil
					},
				),
			},
		},
	})
}
