package export_test

import "github.com/blsq/terraform-provider-openhexa/internal/export"

// Temporary: today's exporter takes no CLI flag (the tests are written first).
func cliArgs(c *cli) []string { return nil }

func withCLI(opts export.Options, c *cli) export.Options { return opts }
