package main

import (
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// providerAddress is the provider's registry address, as the plugin protocol serves it.
const providerAddress = "registry.terraform.io/blsq/openhexa"

// logVariables are the variables by which a user asks Terraform or OpenTofu for logs
// that include the provider's. The CLI drops the provider's log lines unless one is set.
var logVariables = []string{
	"TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_OPENHEXA",
	"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO",
}

// sdkLogLevels are the level variables of terraform-plugin-log's loggers in this
// provider: the SDK root, its proto and framework subsystems, and our own tflog lines.
var sdkLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_OPENHEXA"}

// serve serves the provider over plugin protocol 6. Unless a log was asked for (or
// -debug, whose output a developer reads in a terminal) the provider logs nothing:
// left unset, the SDK's loggers default to TRACE and encode every line as JSON,
// which the CLI parses and then drops, about a third of the provider's CPU in a plan
// (terraform-plugin-framework issues #721 and #1269, OpenTofu issue #2969).
func serve(p func() provider.Provider, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else if !logRequested(os.LookupEnv) {
		for _, name := range sdkLogLevels {
			if err := os.Setenv(name, "OFF"); err != nil {
				return err
			}
		}
		// go-plugin's own lines ("plugin address", mTLS) go through this logger.
		opts = append(opts, tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}
	return tf6server.Serve(providerAddress, providerserver.NewProtocol6(p()), opts...)
}

// logRequested reports whether any of logVariables is set to a non-empty value.
func logRequested(lookup func(string) (string, bool)) bool {
	for _, name := range logVariables {
		if v, ok := lookup(name); ok && v != "" {
			return true
		}
	}
	return false
}
