package main

// isVersionArg reports whether arg asks for the version: `version`, as the export
// subcommand is spelled, and the flag forms users try first.
func isVersionArg(arg string) bool {
	switch arg {
	case "version", "-version", "--version":
		return true
	}
	return false
}
