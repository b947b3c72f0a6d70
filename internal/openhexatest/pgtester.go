package openhexatest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// realConnectionTester is what testConnection does by default, as upstream: for
// POSTGRESQL it connects with the given credentials and runs `SELECT 1`; other
// types are accepted once their codes are present (checking them would need the
// internet).
func realConnectionTester(ctx context.Context, connType string, fields map[string]string) error {
	if connType != TypePostgreSQL {
		return nil
	}
	// A test server never sends traffic off the machine: no name resolution, loopback only.
	host := fields["host"]
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("could not connect to the PostgreSQL server: the OpenHEXA test server only connects to " +
			"loopback addresses (127.0.0.1, ::1 or localhost)")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	dsn := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(fields["username"], fields["password"]),
		Host:     net.JoinHostPort(fields["host"], fields["port"]),
		Path:     "/" + fields["db_name"],
		RawQuery: "sslmode=disable&connect_timeout=10",
	}
	conn, err := pgx.Connect(ctx, dsn.String())
	if err != nil {
		return fmt.Errorf("could not connect to the PostgreSQL server: %s", scrubSecret(err.Error(), fields["password"]))
	}
	defer func() { _ = conn.Close(context.Background()) }()
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("connected, but SELECT 1 failed: %s", scrubSecret(err.Error(), fields["password"]))
	}
	return nil
}

func scrubSecret(text, secret string) string {
	if len(secret) < 4 {
		return text // too short to tell from ordinary words
	}
	return strings.ReplaceAll(text, secret, "(redacted)")
}
