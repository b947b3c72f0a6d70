package openhexatest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var suffixed = regexp.MustCompile(`^db-[0-9a-f]{4}$`)

func TestCreateDerivesSlug(t *testing.T) {
	s := Start(t)
	for name, want := range map[string]string{
		"Main DB":                       "main-db",
		"C'est déjà l'été.":             "c-est-deja-l-ete",
		"10 | 20 %":                     "10-20",
		"  Spaces  around ":             "spaces-around",
		strings.Repeat("abcdefghij", 6): "abcdefghijabcdefghijabcdefghijabcdefghij",
		strings.Repeat("a", 39) + " b":  strings.Repeat("a", 39),
	} {
		r := ok(t, create(t, s, TokenAdmin, map[string]any{"name": name}))
		if !r.Bool("createConnection.success") {
			t.Fatalf("%q: %s", name, r.Raw)
		}
		if got := r.Str("createConnection.connection.slug"); got != want {
			t.Errorf("%q: slug %q, want %q", name, got, want)
		}
		if got := r.Str("createConnection.connection.name"); got != name {
			t.Errorf("name %q stored as %q", name, got)
		}
	}
}

func TestCreateSlugClashGetsSuffix(t *testing.T) {
	s := Start(t)
	_, first := mustCreate(t, s, map[string]any{"name": "DB"})
	if first != "db" {
		t.Fatalf("first slug %q", first)
	}
	seen := map[string]bool{first: true}
	for i, in := range []map[string]any{
		{"name": "DB"},                  // derived clash
		{"name": "Other", "slug": "db"}, // given clash
		{"name": "db!"},                 // derives to db too
		{"name": "DB", "slug": nil},     // null slug: derived
		{"name": "Again", "slug": "db"}, // given clash again
		{"name": "And again", "slug": "db"},
	} {
		_, got := mustCreate(t, s, in)
		if !suffixed.MatchString(got) {
			t.Errorf("#%d: slug %q, want db-xxxx", i, got)
		}
		if seen[got] {
			t.Errorf("#%d: slug %q reused", i, got)
		}
		seen[got] = true
	}
	// The same slug in another workspace is no clash.
	_, got := mustCreate(t, s, map[string]any{"name": "DB", "workspaceSlug": WorkspaceOther})
	if got != "db" {
		t.Errorf("other workspace: slug %q", got)
	}
}

func TestCreateKeepsExplicitSlugAsGiven(t *testing.T) {
	s := Start(t)
	for _, slug := range []string{"My_DB", "UPPER-lower_9", "x", strings.Repeat("a", 100), "-lead-and-trail-", "__"} {
		_, got := mustCreate(t, s, map[string]any{"name": "Whatever name", "slug": slug})
		if got != slug {
			t.Errorf("slug %q stored as %q", slug, got)
		}
	}
	// Slugs are case-sensitive: "my_db" is no clash with "My_DB".
	_, got := mustCreate(t, s, map[string]any{"name": "n", "slug": "my_db"})
	if got != "my_db" {
		t.Errorf("case clash: %q", got)
	}
}

func TestCreateInvalidSlug(t *testing.T) {
	s := Start(t)
	mustCreate(t, s, map[string]any{"name": "Existing", "slug": "existing"})
	for name, in := range map[string]map[string]any{
		"empty name":              {"name": ""},
		"name of 256 chars":       {"name": strings.Repeat("é", 256), "slug": "ok"},
		"slug with a space":       {"name": "n", "slug": "a b"},
		"slug with a dot":         {"name": "n", "slug": "a.b"},
		"slug with accents":       {"name": "n", "slug": "été"},
		"empty slug":              {"name": "n", "slug": ""},
		"slug of 101 chars":       {"name": "n", "slug": strings.Repeat("a", 101)},
		"name deriving to empty":  {"name": "!!! ???"},
		"name of emoji only":      {"name": "🦄"},
		"field code with a space": {"name": "n", "fields": fieldsIn("a b", "v", false)},
		"field code with a dot":   {"name": "n", "fields": fieldsIn("a.b", "v", false)},
		"empty field code":        {"name": "n", "fields": fieldsIn("", "v", false)},
		"field code of 31 chars":  {"name": "n", "fields": fieldsIn(strings.Repeat("c", 31), "v", false)},
		"duplicate field code":    {"name": "n", "fields": fieldsIn("host", "a", false, "port", "1", false, "host", "b", true)},
		"bad code after good one": {"name": "n", "slug": "fine", "fields": fieldsIn("host", "a", false, "bad code", "b", false)},
	} {
		t.Run(name, func(t *testing.T) {
			before := len(s.AllConnections())
			r := ok(t, create(t, s, TokenAdmin, in))
			if r.Bool("createConnection.success") || r.Data("createConnection.connection") != nil {
				t.Fatalf("success: %s", r.Raw)
			}
			if errs := r.List("createConnection.errors"); len(errs) != 1 || errs[0] != errInvalidSlug {
				t.Fatalf("errors %v, want [INVALID_SLUG]", errs)
			}
			if after := len(s.AllConnections()); after != before {
				t.Fatalf("a failed create wrote a connection (%d → %d)", before, after)
			}
		})
	}
	// Limits themselves are fine.
	_, slug := mustCreate(t, s, map[string]any{"name": strings.Repeat("é", 255), "slug": "limit", "fields": fieldsIn(strings.Repeat("c", 30), "v", false, "A-z_0", "", false)})
	if slug != "limit" {
		t.Fatalf("slug %q", slug)
	}
}

func TestCreateDescription(t *testing.T) {
	s := Start(t)
	r := ok(t, create(t, s, TokenAdmin, map[string]any{"name": "No description"}))
	if d, present := r.Data("createConnection.connection").(map[string]any)["description"]; !present || d != "" {
		t.Errorf("omitted description: %#v", d)
	}
	r = ok(t, create(t, s, TokenAdmin, map[string]any{"name": "Empty description", "description": ""}))
	if r.Str("createConnection.connection.description") != "" || !r.Bool("createConnection.success") {
		t.Errorf("empty description: %s", r.Raw)
	}
	r = ok(t, create(t, s, TokenAdmin, map[string]any{"name": "Described", "description": "  Free text, kept as given.\n"}))
	if got := r.Str("createConnection.connection.description"); got != "  Free text, kept as given.\n" {
		t.Errorf("description %q", got)
	}
	before := len(s.AllConnections())
	r = create(t, s, TokenAdmin, map[string]any{"name": "Null description", "description": nil})
	if r.Status != 200 || len(r.Errors()) != 1 {
		t.Fatalf("null description: want one top-level error, got %d %s", r.Status, r.Raw)
	}
	if d, present := r.Body["data"]; !present || d != nil {
		t.Errorf("null description: data %v, want null", d)
	}
	if len(s.AllConnections()) != before {
		t.Errorf("null description wrote a connection")
	}
	// The same as an inline literal.
	r = gql(t, s, TokenAdmin, `mutation { createConnection(input: {workspaceSlug: "malaria-surveillance", name: "Inline", type: CUSTOM, description: null}) { success } }`, nil)
	if r.Status != 200 || len(r.Errors()) != 1 || len(s.AllConnections()) != before {
		t.Errorf("inline null description: %d %s", r.Status, r.Raw)
	}
}

// Rule: a new field code with value null is a top-level error (the database's
// NOT NULL), and create being atomic nothing is stored.
func TestCreateNewFieldNullValueIsTopLevelError(t *testing.T) {
	s := Start(t)
	r := create(t, s, TokenAdmin, map[string]any{"name": "Nulls", "fields": fieldsIn("a", "1", false, "b", nil, true)})
	if r.Status != 200 || len(r.Errors()) != 1 {
		t.Fatalf("want one top-level error, got %d %s", r.Status, r.Raw)
	}
	if d, present := r.Body["data"]; !present || d != nil {
		t.Errorf("data %v, want null", d)
	}
	if msg, _ := r.Errors()[0]["message"].(string); !strings.Contains(msg, `null value in column "value"`) {
		t.Errorf("message %q", msg)
	}
	if n := len(s.AllConnections()); n != 0 {
		t.Fatalf("%d connections stored", n)
	}
	// Empty strings are fine, and so are omitted fields.
	r = ok(t, create(t, s, TokenAdmin, map[string]any{"name": "Empties", "fields": fieldsIn("a", "", false, "b", "", true)}))
	if m := fieldMap(t, r.Data("createConnection.connection")); m["a"] != "" || m["b"] != "" {
		t.Fatalf("values %v, want empty strings", m)
	}
	r = ok(t, create(t, s, TokenAdmin, map[string]any{"name": "No fields"}))
	if n := len(r.List("createConnection.connection.fields")); n != 0 {
		t.Fatalf("%d fields", n)
	}
}

// Rule: an explicit slug of 96–100 characters that clashes cannot take the
// "-xxxx" suffix (it would pass 100): INVALID_SLUG, nothing stored.
func TestCreateLongSlugClashIsInvalidSlug(t *testing.T) {
	s := Start(t)
	for _, n := range []int{95, 96, 99, 100} {
		slug := strings.Repeat("s", n)
		mustCreate(t, s, map[string]any{"name": "First", "slug": slug})
		before := len(s.AllConnections())
		r := ok(t, create(t, s, TokenAdmin, map[string]any{"name": "Second", "slug": slug}))
		if n <= 95 {
			if got := r.Str("createConnection.connection.slug"); len(got) != n+5 || !strings.HasPrefix(got, slug+"-") {
				t.Errorf("%d characters: slug %q, want the suffixed one", n, got)
			}
			continue
		}
		if errs := r.List("createConnection.errors"); r.Bool("createConnection.success") || len(errs) != 1 || errs[0] != errInvalidSlug {
			t.Errorf("%d characters: %s, want INVALID_SLUG", n, r.Raw)
		}
		if after := len(s.AllConnections()); after != before {
			t.Errorf("%d characters: a failed create wrote a connection", n)
		}
	}
}

func TestCreateWorkspaceNotFoundAndPermissionDenied(t *testing.T) {
	s := Start(t)
	for _, tc := range []struct{ token, ws, want string }{
		{TokenOutsider, WorkspaceMain, errWorkspaceNotFound},
		{TokenEditor, WorkspaceOther, errWorkspaceNotFound},
		{TokenAdmin, "no-such-workspace", errWorkspaceNotFound},
		{TokenSuperuser, "no-such-workspace", errWorkspaceNotFound},
		{TokenViewer, WorkspaceMain, errPermissionDenied},
		// Permission is checked before validation.
		{TokenViewer, WorkspaceMain + "|invalid", errPermissionDenied},
	} {
		in := map[string]any{"name": "Denied", "workspaceSlug": tc.ws}
		if ws, found := strings.CutSuffix(tc.ws, "|invalid"); found {
			in = map[string]any{"name": "", "slug": "not valid", "workspaceSlug": ws}
		}
		r := ok(t, create(t, s, tc.token, in))
		if r.Bool("createConnection.success") || r.Data("createConnection.connection") != nil {
			t.Fatalf("%s in %s: %s", tc.token, tc.ws, r.Raw)
		}
		if errs := r.List("createConnection.errors"); len(errs) != 1 || errs[0] != tc.want {
			t.Errorf("%s in %s: errors %v, want [%s]", tc.token, tc.ws, errs, tc.want)
		}
	}
	if n := len(s.AllConnections()); n != 0 {
		t.Fatalf("denied creates wrote %d connections", n)
	}
	// Who may create.
	for _, tc := range []struct{ token, ws string }{
		{TokenAdmin, WorkspaceMain}, {TokenEditor, WorkspaceMain}, {TokenSuperuser, WorkspaceMain}, {TokenOutsider, WorkspaceOther},
	} {
		mustCreateAs(t, s, tc.token, map[string]any{"name": "Allowed", "workspaceSlug": tc.ws})
	}
}

func mustCreateAs(t *testing.T, s *Server, token string, in map[string]any) {
	t.Helper()
	r := ok(t, create(t, s, token, in))
	if !r.Bool("createConnection.success") {
		t.Fatalf("%s: %s", token, r.Raw)
	}
}

func TestUpdateUnknownIDIsTopLevelError(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Hidden"})
	for _, tc := range []struct{ token, id string }{
		{TokenAdmin, newUUID()},
		{TokenOutsider, id}, // exists, but not visible
	} {
		r := gql(t, s, tc.token, updateMutation, map[string]any{"input": map[string]any{"id": tc.id, "name": "x"}})
		if r.Status != 200 {
			t.Fatalf("%q: status %d", tc.id, r.Status)
		}
		if d, present := r.Body["data"]; !present || d != nil {
			t.Errorf("%q: data %v, want null", tc.id, d)
		}
		if len(r.Errors()) != 1 || !strings.Contains(fmt.Sprint(r.Errors()[0]["message"]), "WORKSPACE_CONNECTION_NOT_FOUND") {
			t.Errorf("%q: errors %s", tc.id, r.Raw)
		}
	}
	if sc, _ := s.Connection(id); sc.Name != "Hidden" {
		t.Fatalf("renamed by an outsider")
	}
}

// Rule: an update of a malformed id is INVALID_SLUG (the lookup fails
// validation), whoever asks.
func TestUpdateMalformedIDIsInvalidSlug(t *testing.T) {
	s := Start(t)
	for _, token := range []string{TokenAdmin, TokenViewer, TokenOutsider} {
		for _, id := range []string{"not-a-uuid", "", "5e0d0000-0000-4000-8000-00000000000g"} {
			r := ok(t, gql(t, s, token, updateMutation, map[string]any{"input": map[string]any{"id": id, "name": "x"}}))
			if errs := r.List("updateConnection.errors"); r.Bool("updateConnection.success") || len(errs) != 1 || errs[0] != errInvalidSlug {
				t.Errorf("%s %q: %s, want INVALID_SLUG", token, id, r.Raw)
			}
		}
	}
}

func TestUpdatePermissionDeniedForViewer(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Viewed"})
	before, _ := s.Connection(id)
	r := ok(t, gql(t, s, TokenViewer, updateMutation, map[string]any{"input": map[string]any{"id": id, "name": "Changed", "fields": []any{}}}))
	if r.Bool("updateConnection.success") || r.Data("updateConnection.connection") != nil {
		t.Fatalf("viewer update: %s", r.Raw)
	}
	if errs := r.List("updateConnection.errors"); len(errs) != 1 || errs[0] != errPermissionDenied {
		t.Fatalf("errors %v", errs)
	}
	if after, _ := s.Connection(id); !equalStored(before, after) {
		t.Fatalf("viewer update changed %+v into %+v", before, after)
	}
}

func equalStored(a, b StoredConnection) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Slug == b.Slug && a.Description == b.Description &&
		a.Type == b.Type && slices.Equal(a.Fields, b.Fields) && a.UpdatedAt.Equal(b.UpdatedAt)
}

func TestUpdateScalars(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Original", "description": "first", "fields": fieldsIn("k", "v", false)})
	created, _ := s.Connection(id)
	upd := func(token string, in map[string]any) gqlResponse {
		in["id"] = id
		return ok(t, gql(t, s, token, updateMutation, map[string]any{"input": in}))
	}

	r := upd(TokenEditor, map[string]any{"name": "Renamed"})
	if !r.Bool("updateConnection.success") || r.Str("updateConnection.connection.name") != "Renamed" {
		t.Fatalf("rename: %s", r.Raw)
	}
	if r.Str("updateConnection.connection.slug") != "original" || r.Str("updateConnection.connection.description") != "first" {
		t.Fatalf("rename changed the slug or description: %s", r.Raw)
	}
	after, _ := s.Connection(id)
	if !after.UpdatedAt.After(created.UpdatedAt) || !after.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("timestamps: created %v→%v updated %v→%v", created.CreatedAt, after.CreatedAt, created.UpdatedAt, after.UpdatedAt)
	}

	r = upd(TokenSuperuser, map[string]any{"slug": "New_Slug", "description": ""})
	if r.Str("updateConnection.connection.slug") != "New_Slug" || r.Str("updateConnection.connection.description") != "" {
		t.Fatalf("slug/description: %s", r.Raw)
	}
	// Omitted keys and fields: null leave things alone; so does the own slug.
	r = upd(TokenAdmin, map[string]any{"slug": "New_Slug", "fields": nil})
	if !r.Bool("updateConnection.success") || r.Str("updateConnection.connection.name") != "Renamed" ||
		r.Str("updateConnection.connection.slug") != "New_Slug" || r.Str("updateConnection.connection.description") != "" {
		t.Fatalf("nulls: %s", r.Raw)
	}
	if m := fieldMap(t, r.Data("updateConnection.connection")); m["k"] != "v" || len(m) != 1 {
		t.Fatalf("fields: null changed them: %v", m)
	}
	r = upd(TokenAdmin, map[string]any{})
	if !r.Bool("updateConnection.success") || len(r.List("updateConnection.errors")) != 0 {
		t.Fatalf("empty update: %s", r.Raw)
	}
}

func TestUpdateInvalidSlug(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Subject", "fields": fieldsIn("k", "v", false)})
	mustCreate(t, s, map[string]any{"name": "Taken"})
	mustCreate(t, s, map[string]any{"name": "Elsewhere", "workspaceSlug": WorkspaceOther})
	before, _ := s.Connection(id)
	// Without fields in the update, nothing is written.
	for name, in := range map[string]map[string]any{
		"slug clash":             {"slug": "taken"},
		"slug with a space":      {"slug": "a b"},
		"empty slug":             {"slug": ""},
		"null slug":              {"slug": nil},
		"slug of 101 chars":      {"slug": strings.Repeat("s", 101)},
		"empty name":             {"name": ""},
		"null name":              {"name": nil},
		"name of 256 chars":      {"name": strings.Repeat("n", 256)},
		"bad field code":         {"fields": fieldsIn("bad code", "v", false)},
		"field code of 31":       {"fields": fieldsIn(strings.Repeat("c", 31), "v", false)},
		"empty field code":       {"fields": fieldsIn("", "v", false)},
		"valid name, bad fields": {"name": "Would change", "description": "would change", "fields": fieldsIn("bad.code", "", false, "k", "x", false)},
	} {
		t.Run(name, func(t *testing.T) {
			in["id"] = id
			r := ok(t, gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": in}))
			if r.Bool("updateConnection.success") || r.Data("updateConnection.connection") != nil {
				t.Fatalf("success: %s", r.Raw)
			}
			if errs := r.List("updateConnection.errors"); len(errs) != 1 || errs[0] != errInvalidSlug {
				t.Fatalf("errors %v, want [INVALID_SLUG]", errs)
			}
			if after, _ := s.Connection(id); !equalStored(before, after) {
				t.Fatalf("a failed update changed %+v into %+v", before, after)
			}
		})
	}
	// A slug used in another workspace is free here.
	r := ok(t, gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": map[string]any{"id": id, "slug": "elsewhere"}}))
	if r.Str("updateConnection.connection.slug") != "elsewhere" {
		t.Fatalf("slug of another workspace: %s", r.Raw)
	}
}

// Rule: update is not atomic. With name: null, a slug clash, a repeated field
// code or a code OpenHEXA refuses the answer is INVALID_SLUG, yet the fields sent
// (before the failing code) are already saved; the scalars are not.
func TestUpdateInvalidSlugKeepsFieldsSaved(t *testing.T) {
	s := Start(t)
	mustCreate(t, s, map[string]any{"name": "Taken"})
	for name, in := range map[string]map[string]any{
		"null name":      {"name": nil, "description": "not saved", "fields": fieldsIn("k", "new", false, "added", "a", true)},
		"slug clash":     {"slug": "taken", "name": "Not saved", "fields": fieldsIn("k", "new", false, "added", "a", true)},
		"duplicate code": {"name": "Not saved", "fields": fieldsIn("k", "new", false, "added", "a", true, "k", "again", false)},
		"refused code":   {"name": "Not saved", "fields": fieldsIn("k", "new", false, "added", "a", true, "bad.code", nil, false, "gone", "changed", false)},
	} {
		t.Run(name, func(t *testing.T) {
			id, _ := mustCreate(t, s, map[string]any{"name": "Subject " + name, "fields": fieldsIn("k", "old", false, "gone", "g", false)})
			before, _ := s.Connection(id)
			in["id"] = id
			r := ok(t, gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": in}))
			if errs := r.List("updateConnection.errors"); r.Bool("updateConnection.success") || len(errs) != 1 || errs[0] != errInvalidSlug {
				t.Fatalf("%s, want INVALID_SLUG", r.Raw)
			}
			after, _ := s.Connection(id)
			if after.Name != before.Name || after.Slug != before.Slug || after.Description != before.Description {
				t.Errorf("scalars saved: %+v", after)
			}
			got := map[string]Field{}
			for _, f := range after.Fields {
				got[f.Code] = f
			}
			if got["k"].Value != "new" || got["added"] != (Field{Code: "added", Value: "a", Secret: true}) {
				t.Errorf("fields %+v, want the ones sent saved", after.Fields)
			}
			if name == "refused code" && got["gone"].Value != "g" {
				t.Errorf("a field listed after the refused code was written: %+v", after.Fields)
			}
			if name != "duplicate code" && name != "refused code" {
				if _, kept := got["gone"]; kept {
					t.Errorf("unlisted code kept: %+v", after.Fields)
				}
			}
		})
	}
}

// Rule: description: null fails at the database (a top-level error quoting the
// row, data null), after the fields are saved.
func TestUpdateNullDescriptionIsTopLevelErrorFieldsSaved(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Described", "description": "kept", "fields": fieldsIn("k", "old", false, "pw", "hunter2-secret", true)})
	r := gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": map[string]any{
		"id": id, "name": "Not saved", "description": nil, "fields": fieldsIn("k", "new", false, "pw", nil, true)}})
	if r.Status != 200 || len(r.Errors()) != 1 {
		t.Fatalf("want one top-level error, got %d %s", r.Status, r.Raw)
	}
	if d, present := r.Body["data"]; !present || d != nil {
		t.Errorf("data %v, want null", d)
	}
	msg, _ := r.Errors()[0]["message"].(string)
	if !strings.Contains(msg, `null value in column "description"`) || !strings.Contains(msg, "DETAIL:  Failing row contains (") {
		t.Errorf("message %q", msg)
	}
	if strings.Contains(r.Raw, "hunter2-secret") {
		t.Errorf("the error quotes a secret: %s", r.Raw)
	}
	after, _ := s.Connection(id)
	if after.Name != "Described" || after.Description != "kept" {
		t.Errorf("scalars saved: %+v", after)
	}
	if !slices.Equal(after.Fields, []Field{{Code: "k", Value: "new"}, {Code: "pw", Value: "hunter2-secret", Secret: true}}) {
		t.Errorf("fields %+v, want the ones sent saved", after.Fields)
	}
}

// Rule: a new field code with value null fails the update with a top-level
// error; the fields before it are saved.
func TestUpdateNewFieldNullValueIsTopLevelError(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Subject", "fields": fieldsIn("k", "old", false)})
	r := gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": map[string]any{
		"id": id, "fields": fieldsIn("k", "new", false, "fresh", nil, false)}})
	if r.Status != 200 || len(r.Errors()) != 1 || !strings.Contains(r.Raw, `null value in column \"value\"`) {
		t.Fatalf("want one top-level error, got %d %s", r.Status, r.Raw)
	}
	if d, present := r.Body["data"]; !present || d != nil {
		t.Errorf("data %v, want null", d)
	}
	if after, _ := s.Connection(id); !slices.Equal(after.Fields, []Field{{Code: "k", Value: "new"}}) {
		t.Errorf("fields %+v", after.Fields)
	}
}

func TestUpdateFieldsReplacedByCode(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "PG", "type": TypePostgreSQL, "fields": fieldsIn(
		"host", "db.local", false,
		"port", "5432", false,
		"username", "hexa", false,
		"password", "old-secret", true,
		"legacy", "drop me", false,
	)})
	upd := func(fields []any) gqlResponse {
		r := ok(t, gql(t, s, TokenEditor, updateMutation, map[string]any{"input": map[string]any{"id": id, "fields": fields}}))
		if !r.Bool("updateConnection.success") {
			t.Fatalf("update: %s", r.Raw)
		}
		return r
	}

	// Full set by code: host changed, port unchanged, password null → kept,
	// username switched to secret, legacy deleted, db_name created.
	r := upd(fieldsIn(
		"db_name", "warehouse", false,
		"password", nil, true,
		"username", "hexa", true,
		"port", "5432", false,
		"host", "db.example.org", false,
	))
	conn := r.Data("updateConnection.connection")
	want := map[string]any{"host": "db.example.org", "port": "5432", "username": "hexa", "password": "old-secret", "db_name": "warehouse"}
	if got := fieldMap(t, conn); !maps.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	// Kept fields stay in creation order, new ones follow.
	if got := fieldCodes(t, conn); !slices.Equal(got, []string{"host", "port", "username", "password", "db_name"}) {
		t.Errorf("order %v", got)
	}
	sc, _ := s.Connection(id)
	secret := map[string]bool{}
	for _, f := range sc.Fields {
		secret[f.Code] = f.Secret
	}
	if !secret["username"] || !secret["password"] || secret["host"] {
		t.Errorf("secret flags %v", secret)
	}

	// A secret switched back to plain, value null: value kept, flag applied.
	r = upd(fieldsIn("password", nil, false))
	if got := fieldMap(t, r.Data("updateConnection.connection")); !maps.Equal(got, map[string]any{"password": "old-secret"}) {
		t.Fatalf("after single-field set: %v", got)
	}
	if sc, _ := s.Connection(id); !slices.Equal(sc.Fields, []Field{{Code: "password", Value: "old-secret"}}) {
		t.Fatalf("stored %+v", sc.Fields)
	}
	// A new code with an empty value.
	r = upd(fieldsIn("password", nil, true, "fresh", "", false))
	if got := fieldMap(t, r.Data("updateConnection.connection")); !maps.Equal(got, map[string]any{"password": "old-secret", "fresh": ""}) {
		t.Fatalf("new empty field: %v", got)
	}
	// [] deletes them all.
	r = upd([]any{})
	if n := len(r.List("updateConnection.connection.fields")); n != 0 {
		t.Fatalf("[]: %d fields left", n)
	}
}

// Rule: DateTime values have milliseconds and "Z", and every field sent in an
// update gets a new updatedAt, changed or not (those not sent are deleted).
func TestUpdateTimestamps(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Stamped", "fields": fieldsIn("a", "1", false, "b", "2", true)})
	created := ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": id})).Data("connection")
	time.Sleep(3 * time.Millisecond) // the values are written to the millisecond
	r := ok(t, gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": map[string]any{
		"id": id, "fields": fieldsIn("a", "1", false, "b", nil, true)}}))
	updated := r.Data("updateConnection.connection")
	for _, k := range []string{"createdAt", "updatedAt", "fields.0.createdAt", "fields.0.updatedAt", "fields.1.updatedAt"} {
		if v, _ := dig(updated, k).(string); !isoDateTime.MatchString(v) {
			t.Errorf("%s = %q, want 2026-12-01T13:21:10.513Z", k, v)
		}
	}
	for _, k := range []string{"updatedAt", "fields.0.updatedAt", "fields.1.updatedAt"} {
		if dig(updated, k) == dig(created, k) {
			t.Errorf("%s unchanged (%v) though sent", k, dig(updated, k))
		}
	}
	for _, k := range []string{"createdAt", "fields.0.createdAt", "fields.1.createdAt"} {
		if dig(updated, k) != dig(created, k) {
			t.Errorf("%s changed: %v → %v", k, dig(created, k), dig(updated, k))
		}
	}
}

func TestUpdateFieldsNullValueAsViewerSeesIt(t *testing.T) {
	// The round trip a client does: read as editor, re-send every field with
	// value null for the secrets it does not want to change.
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "S3", "type": TypeS3, "fields": fieldsIn(
		"bucket_name", "b", false, "access_key_id", "AKIA", false, "access_key_secret", "shh", true)})
	r := ok(t, gql(t, s, TokenEditor, updateMutation, map[string]any{"input": map[string]any{"id": id, "fields": fieldsIn(
		"bucket_name", "b2", false, "access_key_id", "AKIA", false, "access_key_secret", nil, true)}}))
	if m := fieldMap(t, r.Data("updateConnection.connection")); m["access_key_secret"] != "shh" || m["bucket_name"] != "b2" {
		t.Fatalf("%v", m)
	}
	r = ok(t, gql(t, s, TokenViewer, connectionQuery, map[string]any{"id": id}))
	if m := fieldMap(t, r.Data("connection")); m["access_key_secret"] != nil || m["bucket_name"] != "b2" {
		t.Fatalf("viewer: %v", m)
	}
}

func TestDelete(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Doomed"})
	del := func(token, id string) gqlResponse {
		return ok(t, gql(t, s, token, deleteMutation, map[string]any{"input": map[string]any{"id": id}}))
	}
	for _, tc := range []struct{ token, id, want string }{
		{TokenAdmin, newUUID(), errNotFound},
		{TokenOutsider, id, errNotFound},
		{TokenViewer, id, errPermissionDenied},
	} {
		r := del(tc.token, tc.id)
		if r.Bool("deleteConnection.success") {
			t.Fatalf("%s %s: %s", tc.token, tc.id, r.Raw)
		}
		if errs := r.List("deleteConnection.errors"); len(errs) != 1 || errs[0] != tc.want {
			t.Errorf("%s %s: errors %v, want [%s]", tc.token, tc.id, errs, tc.want)
		}
	}
	if _, found := s.Connection(id); !found {
		t.Fatal("deleted by a denied call")
	}
	r := del(TokenEditor, id)
	if !r.Bool("deleteConnection.success") || len(r.List("deleteConnection.errors")) != 0 {
		t.Fatalf("delete: %s", r.Raw)
	}
	if _, found := s.Connection(id); found {
		t.Fatal("still stored")
	}
	r = ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": id}))
	if r.Data("connection") != nil {
		t.Fatal("still served")
	}
	if errs := del(TokenAdmin, id).List("deleteConnection.errors"); len(errs) != 1 || errs[0] != errNotFound {
		t.Fatalf("second delete: %v", errs)
	}
	// The slug is free again.
	if _, slug := mustCreate(t, s, map[string]any{"name": "Doomed"}); slug != "doomed" {
		t.Fatalf("slug %q", slug)
	}
}

// Rule: a delete of a malformed id is a top-level error worded as Django words
// it, with data null.
func TestDeleteMalformedIDIsTopLevelError(t *testing.T) {
	s := Start(t)
	for _, id := range []string{"not-a-uuid", "", "5e0d0000-0000-4000-8000-00000000000g"} {
		r := gql(t, s, TokenAdmin, deleteMutation, map[string]any{"input": map[string]any{"id": id}})
		if r.Status != 200 || len(r.Errors()) != 1 {
			t.Fatalf("%q: want one top-level error, got %d %s", id, r.Status, r.Raw)
		}
		if d, present := r.Body["data"]; !present || d != nil {
			t.Errorf("%q: data %v, want null", id, d)
		}
		if got, want := r.Errors()[0]["message"], "“"+id+"” is not a valid UUID."; got != want {
			t.Errorf("message %q, want %q", got, want)
		}
	}
}

func TestTestConnection(t *testing.T) {
	// These cases check the mutation's rules; the real PostgreSQL check has its own test.
	s := Start(t, WithConnectionTester(func(context.Context, string, map[string]string) error { return nil }))
	run := func(token string, in map[string]any) (bool, any) {
		t.Helper()
		if _, ok := in["workspaceSlug"]; !ok {
			in["workspaceSlug"] = WorkspaceMain
		}
		if _, ok := in["fields"]; !ok {
			in["fields"] = []any{}
		}
		r := ok(t, gql(t, s, token, testMutation, map[string]any{"input": in}))
		return r.Bool("testConnection.success"), r.Data("testConnection.errors")
	}
	pg := fieldsIn("host", "h", false, "port", "5432", false, "db_name", "d", false, "username", "u", false, "password", "p", true)

	if good, msg := run(TokenAdmin, map[string]any{"type": TypePostgreSQL, "fields": pg}); !good || msg != nil {
		t.Errorf("postgres: %v %v", good, msg)
	}
	if good, msg := run(TokenEditor, map[string]any{"type": TypeS3, "fields": fieldsIn("bucket_name", "b", false, "access_key_id", "", false, "access_key_secret", nil, true)}); !good || msg != nil {
		t.Errorf("public S3: %v %v", good, msg)
	}
	// Rule: rights are answered with a bare code; the rest with the text of what
	// failed, as the real server words it.
	for name, tc := range map[string]struct {
		token string
		in    map[string]any
		want  string
	}{
		"viewer":          {TokenViewer, map[string]any{"type": TypePostgreSQL, "fields": pg}, "PERMISSION_DENIED"},
		"outsider":        {TokenOutsider, map[string]any{"type": TypePostgreSQL, "fields": pg}, "NOT_FOUND"},
		"no workspace":    {TokenSuperuser, map[string]any{"workspaceSlug": "nope", "type": TypePostgreSQL, "fields": pg}, "NOT_FOUND"},
		"viewer, custom":  {TokenViewer, map[string]any{"type": TypeCustom}, "PERMISSION_DENIED"},
		"custom":          {TokenAdmin, map[string]any{"type": TypeCustom, "fields": fieldsIn("a", "b", false)}, "Testing is not supported for CUSTOM connections"},
		"missing codes":   {TokenAdmin, map[string]any{"type": TypeDHIS2, "fields": fieldsIn("url", "https://x", false)}, "'username'"},
		"gcs missing key": {TokenAdmin, map[string]any{"type": TypeGCS, "fields": fieldsIn("bucket_name", "b", false)}, "'service_account_key'"},
		"bad port": {TokenAdmin, map[string]any{"type": TypePostgreSQL, "fields": fieldsIn("host", "h", false, "port", "54x", false,
			"db_name", "d", false, "username", "u", false, "password", "p", true)}, "invalid literal for int() with base 10: '54x'"},
	} {
		good, msg := run(tc.token, tc.in)
		if good {
			t.Errorf("%s: success", name)
		}
		if s, _ := msg.(string); s != tc.want {
			t.Errorf("%s: errors %q, want %q", name, s, tc.want)
		}
	}

	// The hook sees the type and the fields (null as ""), and its error is the
	// message.
	var mu sync.Mutex
	var gotType string
	var gotFields map[string]string
	s.SetConnectionTester(func(ctx context.Context, connType string, fields map[string]string) error {
		mu.Lock()
		defer mu.Unlock()
		gotType, gotFields = connType, fields
		if fields["host"] == "unreachable" {
			return errors.New("could not connect to server: Connection refused")
		}
		return nil
	})
	if good, _ := run(TokenAdmin, map[string]any{"type": TypePostgreSQL, "fields": pg}); !good {
		t.Error("hook: success expected")
	}
	mu.Lock()
	if gotType != TypePostgreSQL || gotFields["password"] != "p" || gotFields["port"] != "5432" {
		t.Errorf("hook got %s %v", gotType, gotFields)
	}
	mu.Unlock()
	bad := fieldsIn("host", "unreachable", false, "port", "5432", false, "db_name", "d", false, "username", "u", false, "password", nil, true)
	if good, msg := run(TokenAdmin, map[string]any{"type": TypePostgreSQL, "fields": bad}); good || msg != "could not connect to server: Connection refused" {
		t.Errorf("hook error: %v %v", good, msg)
	}
	mu.Lock()
	if v, present := gotFields["password"]; !present || v != "" {
		t.Errorf("null value passed as %q (present %v)", v, present)
	}
	mu.Unlock()
	// The hook is not called for a denied caller.
	mu.Lock()
	gotType = ""
	mu.Unlock()
	run(TokenViewer, map[string]any{"type": TypeIASO, "fields": fieldsIn("url", "u", false, "username", "u", false, "password", "p", true)})
	mu.Lock()
	if gotType != "" {
		t.Error("hook called for a viewer")
	}
	mu.Unlock()
	// Nothing is stored by a test.
	if n := len(s.AllConnections()); n != 0 {
		t.Errorf("%d connections stored", n)
	}
	// Back to the default tester: it only reaches loopback, never resolving a
	// name (no traffic leaves the machine); its own test is TestDefaultTester.
	s.SetConnectionTester(nil)
	if good, msg := run(TokenAdmin, map[string]any{"type": TypePostgreSQL, "fields": bad}); good ||
		msg != `could not translate host name "unreachable" to address: Temporary failure in name resolution`+loopbackNote {
		t.Errorf("default tester with a non-loopback host: %v %v", good, msg)
	}
}

func TestConcurrentCreates(t *testing.T) {
	s := Start(t)
	const n = 40
	var wg sync.WaitGroup
	slugs := make([]string, n)
	errs := make(chan error, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := []string{TokenAdmin, TokenEditor, TokenSuperuser}[i%3]
			in := map[string]any{"name": "DB", "workspaceSlug": WorkspaceMain, "type": TypeCustom,
				"fields": fieldsIn("n", fmt.Sprint(i), false, "secret", "s", true)}
			r, err := tryGQL(s, token, createMutation, map[string]any{"input": in})
			if err != nil || r.Status != 200 || !r.Bool("createConnection.success") {
				errs <- fmt.Errorf("create %d: %v %s", i, err, r.Raw)
				return
			}
			slugs[i] = r.Str("createConnection.connection.slug")
			// Concurrent reads and updates meanwhile.
			if _, err := tryGQL(s, TokenViewer, workspaceQuery, map[string]any{"slug": WorkspaceMain}); err != nil {
				errs <- err
			}
			if _, err := tryGQL(s, token, updateMutation, map[string]any{"input": map[string]any{"id": r.Str("createConnection.connection.id"), "description": "d"}}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	plain := 0
	for _, slug := range slugs {
		if seen[slug] {
			t.Errorf("slug %q given twice", slug)
		}
		seen[slug] = true
		if slug == "db" {
			plain++
		} else if !suffixed.MatchString(slug) {
			t.Errorf("slug %q", slug)
		}
	}
	if plain != 1 {
		t.Errorf("%d connections got the plain slug", plain)
	}
	if got := len(s.Connections(WorkspaceMain)); got != n {
		t.Errorf("%d connections stored, want %d", got, n)
	}
	if got := s.RequestCount("Create"); got != n {
		t.Errorf("RequestCount(Create) = %d", got)
	}
}
