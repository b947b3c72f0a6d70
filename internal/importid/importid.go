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
}

func (r Ref) String() string {
	if r.Slug != "" {
		return fmt.Sprintf("with slug %q", r.Slug)
	}
	return fmt.Sprintf("with id %q", r.ID)
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s has the shape of a UUID.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// Parse accepts `<workspace>/<slug>`, `<workspace>/<uuid>` and `<uuid>`.
func Parse(id string) (Ref, error) {
	id = strings.TrimSpace(id)
	if IsUUID(id) {
		return Ref{ID: strings.ToLower(id)}, nil
	}
	workspace, rest, found := strings.Cut(id, "/")
	if !found || workspace == "" || rest == "" || strings.Contains(rest, "/") {
		return Ref{}, fmt.Errorf("the import ID %q is not of a form the provider takes", id)
	}
	if IsUUID(rest) {
		return Ref{Workspace: workspace, ID: strings.ToLower(rest)}, nil
	}
	return Ref{Workspace: workspace, Slug: rest}, nil
}

// Usage explains the accepted forms for a resource type.
func Usage(resourceType string) string {
	return fmt.Sprintf("Use <workspace>/<slug> (for example `terraform import %s.example my-workspace/my-db`), "+
		"<workspace>/<connection UUID>, or a connection UUID alone when the provider has a default workspace.", resourceType)
}
