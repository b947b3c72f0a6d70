package export

import "github.com/blsq/terraform-provider-openhexa/internal/openhexa"

// connectionImportNotes is the engine's account of what the first plan after
// importing a connection changes (none yet on this branch).
func connectionImportNotes(openhexa.Connection) []string { return nil }
