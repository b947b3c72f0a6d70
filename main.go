// Command terraform-provider-openhexa serves the OpenHEXA provider to Terraform and
// OpenTofu.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/blsq/terraform-provider-openhexa/internal/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// version is set at build time (goreleaser, make build).
var version = "dev"

// softMemoryLimit is the Go heap size above which the collector runs eagerly.
const softMemoryLimit = 64 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	// A plan of hundreds of connections makes the framework allocate a lot of
	// short-lived garbage; a soft limit makes the collector work before the heap
	// doubles, which keeps the provider small at little CPU cost. GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/blsq/openhexa",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err)
	}
}
