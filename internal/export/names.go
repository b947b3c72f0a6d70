package export

import (
	"fmt"
	"strings"
)

// identifier turns a slug or a field code into a valid Terraform name: lower case,
// every character other than a letter, digit or underscore becomes an underscore,
// and a name that would start with a digit gets a "c_" prefix (Terraform names
// start with a letter or an underscore).
func identifier(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	switch {
	case out == "":
		return "connection"
	case out[0] >= '0' && out[0] <= '9':
		return "c_" + out
	}
	return out
}

// nameSet hands out names that are unique within it.
type nameSet map[string]bool

// take returns name, or name_2, name_3, … when it is already taken.
func (s nameSet) take(name string) string {
	candidate := name
	for n := 2; s[candidate]; n++ {
		candidate = fmt.Sprintf("%s_%d", name, n)
	}
	s[candidate] = true
	return candidate
}

// assignLabels gives every connection a resource label made from its slug, unique
// across every exported workspace. A label that several connections would share
// (the same slug in two workspaces, or slugs that differ only by case or by '-'
// and '_') is qualified with the workspace on all of them, so that no connection
// gets a name that depends on the order it was met in; what still clashes gets a
// numeric suffix. Labels are unique across resource types too, which keeps the
// variable names made from them apart.
func assignLabels(workspaces []*workspaceExport) {
	uses := map[string]int{}
	for _, ws := range workspaces {
		for _, c := range ws.Connections {
			uses[identifier(c.Conn.Slug)]++
		}
	}
	taken := nameSet{}
	for _, ws := range workspaces {
		for _, c := range ws.Connections {
			base := identifier(c.Conn.Slug)
			if uses[base] > 1 {
				base = identifier(ws.Slug) + "_" + strings.TrimPrefix(base, "c_")
			}
			c.Label = taken.take(base)
		}
	}
}

// workspaceFileName is the file a workspace's connections go to: <slug>.tf, unless
// the slug would collide with a file the export writes for itself.
func workspaceFileName(slug string) string {
	name := slug
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || name == "" {
		name = identifier(slug)
	}
	switch name + ".tf" {
	case variablesFile, providersFile:
		return "workspace-" + name + ".tf"
	}
	return name + ".tf"
}
