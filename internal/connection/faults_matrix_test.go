package connection_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccFaultEveryOperationEveryFault injects each fault the test server knows into
// each CRUD operation once: the run ends in success with exactly one connection on
// the server, equal to state (or none after destroy) — a retry, a reconcile after an
// ambiguous failure, or a fallback read absorbs it; nothing is duplicated or orphaned.
// Each case checks, from the request log, that its fault fired.
func TestAccFaultEveryOperationEveryFault(t *testing.T) {
	needsTestServer(t, "fault injection and the request log")
	faults := map[string]openhexatest.Fault{
		"429":               {Kind: openhexatest.Fault429, RetryAfter: time.Second},
		"500":               {Kind: openhexatest.Fault500},
		"502":               {Kind: openhexatest.Fault502},
		"503":               {Kind: openhexatest.Fault503},
		"delay":             {Kind: openhexatest.FaultDelay, Delay: 300 * time.Millisecond},
		"drop-before-apply": {Kind: openhexatest.FaultDropBeforeApply},
		"drop-after-apply":  {Kind: openhexatest.FaultDropAfterApply},
		"top-level-error":   {Kind: openhexatest.FaultGraphQLError},
	}
	kind := connection.KindByName("postgres")
	addr := kind.ResourceTypeName() + ".test"
	first, second := kindSamples["postgres"].create, kindSamples["postgres"].update

	for faultName, fault := range faults {
		for _, op := range []string{"create", "read", "update", "delete"} {
			t.Run(op+"/"+faultName, func(t *testing.T) {
				t.Parallel()
				srv := openhexatest.Start(t)
				cfg := func(values sample) string {
					return connectionConfig(srv, openhexatest.TokenEditor, kind, "Faulty", "faulty", values)
				}
				inject := func(operation string) func() {
					return func() { srv.ResetRequests(); srv.InjectFault(operation, fault) }
				}
				// fired checks, after the faulty step, that the fault hit its operation.
				fired := func(operation string) resource.TestCheckFunc {
					return func(*terraform.State) error { return faultFired(srv, operation, fault) }
				}
				var steps []resource.TestStep
				switch op {
				case "create":
					steps = []resource.TestStep{{
						PreConfig: inject("CreateConnection"), Config: cfg(first),
						Check: resource.ComposeTestCheckFunc(fired("CreateConnection"), serverHolds(srv, kind, "Faulty", "faulty", first), stateMatchesServer(srv, addr)),
					}}
				case "read":
					steps = []resource.TestStep{
						{Config: cfg(first)},
						{
							PreConfig: inject("ListWorkspaceConnections"), Config: cfg(first),
							Check: resource.ComposeTestCheckFunc(fired("ListWorkspaceConnections"), serverHolds(srv, kind, "Faulty", "faulty", first), stateMatchesServer(srv, addr)),
						},
					}
					if fault.Kind == openhexatest.FaultGraphQLError {
						// A top-level error is not retried: the refresh fails and keeps
						// state (a failed listing never counts as an absence); the next
						// plan, without the fault, finds the connection.
						steps[1].Check = nil
						steps[1].ExpectError = regexp.MustCompile(`Cannot read openhexa_postgres_connection`)
						steps = append(steps, resource.TestStep{
							PreConfig: func() {
								if err := faultFired(srv, "ListWorkspaceConnections", fault); err != nil {
									t.Fatal(err)
								}
							},
							Config: cfg(first),
							Check:  resource.ComposeTestCheckFunc(serverHolds(srv, kind, "Faulty", "faulty", first), stateMatchesServer(srv, addr)),
						})
					}
				case "update":
					steps = []resource.TestStep{
						{Config: cfg(first)},
						{
							PreConfig: inject("UpdateConnection"), Config: cfg(second),
							Check: resource.ComposeTestCheckFunc(fired("UpdateConnection"), serverHolds(srv, kind, "Faulty", "faulty", second), stateMatchesServer(srv, addr)),
						},
					}
				case "delete":
					steps = []resource.TestStep{
						{Config: cfg(first)},
						{PreConfig: inject("DeleteConnection"), Config: cfg(first), Destroy: true},
					}
				}
				checkDestroy := serverEmpty(srv)
				if op == "delete" {
					checkDestroy = resource.ComposeTestCheckFunc(fired("DeleteConnection"), checkDestroy)
				}
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
					CheckDestroy:             checkDestroy,
					Steps:                    steps,
				})
			})
		}
	}
}

// stateMatchesServer checks that state's id is the one connection the server holds.
func stateMatchesServer(srv *openhexatest.Server, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		all := srv.AllConnections()
		if len(all) != 1 {
			return fmt.Errorf("the server holds %d connections, want exactly 1", len(all))
		}
		rs, ok := s.RootModule().Resources[addr]
		if !ok || rs.Primary.ID != all[0].ID {
			return fmt.Errorf("state does not hold the server's connection %s", all[0].ID)
		}
		return nil
	}
}
