package importid

import (
	"regexp"
	"strings"
	"testing"
)

var (
	workspaceShape = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	slugShape      = regexp.MustCompile(`^[-a-zA-Z0-9_]{1,100}$`)
)

// FuzzBadInputImportID: Parse never panics; what it accepts names a connection
// by slug or by UUID; `<ws>/<slug>` round-trips.
func FuzzBadInputImportID(f *testing.F) {
	for _, seed := range [][2]string{
		{"malaria-surveillance", "malaria-db"},
		{"ws", "My_Slug-2"},
		{"ws", "6F1C0000-0000-4000-8000-000000000001"},
		{"", "x"},
		{"ws", ""},
		{"a/b", "c"},
		{" ws ", " slug "},
		{"ws", "a/b"},
		{"6f1c0000-0000-4000-8000-000000000001", ""},
		{"ünïcødé", "🦄"},
		{"ws", "\x00\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, ws, slug string) {
		for _, id := range []string{ws + "/" + slug, ws, slug} {
			ref, err := Parse(id)
			if err != nil {
				if !strings.Contains(err.Error(), "import ID") {
					t.Fatalf("Parse(%q) error %q does not name the import ID", id, err)
				}
				continue
			}
			if (ref.Slug == "") == (ref.ID == "") {
				t.Fatalf("Parse(%q) = %+v: want exactly one of slug and id", id, ref)
			}
			if ref.ID != "" && (!IsUUID(ref.ID) || ref.ID != strings.ToLower(ref.ID)) {
				t.Fatalf("Parse(%q) = %+v: id is not a lower-case UUID", id, ref)
			}
			if ref.Slug != "" && (ref.Workspace == "" || strings.Contains(ref.Slug, "/") || strings.Contains(ref.Workspace, "/")) {
				t.Fatalf("Parse(%q) = %+v: a slug needs a workspace, and neither holds '/'", id, ref)
			}
			_ = ref.String()
		}
		if workspaceShape.MatchString(ws) && slugShape.MatchString(slug) && !IsUUID(slug) {
			ref, err := Parse(ws + "/" + slug)
			if err != nil || ref.Workspace != ws || ref.Slug != slug || ref.ID != "" {
				t.Fatalf("Parse(%q) = %+v, %v: want workspace %q slug %q", ws+"/"+slug, ref, err, ws, slug)
			}
			if back := ref.Workspace + "/" + ref.Slug; back != ws+"/"+slug {
				t.Fatalf("round trip %q → %q", ws+"/"+slug, back)
			}
			marked, err := Parse(ws + "/" + slug + WriteOnlySuffix)
			if err != nil || !marked.WriteOnly || marked.Workspace != ws || marked.Slug != slug || ref.WriteOnly {
				t.Fatalf("Parse(%q) = %+v, %v: want the same connection, write-only", ws+"/"+slug+WriteOnlySuffix, marked, err)
			}
		}
	})
}

// TestWriteOnlySuffix: every form takes the suffix; it is never part of a slug.
func TestWriteOnlySuffix(t *testing.T) {
	const uuid = "6f1c0000-0000-4000-8000-000000000001"
	for id, want := range map[string]Ref{
		"ws/db#write-only":           {Workspace: "ws", Slug: "db", WriteOnly: true},
		"ws/" + uuid + "#write-only": {Workspace: "ws", ID: uuid, WriteOnly: true},
		uuid + "#write-only":         {ID: uuid, WriteOnly: true},
		"ws/db":                      {Workspace: "ws", Slug: "db"},
	} {
		if got, err := Parse(id); err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", id, got, err, want)
		}
	}
	for _, bad := range []string{"ws/db#write", "ws/db#write-only#write-only", "#write-only", "ws/#write-only"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
