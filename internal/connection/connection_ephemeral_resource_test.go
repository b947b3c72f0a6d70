package connection_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// withEcho adds the echo provider, which copies an ephemeral value into state so a
// test can look at it.
func withEcho() map[string]func() (tfprotov6.ProviderServer, error) {
	factories := map[string]func() (tfprotov6.ProviderServer, error){"echo": echoprovider.NewProviderServer()}
	for name, f := range acctest.ProtoV6ProviderFactories {
		factories[name] = f
	}
	return factories
}

// ephemeralConfig echoes the ephemeral resource into echo.<echo>: the echo resource
// keeps the data it was created with, so each step that looks at new data names a new one.
func ephemeralConfig(tg *target, token, echo, args string) string {
	return tg.providerConfig(token) + fmt.Sprintf(`
ephemeral "openhexa_connection" "test" {
%s
}

provider "echo" {
  data = ephemeral.openhexa_connection.test
}

resource "echo" %q {}
`, args, echo)
}

// noEphemeralInState checks that the ephemeral resource itself left nothing in state:
// only echo resources, which copies it on purpose, may hold its values.
func noEphemeralInState(s *terraform.State) error {
	for _, m := range s.Modules {
		for addr := range m.Resources {
			if !strings.HasPrefix(addr, "echo.") {
				return fmt.Errorf("unexpected %s in state", addr)
			}
		}
	}
	return nil
}

// TestAccConnectionEphemeralResource opens a connection with every field, secrets
// included, through the echo provider; a token that may not read secrets fails.
func TestAccConnectionEphemeralResource(t *testing.T) {
	tg := targetFor(t)
	conn := tg.seedPostgres(t)
	custom := tg.create(t, openhexatest.StoredConnection{
		Name: tg.name("API"),
		Slug: tg.slug("api"),
		Type: openhexatest.TypeCustom,
		Fields: []openhexatest.Field{
			{Code: "base_url", Value: "https://api.example.org"},
			{Code: "api_key", Value: "k-123", Secret: true},
		},
	})
	bySlug := fmt.Sprintf("  slug = %q", conn.Slug)
	data := tfjsonpath.New("data")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: withEcho(),
		Steps: []resource.TestStep{
			{
				Config: ephemeralConfig(tg, tg.editor, "test", bySlug),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", data, knownvalue.ObjectExact(map[string]knownvalue.Check{
						"workspace": knownvalue.StringExact(tg.workspace),
						"slug":      knownvalue.StringExact(conn.Slug),
						"id":        knownvalue.StringExact(conn.ID),
						"type":      knownvalue.StringExact("POSTGRESQL"),
						"fields": knownvalue.MapExact(map[string]knownvalue.Check{
							"host":     knownvalue.StringExact("db.example.org"),
							"port":     knownvalue.StringExact("5432"),
							"db_name":  knownvalue.StringExact("surveillance"),
							"username": knownvalue.StringExact("hexa"),
							"password": knownvalue.StringExact(seededSecret),
						}),
					})),
				},
				Check: noEphemeralInState,
			},
			{
				Config: ephemeralConfig(tg, tg.admin, "custom",
					fmt.Sprintf("  workspace = %q\n  slug = %q", tg.workspace, custom.Slug)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.custom", data.AtMapKey("type"), knownvalue.StringExact("CUSTOM")),
					statecheck.ExpectKnownValue("echo.custom", data.AtMapKey("fields"), knownvalue.MapExact(map[string]knownvalue.Check{
						"base_url": knownvalue.StringExact("https://api.example.org"),
						"api_key":  knownvalue.StringExact("k-123"),
					})),
				},
				Check: noEphemeralInState,
			},
			{
				Config:      ephemeralConfig(tg, tg.viewer, "viewer", bySlug),
				ExpectError: regexp.MustCompile(`Secret values not readable`),
			},
			{
				Config:      ephemeralConfig(tg, tg.editor, "test", fmt.Sprintf("  slug = %q", tg.slug("missing"))),
				ExpectError: regexp.MustCompile(`Connection not found`),
			},
			{
				Config: ephemeralConfig(tg, tg.editor, "test", bySlug),
				Check:  noEphemeralInState,
			},
		},
	})
}
