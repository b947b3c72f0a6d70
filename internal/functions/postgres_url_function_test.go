package functions_test

import (
	"fmt"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccPostgresURLFunction: the URI the SDK's PostgreSQLConnection.url gives, with
// awkward characters encoded, the default port, and a clear error for missing fields.
func TestAccPostgresURLFunction(t *testing.T) {
	output := func(name, fields string) string {
		return fmt.Sprintf("output %q {\n  value     = provider::openhexa::postgres_url(%s)\n  sensitive = true\n}\n", name, fields)
	}
	config := functionsOnly(
		output("plain", `{ host = "db.example.org", port = "6543", db_name = "malaria", username = "reader", password = "s3cret" }`) +
			output("encoded", `{ host = "db.example.org", db_name = "data lake", username = "etl@org", password = "p@ss:w/rd?#" }`) +
			output("ipv6", `{ host = "::1", port = "5432", db_name = "x", username = "u", password = "" }`))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("plain", knownvalue.StringExact("postgresql://reader:s3cret@db.example.org:6543/malaria")),
					statecheck.ExpectKnownOutputValue("encoded", knownvalue.StringExact("postgresql://etl%40org:p%40ss%3Aw%2Frd%3F%23@db.example.org:5432/data%20lake")),
					statecheck.ExpectKnownOutputValue("ipv6", knownvalue.StringExact("postgresql://u:@[::1]:5432/x")),
				},
			},
			{
				Config:      functionsOnly(output("bad", `{ host = "db.example.org" }`)),
				ExpectError: errorMatching("the fields lack db_name, username"),
			},
		},
	})
}
