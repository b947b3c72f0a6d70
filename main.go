// Command terraform-provider-openhexa serves the OpenHEXA provider to Terraform and
// OpenTofu.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/blsq/terraform-provider-openhexa/internal/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// version is set at build time (goreleaser, make build).
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/blsq/openhexa",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err)
	}
}
