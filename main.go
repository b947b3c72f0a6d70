// Command terraform-provider-openhexa serves the OpenHEXA provider to Terraform and
// OpenTofu.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/provider"
)

// version is set at build time (goreleaser, make build).
var version = "dev"

func main() {
	// The export subcommand writes configuration for existing connections; without
	// it, the binary serves the plugin protocol, as Terraform and OpenTofu start it.
	if len(os.Args) > 1 && os.Args[1] == "export" {
		os.Exit(export.Main(os.Args[2:], os.Stdout, os.Stderr, version))
	}
	if len(os.Args) == 2 && isVersionArg(os.Args[1]) {
		fmt.Println("terraform-provider-openhexa", version)
		return
	}
	flag.Usage = usage

	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	if err := serve(provider.New(version), debugMode); err != nil {
		log.Fatal(err)
	}
}

func usage() {
	out := flag.CommandLine.Output()
	_, _ = fmt.Fprintf(out, `Usage:
  terraform-provider-openhexa [-debug]
      serves the OpenHEXA provider; Terraform and OpenTofu start it this way
  terraform-provider-openhexa version
      prints the version (also -version, --version)
  terraform-provider-openhexa export (-workspace SLUG ... | -all-workspaces) [flags]
      writes configuration (import and resource blocks, variables) for existing connections;
      see terraform-provider-openhexa export -h

Flags:
`)
	flag.PrintDefaults()
}
