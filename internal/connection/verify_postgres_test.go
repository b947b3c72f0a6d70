package connection_test

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccVerifyAgainstRealPostgreSQL: the test server's testConnection really connects
// to the PostgreSQL server that scripts/with-postgres.sh starts on loopback. A wrong
// password stops the apply and creates nothing; the right one is saved.
func TestAccVerifyAgainstRealPostgreSQL(t *testing.T) {
	host, port := os.Getenv("OPENHEXA_TEST_PG_HOST"), os.Getenv("OPENHEXA_TEST_PG_PORT")
	if host == "" || port == "" {
		t.Skip("no PostgreSQL server: run through scripts/with-postgres.sh (make test does)")
	}
	portNumber, err := strconv.ParseInt(port, 10, 64)
	if err != nil {
		t.Fatalf("OPENHEXA_TEST_PG_PORT=%q is not a number", port)
	}
	t.Parallel()
	srv := openhexatest.Start(t)
	kind := connection.KindByName("postgres")
	values := func(password string) sample {
		return sample{
			"verify": true, "host": host, "port": portNumber, "db_name": os.Getenv("OPENHEXA_TEST_PG_DB"),
			"username": os.Getenv("OPENHEXA_TEST_PG_USER"), "password": password,
		}
	}
	good := values(os.Getenv("OPENHEXA_TEST_PG_PASSWORD"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             serverEmpty(srv),
		Steps: []resource.TestStep{
			{
				Config:      connectionConfig(srv, openhexatest.TokenEditor, kind, "Live DB", "live-db", "", values("wrong-password")),
				ExpectError: regexp.MustCompile(`(?s)could not connect.*password authentication failed`),
				Check:       serverEmpty(srv),
			},
			{
				Config: connectionConfig(srv, openhexatest.TokenEditor, kind, "Live DB", "live-db", "", good),
				Check:  serverHolds(srv, kind, "Live DB", "live-db", good),
			},
		},
	})
}
