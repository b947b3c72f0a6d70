package export_test

import "github.com/blsq/terraform-provider-openhexa/internal/export"

// cliArgs make the export read the state with the pinned CLI, never another one.
func cliArgs(c *cli) []string { return []string{"-cli", c.path} }

func withCLI(opts export.Options, c *cli) export.Options {
	opts.CLI = c.path
	return opts
}
