package connection_test

import (
	"fmt"
	"regexp"
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

const seededSecret = "s3cr3t-Pa55word-never-in-state"

// seedPostgres stores a PostgreSQL connection as the web app would create it.
func seedPostgres(srv *openhexatest.Server) openhexatest.StoredConnection {
	c := seededPostgres("Surveillance warehouse", "warehouse")
	c.Workspace = openhexatest.WorkspaceMain
	return srv.CreateStored(c)
}

// seedPostgres puts that PostgreSQL connection on the target, its name and slug
// carrying the run prefix.
func (tg *target) seedPostgres(t *testing.T) openhexatest.StoredConnection {
	t.Helper()
	return tg.create(t, seededPostgres(tg.name("Surveillance warehouse"), tg.slug("warehouse")))
}

func seededPostgres(name, slug string) openhexatest.StoredConnection {
	return openhexatest.StoredConnection{
		Name:        name,
		Slug:        slug,
		Description: "Weekly reports",
		Type:        openhexatest.TypePostgreSQL,
		CreatedBy:   openhexatest.EmailAdmin,
		Fields: []openhexatest.Field{
			{Code: "host", Value: "db.example.org"},
			{Code: "port", Value: "5432"},
			{Code: "db_name", Value: "surveillance"},
			{Code: "username", Value: "hexa"},
			{Code: "password", Value: seededSecret, Secret: true},
		},
	}
}

// noSecretInState fails when any attribute of any object in state holds the secret.
func noSecretInState(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				for name, v := range rs.Primary.Attributes {
					if strings.Contains(v, secret) {
						return fmt.Errorf("%s.%s holds a secret value in state", addr, name)
					}
				}
			}
			for name, o := range m.Outputs {
				if strings.Contains(fmt.Sprint(o.Value), secret) {
					return fmt.Errorf("output %s holds a secret value in state", name)
				}
			}
		}
		return nil
	}
}

// TestAccConnectionDataSource finds a connection by slug (in the provider's and in an
// explicit workspace) and by id, with a token that may read secrets and one that may
// not, and checks that only non-secret values and the secret codes reach state.
func TestAccConnectionDataSource(t *testing.T) {
	tg := targetFor(t)
	conn := tg.seedPostgres(t)
	addr := "data.openhexa_connection.test"
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(conn.ID)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("slug"), knownvalue.StringExact(conn.Slug)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("workspace"), knownvalue.StringExact(tg.workspace)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact("POSTGRESQL")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(conn.Name)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("Weekly reports")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("fields"), knownvalue.MapExact(map[string]knownvalue.Check{
			"host":     knownvalue.StringExact("db.example.org"),
			"port":     knownvalue.StringExact("5432"),
			"db_name":  knownvalue.StringExact("surveillance"),
			"username": knownvalue.StringExact("hexa"),
		})),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_field_codes"),
			knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("password")})),
	}
	step := func(token, args string) resource.TestStep {
		return resource.TestStep{
			Config: tg.providerConfig(token) + fmt.Sprintf(`
data "openhexa_connection" "test" {
%s
}
`, args),
			ConfigStateChecks: checks,
			Check:             noSecretInState(seededSecret),
		}
	}
	bySlug := fmt.Sprintf("  slug = %q", conn.Slug)
	steps := []resource.TestStep{
		step(tg.editor, bySlug),
		step(tg.editor, fmt.Sprintf("  workspace = %q\n  slug = %q", tg.workspace, conn.Slug)),
		step(tg.editor, fmt.Sprintf("  id = %q", strings.ToUpper(conn.ID))),
		{
			Config:      tg.providerConfig(tg.editor) + fmt.Sprintf(`data "openhexa_connection" "test" { slug = %q }`, tg.slug("missing")),
			ExpectError: regexp.MustCompile(`Connection not found`),
		},
	}
	if !tg.real() {
		// Needs a second workspace the admin token sees (the test server's).
		steps = append(steps, resource.TestStep{
			// The connection is not in that workspace.
			Config: tg.providerConfig(tg.admin) + fmt.Sprintf(
				`data "openhexa_connection" "test" {
  workspace = %q
  id        = %q
}`, openhexatest.WorkspaceOther, conn.ID),
			ExpectError: regexp.MustCompile(`Connection not found`),
		})
	}
	steps = append(steps,
		resource.TestStep{
			Config:      tg.providerConfig(tg.editor) + `data "openhexa_connection" "test" {}`,
			ExpectError: regexp.MustCompile(`Missing Attribute Configuration`),
		},
		// Last, a valid configuration, which the post-test destroy uses.
		step(tg.viewer, bySlug),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
