package connection_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const connectionsAddr = "data.openhexa_connections.test"

// listedConnection is one entry of data.openhexa_connections, as state holds it.
type listedConnection struct{ id, slug, name, typ, description string }

func (l listedConnection) String() string {
	return fmt.Sprintf("%s %s %q (%s, %q)", l.id, l.slug, l.name, l.typ, l.description)
}

// listedInState reads the connections list of a data source from state.
func listedInState(s *terraform.State, addr string) ([]listedConnection, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", addr)
	}
	attrs := rs.Primary.Attributes
	n, err := strconv.Atoi(attrs["connections.#"])
	if err != nil {
		return nil, fmt.Errorf("%s has no connections list", addr)
	}
	out := make([]listedConnection, n)
	for i := range out {
		at := func(k string) string { return attrs[fmt.Sprintf("connections.%d.%s", i, k)] }
		out[i] = listedConnection{at("id"), at("slug"), at("name"), at("type"), at("description")}
	}
	return out, nil
}

// listsRun checks a connections data source: every entry is of the type typ (when
// set), and the entries of the run, in order, are want. Connections that are not the
// run's (on a real instance, other users') may sit between them.
func listsRun(tg *target, typ string, want ...listedConnection) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		all, err := listedInState(s, connectionsAddr)
		if err != nil {
			return err
		}
		var mine []string
		for _, l := range all {
			if typ != "" && l.typ != typ {
				return fmt.Errorf("listedConnection %s, not of type %s", l, typ)
			}
			if strings.HasPrefix(l.slug, tg.prefix) {
				mine = append(mine, l.String())
			}
		}
		var wanted []string
		for _, w := range want {
			wanted = append(wanted, w.String())
		}
		if strings.Join(mine, "\n") != strings.Join(wanted, "\n") {
			return fmt.Errorf("the run's connections listedConnection:\n  %s\nwant:\n  %s", strings.Join(mine, "\n  "), strings.Join(wanted, "\n  "))
		}
		return nil
	}
}

// TestAccConnectionsDataSource lists a workspace's connections, all of them and by
// type (kind name and API type, any case), most recently updated first.
func TestAccConnectionsDataSource(t *testing.T) {
	tg := targetFor(t)
	older := tg.create(t, seededPostgres(tg.name("Surveillance database"), tg.slug("surveillance-database")))
	dhis2 := tg.create(t, openhexatest.StoredConnection{
		Name: tg.name("DHIS2 national"), Slug: tg.slug("dhis2-national"), Type: openhexatest.TypeDHIS2,
		Fields: []openhexatest.Field{
			{Code: "url", Value: "https://dhis2.example.org"},
			{Code: "username", Value: "etl"},
			{Code: "password", Value: "dhis2-secret", Secret: true},
		},
	})
	pg := tg.seedPostgres(t) // the most recent: listedConnection first
	addr := connectionsAddr
	pgEntry := listedConnection{pg.ID, pg.Slug, pg.Name, "POSTGRESQL", "Weekly reports"}
	olderEntry := listedConnection{older.ID, older.Slug, older.Name, "POSTGRESQL", "Weekly reports"}
	dhis2Entry := listedConnection{dhis2.ID, dhis2.Slug, dhis2.Name, "DHIS2", ""}
	config := func(args string) string {
		return tg.providerConfig(tg.viewer) + `
data "openhexa_connections" "test" {
` + args + `
}
`
	}
	steps := []resource.TestStep{
		{
			Config: config(""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace"), knownvalue.StringExact(tg.workspace)),
			},
			Check: listsRun(tg, "", pgEntry, dhis2Entry, olderEntry),
		},
		{Config: config(`  type = "mysql"`), ExpectError: regexp.MustCompile(`Unknown connection type`)},
		{Config: config(`  type = "postgres"`), Check: listsRun(tg, "POSTGRESQL", pgEntry, olderEntry)},
		{Config: config(`  type = "POSTGRESQL"`), Check: listsRun(tg, "POSTGRESQL", pgEntry, olderEntry)},
		{Config: config(`  type = "Dhis2"`), Check: listsRun(tg, "DHIS2", dhis2Entry)},
		{Config: config(`  type = "gcs"`), Check: listsRun(tg, "GCS")},
	}
	if !tg.real() {
		// Needs a second workspace the admin token sees (the test server's), empty.
		steps = append(steps, resource.TestStep{
			Config: tg.providerConfig(tg.admin) + `
data "openhexa_connections" "test" {
  workspace = "` + openhexatest.WorkspaceOther + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("connections"), knownvalue.ListSizeExact(0)),
			},
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
