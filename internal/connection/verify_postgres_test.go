package connection_test

import (
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// verifyPostgres is the PostgreSQL server that the target's OpenHEXA can reach:
// OPENHEXA_ACC_POSTGRES_URL on a real instance, else the one scripts/with-postgres.sh
// starts on loopback (OPENHEXA_TEST_PG_*). ok is false when there is none.
type verifyPostgres struct {
	host, db, user, password string
	port                     int64
}

func verifyPostgresFor(t *testing.T, tg *target) (verifyPostgres, bool) {
	t.Helper()
	if tg.real() {
		raw := os.Getenv("OPENHEXA_ACC_POSTGRES_URL")
		if raw == "" {
			return verifyPostgres{}, false
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Hostname() == "" || u.User == nil {
			t.Fatalf("OPENHEXA_ACC_POSTGRES_URL is not a postgres://user:password@host:port/db URL") // the value holds a password: not shown
		}
		pg := verifyPostgres{host: u.Hostname(), db: strings.TrimPrefix(u.Path, "/"), user: u.User.Username(), port: 5432}
		pg.password, _ = u.User.Password()
		if p := u.Port(); p != "" {
			if pg.port, err = strconv.ParseInt(p, 10, 64); err != nil {
				t.Fatalf("OPENHEXA_ACC_POSTGRES_URL: port %q is not a number", p)
			}
		}
		return pg, true
	}
	host, port := os.Getenv("OPENHEXA_TEST_PG_HOST"), os.Getenv("OPENHEXA_TEST_PG_PORT")
	if host == "" || port == "" {
		return verifyPostgres{}, false
	}
	portNumber, err := strconv.ParseInt(port, 10, 64)
	if err != nil {
		t.Fatalf("OPENHEXA_TEST_PG_PORT=%q is not a number", port)
	}
	return verifyPostgres{host: host, port: portNumber, db: os.Getenv("OPENHEXA_TEST_PG_DB"),
		user: os.Getenv("OPENHEXA_TEST_PG_USER"), password: os.Getenv("OPENHEXA_TEST_PG_PASSWORD")}, true
}

// TestAccVerifyAgainstRealPostgreSQL: the server's testConnection really connects to
// a PostgreSQL server (on a real instance, OPENHEXA_ACC_POSTGRES_URL; on the test
// server, the one scripts/with-postgres.sh starts on loopback). A wrong password
// stops the apply and creates nothing; the right one is saved.
func TestAccVerifyAgainstRealPostgreSQL(t *testing.T) {
	tg := targetFor(t)
	pg, ok := verifyPostgresFor(t, tg)
	if !ok {
		if tg.real() {
			t.Skip("no OPENHEXA_ACC_POSTGRES_URL (a postgres:// URL the OpenHEXA server can reach)")
		}
		t.Skip("no PostgreSQL server: run through scripts/with-postgres.sh (make test does)")
	}
	t.Parallel()
	kind := connection.KindByName("postgres")
	values := func(password string) sample {
		return sample{"verify": true, "host": pg.host, "port": strconv.FormatInt(pg.port, 10), "db_name": pg.db, "username": pg.user, "password": password}
	}
	good := values(pg.password)
	name, slug := tg.name("Live DB"), tg.slug("live-db")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             tg.empty(t),
		Steps: []resource.TestStep{
			{
				Config: tg.config(tg.editor, kind, name, slug, "", values("wrong-password")),
				// The CLI wraps the server's message: words may be split across lines.
				ExpectError: regexp.MustCompile(`(?s)could\s+not\s+connect.*password\s+authentication\s+failed`),
				Check:       tg.empty(t),
			},
			{
				Config: tg.config(tg.editor, kind, name, slug, "", good),
				Check:  tg.holds(t, kind, name, slug, good),
			},
		},
	})
}
