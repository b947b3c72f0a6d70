package openhexatest

import (
	"slices"
	"testing"
	"time"
)

func TestCreateStoredIsServed(t *testing.T) {
	s := Start(t)
	sc := s.CreateStored(StoredConnection{
		Workspace: WorkspaceMain,
		Name:      "Made elsewhere",
		Type:      TypeDHIS2,
		CreatedBy: EmailEditor,
		Fields:    []Field{{Code: "url", Value: "https://dhis2"}, {Code: "password", Value: "pw", Secret: true}},
	})
	if sc.ID == "" || sc.Slug != "made-elsewhere" || sc.CreatedAt.IsZero() || !sc.UpdatedAt.Equal(sc.CreatedAt) {
		t.Fatalf("defaults not filled in: %+v", sc)
	}
	r := ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": sc.ID}))
	if r.Str("connection.slug") != "made-elsewhere" || r.Str("connection.__typename") != "DHIS2Connection" || r.Str("connection.user.email") != EmailEditor {
		t.Fatalf("%s", r.Raw)
	}
	if r.Str("connection.createdAt") != formatTime(sc.CreatedAt) {
		t.Errorf("createdAt %s, stored %v", r.Str("connection.createdAt"), sc.CreatedAt)
	}
	// A clash gets the suffix; an explicit id and type default are kept.
	id := "0b7c4a52-7f1e-4c3a-9d7e-2f4b6a8c0d1e"
	sc2 := s.CreateStored(StoredConnection{ID: id, Workspace: WorkspaceMain, Name: "x", Slug: "made-elsewhere"})
	if sc2.ID != id || sc2.Type != TypeCustom || sc2.Slug == "made-elsewhere" || len(sc2.Slug) != len("made-elsewhere-xxxx") {
		t.Fatalf("%+v", sc2)
	}
	if got, found := s.ConnectionBySlug(WorkspaceMain, sc2.Slug); !found || got.ID != id {
		t.Fatalf("ConnectionBySlug: %+v %v", got, found)
	}
	if _, found := s.ConnectionBySlug(WorkspaceOther, sc2.Slug); found {
		t.Fatal("found in another workspace")
	}
	if got := s.AllConnections(); len(got) != 2 || got[0].ID != id {
		t.Fatalf("AllConnections: %+v", got)
	}
}

func TestCreateStoredPanicsOnMistakes(t *testing.T) {
	s := New()
	for name, c := range map[string]StoredConnection{
		"unknown workspace": {Workspace: "nope", Name: "x"},
		"bad id":            {Workspace: WorkspaceMain, Name: "x", ID: "nope"},
		"unknown creator":   {Workspace: WorkspaceMain, Name: "x", CreatedBy: "ghost@example.org"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			s.CreateStored(c)
		}()
	}
}

func TestModifyStored(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Drifting", "fields": fieldsIn("a", "1", false, "b", "2", true)})
	before, _ := s.Connection(id)
	changed := s.ModifyStored(id, func(c *StoredConnection) {
		c.Name = "Drifted"
		c.Slug = "drifted"
		c.ID = "ignored"
		c.Fields = append(c.Fields[1:], Field{Code: "c", Value: "3"})
		c.Fields[0].Value = "22"
	})
	if !changed {
		t.Fatal("ModifyStored: not found")
	}
	after, _ := s.Connection(id)
	if after.Name != "Drifted" || after.Slug != "drifted" || after.ID != id || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Fatalf("%+v", after)
	}
	if !slices.Equal(after.Fields, []Field{{Code: "b", Value: "22", Secret: true}, {Code: "c", Value: "3"}}) {
		t.Fatalf("fields %+v", after.Fields)
	}
	r := ok(t, gql(t, s, TokenViewer, connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": "drifted"}))
	if m := fieldMap(t, r.Data("connectionBySlug")); m["b"] != nil || m["c"] != "3" {
		t.Fatalf("served %v", m)
	}
	// An explicit UpdatedAt is kept.
	at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	s.ModifyStored(id, func(c *StoredConnection) { c.UpdatedAt = at })
	if got, _ := s.Connection(id); !got.UpdatedAt.Equal(at) {
		t.Fatalf("UpdatedAt %v", got.UpdatedAt)
	}
	r = ok(t, gql(t, s, TokenViewer, connectionQuery, map[string]any{"id": id}))
	if r.Str("connection.updatedAt") != "2020-01-02T03:04:05.000Z" {
		t.Fatalf("updatedAt %s", r.Str("connection.updatedAt"))
	}
	if s.ModifyStored(newUUID(), func(*StoredConnection) {}) || s.ModifyStored("bad", func(*StoredConnection) {}) {
		t.Fatal("ModifyStored of an unknown id")
	}
}

func TestDeleteStored(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Vanishing"})
	if !s.DeleteStored(id) || s.DeleteStored(id) || s.DeleteStored("bad") {
		t.Fatal("DeleteStored results")
	}
	r := ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": id}))
	if r.Data("connection") != nil {
		t.Fatal("still served")
	}
}

func TestParseUUID(t *testing.T) {
	const want = "0b7c4a52-7f1e-4c3a-9d7e-2f4b6a8c0d1e"
	for _, in := range []string{want, "0B7C4A52-7F1E-4C3A-9D7E-2F4B6A8C0D1E", "0b7c4a527f1e4c3a9d7e2f4b6a8c0d1e", "{" + want + "}", "urn:uuid:" + want} {
		if got, valid := parseUUID(in); !valid || got != want {
			t.Errorf("parseUUID(%q) = %q %v", in, got, valid)
		}
	}
	for _, in := range []string{"", "x", want + "0", want[:35], "0b7c4a52-7f1e-4c3a-9d7e-2f4b6a8c0d1g"} {
		if _, valid := parseUUID(in); valid {
			t.Errorf("parseUUID(%q) valid", in)
		}
	}
	if _, valid := parseUUID(newUUID()); !valid {
		t.Error("newUUID not parseable")
	}
}

func TestClockIsStrictlyIncreasing(t *testing.T) {
	st := newStore()
	prev := st.now()
	for range 1000 {
		next := st.now()
		if !next.After(prev) || next.Nanosecond()%1000 != 0 {
			t.Fatalf("%v after %v", next, prev)
		}
		prev = next
	}
}

func TestFormatTime(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC):                         "2026-08-01T12:00:00.000Z",
		time.Date(2026, 8, 1, 12, 0, 0, 123456000, time.UTC):                 "2026-08-01T12:00:00.123Z",
		time.Date(2026, 8, 1, 14, 0, 0, 999999000, time.FixedZone("", 7200)): "2026-08-01T12:00:00.999Z",
	} {
		if got := formatTime(in); got != want {
			t.Errorf("formatTime(%v) = %s, want %s", in, got, want)
		}
	}
}
