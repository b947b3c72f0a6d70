// Command openhexa-test-server serves the in-memory OpenHEXA API of package
// openhexatest on a loopback address, for manual runs of the provider (tofu or
// terraform with a dev override) against a fake OpenHEXA.
//
//	openhexa-test-server [-addr 127.0.0.1:8765] [-seed default|empty]
//
// It prints the URL, the workspaces and the tokens with their roles (and, on a
// terminal, how to stop it), then serves until SIGINT or SIGTERM. Everything is lost
// when it stops.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openhexa-test-server:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("openhexa-test-server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8765", "loopback address to listen on")
	seed := fs.String("seed", "default", "initial data: default (workspaces, tokens and sample connections) or empty (no connection)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	var opts []openhexatest.Option
	switch *seed {
	case "default":
		opts = append(opts, openhexatest.WithSampleConnections())
	case "empty":
	default:
		return fmt.Errorf("-seed must be default or empty, not %q", *seed)
	}

	srv := openhexatest.New(opts...)
	if _, err := srv.Listen(*addr); err != nil {
		return err
	}
	defer srv.Close()
	printBanner(out, srv)
	if isTerminal(out) {
		fmt.Fprintln(out, "Press Ctrl+C to stop.")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(out, "stopping")
	return nil
}

// checkLoopback refuses any address that is not on a loopback interface: the
// server has well-known tokens and must not be reachable from elsewhere.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errors.New("-addr must be a loopback address (127.0.0.1, [::1] or localhost)")
	}
	return nil
}

func printBanner(out io.Writer, srv *openhexatest.Server) {
	fmt.Fprintf(out, "OpenHEXA test server: %s\n", srv.URL())
	fmt.Fprintf(out, "GraphQL endpoint:     %s\n", srv.GraphQLURL())
	fmt.Fprintln(out, "Workspaces:")
	ws := openhexatest.SeedWorkspaces()
	slugs := make([]string, 0, len(ws))
	for s := range ws {
		slugs = append(slugs, s)
	}
	slices.Sort(slugs)
	for _, s := range slugs {
		fmt.Fprintf(out, "  %-22s %s (%d connections)\n", s, ws[s], len(srv.Connections(s)))
	}
	fmt.Fprintln(out, "Tokens (Authorization: Bearer <token>):")
	for _, u := range openhexatest.SeedUsers() {
		var roles []string
		if u.SuperUser {
			roles = append(roles, "superuser")
		}
		for _, s := range slugs {
			if r, ok := u.Roles[s]; ok {
				roles = append(roles, s+"="+r)
			}
		}
		fmt.Fprintf(out, "  %-20s %-10s %s\n", u.Token, u.Label, strings.Join(roles, ", "))
	}
}

// isTerminal reports whether out is a terminal (a character device): only a person
// there can press Ctrl+C, and a script that runs the server (make demo) stops it itself.
func isTerminal(out io.Writer) bool {
	f, ok := out.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
