package connection_test

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

// TestAccConnectionsDataSource lists a workspace's connections, all of them and by
// type (kind name and API type, any case), most recently updated first.
func TestAccConnectionsDataSource(t *testing.T) {
	srv := openhexatest.Start(t, openhexatest.WithSampleConnections())
	pg := seedPostgres(srv) // the most recent: listed first
	addr := "data.openhexa_connections.test"
	summary := func(slug, name, typ, description string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"slug":        knownvalue.StringExact(slug),
			"name":        knownvalue.StringExact(name),
			"type":        knownvalue.StringExact(typ),
			"description": knownvalue.StringExact(description),
		})
	}
	config := func(args string) string {
		return acctest.ProviderConfig(srv, openhexatest.TokenViewer) + `
data "openhexa_connections" "test" {
` + args + `
}
`
	}
	postgresOnly := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id":          knownvalue.StringExact(pg.ID),
				"slug":        knownvalue.StringExact("warehouse"),
				"name":        knownvalue.StringExact("Surveillance warehouse"),
				"type":        knownvalue.StringExact("POSTGRESQL"),
				"description": knownvalue.StringExact("Weekly reports"),
			}),
			summary("surveillance-database", "Surveillance database", "POSTGRESQL",
				"PostgreSQL database of the surveillance pipelines"),
		})),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace"), knownvalue.StringExact(openhexatest.WorkspaceMain)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections").AtSliceIndex(0), summary("warehouse",
						"Surveillance warehouse", "POSTGRESQL", "Weekly reports")),
				},
			},
			{Config: config(`  type = "mysql"`), ExpectError: regexp.MustCompile(`Unknown connection type`)},
			{Config: config(`  type = "postgres"`), ConfigStateChecks: postgresOnly},
			{Config: config(`  type = "POSTGRESQL"`), ConfigStateChecks: postgresOnly},
			{
				Config: config(`  type = "Dhis2"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections"), knownvalue.ListExact([]knownvalue.Check{
						summary("dhis2-national", "DHIS2 national", "DHIS2", ""),
					})),
				},
			},
			{
				Config: config(`  type = "gcs"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config: acctest.ProviderConfig(srv, openhexatest.TokenAdmin) + `
data "openhexa_connections" "test" {
  workspace = "` + openhexatest.WorkspaceOther + `"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
