// Package importid parses the import IDs of connection resources, the one parser
// every resource uses.
package importid

import (
	"fmt"
	"regexp"
	"strings"
)

// Ref names a connection: a workspace with a slug or a UUID. Workspace is "" when
// the ID gave only a UUID (the provider's default workspace applies then).
type Ref struct {
	Workspace string
	Slug      string
	ID        string
	// WriteOnly is set by the suffix WriteOnlySuffix: the configuration sets the
	// connection's secrets through the write-only attributes, so the import keeps
	// them out of state (only their hashes, in private state).
	WriteOnly bool
}

// WriteOnlySuffix, after any form of import ID, imports a connection whose secrets
// the configuration sets through the write-only attributes. '#' is in neither a
// workspace slug nor a connection slug, so the suffix cannot be mistaken for either.
const WriteOnlySuffix = "#write-only"

func (r Ref) String() string {
	if r.Slug != "" {
		return fmt.Sprintf("with slug %q", r.Slug)
	}
	return fmt.Sprintf("with id %q", r.ID)
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s has the shape of a UUID.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// Parse accepts `<workspace>/<slug>`, `<workspace>/<uuid>` and `<uuid>`, each
// optionally followed by WriteOnlySuffix.
func Parse(id string) (Ref, error) {
	id = strings.TrimSpace(id)
	bare, writeOnly := strings.CutSuffix(id, WriteOnlySuffix)
	ref, err := parseBare(bare)
	if err != nil {
		return Ref{}, fmt.Errorf("the import ID %q is not of a form the provider takes", id)
	}
	ref.WriteOnly = writeOnly
	return ref, nil
}

func parseBare(id string) (Ref, error) {
	if IsUUID(id) {
		return Ref{ID: strings.ToLower(id)}, nil
	}
	workspace, rest, found := strings.Cut(id, "/")
	if !found || workspace == "" || rest == "" || strings.Contains(rest, "/") || strings.Contains(id, "#") {
		return Ref{}, fmt.Errorf("not an import ID")
	}
	if IsUUID(rest) {
		return Ref{Workspace: workspace, ID: strings.ToLower(rest)}, nil
	}
	return Ref{Workspace: workspace, Slug: rest}, nil
}

// Usage explains the accepted forms for a resource type.
func Usage(resourceType string) string {
	return fmt.Sprintf("Use <workspace>/<slug> (for example `id = \"my-workspace/my-db\"` in an import block whose `to` is %s.<name>), "+
		"<workspace>/<connection UUID>, or a connection UUID alone when the provider has a default workspace; add %q "+
		"when the configuration sets the secrets through the write-only attributes.", resourceType, WriteOnlySuffix)
}
