package openhexatest

import (
	"regexp"
	"slices"
	"testing"
	"time"
)

func TestWorkspacePermissionsByRole(t *testing.T) {
	s := Start(t)
	type perms struct{ create, update, members bool }
	for _, tc := range []struct {
		token string
		role  any // nil: currentMembership null
		want  perms
	}{
		{TokenAdmin, RoleAdmin, perms{true, true, true}},
		{TokenEditor, RoleEditor, perms{true, true, false}},
		{TokenViewer, RoleViewer, perms{false, false, false}},
		{TokenSuperuser, nil, perms{true, true, true}},
	} {
		r := ok(t, gql(t, s, tc.token, workspaceQuery, map[string]any{"slug": WorkspaceMain}))
		if r.Str("workspace.slug") != WorkspaceMain || r.Str("workspace.name") != WorkspaceMainName {
			t.Fatalf("%s: %s", tc.token, r.Raw)
		}
		got := perms{r.Bool("workspace.permissions.createConnection"), r.Bool("workspace.permissions.update"), r.Bool("workspace.permissions.manageMembers")}
		if got != tc.want {
			t.Errorf("%s: permissions %+v, want %+v", tc.token, got, tc.want)
		}
		if tc.role == nil {
			if r.Data("workspace.currentMembership") != nil {
				t.Errorf("%s: currentMembership = %v, want null", tc.token, r.Data("workspace.currentMembership"))
			}
		} else {
			if r.Data("workspace.currentMembership.role") != tc.role {
				t.Errorf("%s: role = %v", tc.token, r.Data("workspace.currentMembership.role"))
			}
			if _, valid := parseUUID(r.Str("workspace.currentMembership.id")); !valid {
				t.Errorf("%s: membership id %q", tc.token, r.Str("workspace.currentMembership.id"))
			}
		}
	}
}

func TestWorkspaceNullWhenMissingOrNotVisible(t *testing.T) {
	s := Start(t)
	for _, tc := range []struct{ token, slug string }{
		{TokenOutsider, WorkspaceMain},
		{TokenEditor, WorkspaceOther},
		{TokenAdmin, "no-such-workspace"},
		{TokenSuperuser, "no-such-workspace"},
	} {
		r := ok(t, gql(t, s, tc.token, workspaceQuery, map[string]any{"slug": tc.slug}))
		if r.Data("workspace") != nil {
			t.Errorf("%s in %s: %s", tc.token, tc.slug, r.Raw)
		}
	}
	r := ok(t, gql(t, s, TokenOutsider, workspaceQuery, map[string]any{"slug": WorkspaceOther}))
	if r.Str("workspace.slug") != WorkspaceOther {
		t.Errorf("outsider cannot see its own workspace: %s", r.Raw)
	}
}

func TestConnectionNullWhenMissingOrNotVisible(t *testing.T) {
	s := Start(t)
	id, slug := mustCreate(t, s, map[string]any{"name": "Main DB"})

	r := ok(t, gql(t, s, TokenOutsider, connectionQuery, map[string]any{"id": id}))
	if r.Data("connection") != nil {
		t.Errorf("outsider sees the connection: %s", r.Raw)
	}
	r = ok(t, gql(t, s, TokenOutsider, connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": slug}))
	if r.Data("connectionBySlug") != nil {
		t.Errorf("outsider sees the connection by slug: %s", r.Raw)
	}
	r = ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": newUUID()}))
	if r.Data("connection") != nil {
		t.Errorf("unknown id: %s", r.Raw)
	}
	r = ok(t, gql(t, s, TokenAdmin, connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": "nope"}))
	if r.Data("connectionBySlug") != nil {
		t.Errorf("unknown slug: %s", r.Raw)
	}
	r = ok(t, gql(t, s, TokenAdmin, connectionBySlugQuery, map[string]any{"ws": WorkspaceOther, "slug": slug}))
	if r.Data("connectionBySlug") != nil {
		t.Errorf("slug of another workspace: %s", r.Raw)
	}
	for _, token := range []string{TokenAdmin, TokenEditor, TokenViewer, TokenSuperuser} {
		r = ok(t, gql(t, s, token, connectionQuery, map[string]any{"id": id}))
		if r.Str("connection.id") != id {
			t.Errorf("%s: connection(id): %s", token, r.Raw)
		}
		r = ok(t, gql(t, s, token, connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": slug}))
		if r.Str("connectionBySlug.id") != id {
			t.Errorf("%s: connectionBySlug: %s", token, r.Raw)
		}
	}
}

// isoDateTime is how the real server writes a DateTime: milliseconds and "Z".
var isoDateTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestConnectionShape(t *testing.T) {
	s := Start(t)
	typenames := map[string]string{
		TypePostgreSQL: "PostgreSQLConnection",
		TypeDHIS2:      "DHIS2Connection",
		TypeIASO:       "IASOConnection",
		TypeS3:         "S3Connection",
		TypeGCS:        "GCSConnection",
		TypeCustom:     "CustomConnection",
	}
	for typ, typename := range typenames {
		r := ok(t, create(t, s, TokenEditor, map[string]any{
			"name": "Conn " + typ, "type": typ,
			"fields": fieldsIn("z_last", "1", false, "a_first", "2", true, "m_mid", "3", false),
		}))
		c := r.Data("createConnection.connection")
		if dig(c, "__typename") != typename || dig(c, "type") != typ {
			t.Errorf("%s: __typename %v type %v", typ, dig(c, "__typename"), dig(c, "type"))
		}
		if d, present := c.(map[string]any)["description"]; !present || d != "" {
			t.Errorf("%s: description = %#v, want \"\"", typ, d)
		}
		if dig(c, "user.email") != EmailEditor {
			t.Errorf("%s: user = %v, want the creator", typ, dig(c, "user"))
		}
		for _, k := range []string{"createdAt", "updatedAt", "fields.0.createdAt", "fields.0.updatedAt"} {
			if v, _ := dig(c, k).(string); !isoDateTime.MatchString(v) {
				t.Errorf("%s: %s = %q is not ISO 8601 with milliseconds and Z", typ, k, v)
			}
		}
		if got := fieldCodes(t, c); !slices.Equal(got, []string{"z_last", "a_first", "m_mid"}) {
			t.Errorf("%s: fields in order %v, want creation order", typ, got)
		}
		if _, valid := parseUUID(as[string](t, dig(c, "id"))); !valid {
			t.Errorf("%s: id %v", typ, dig(c, "id"))
		}
	}
}

func TestTypeSpecificFragments(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "PG", "type": TypePostgreSQL})
	r := ok(t, gql(t, s, TokenAdmin, `query Q($id: UUID!) { connection(id: $id) {
		... on PostgreSQLConnection { pg: slug }
		... on DHIS2Connection { dhis2: slug }
	} }`, map[string]any{"id": id}))
	if r.Str("connection.pg") != "pg" || r.Data("connection.dhis2") != nil {
		t.Fatalf("fragments: %s", r.Raw)
	}
}

func TestConnectionPermissionsByRole(t *testing.T) {
	s := Start(t)
	id, _ := mustCreate(t, s, map[string]any{"name": "Perms"})
	for token, want := range map[string]bool{TokenAdmin: true, TokenEditor: true, TokenViewer: false, TokenSuperuser: true} {
		r := ok(t, gql(t, s, token, connectionQuery, map[string]any{"id": id}))
		if r.Bool("connection.permissions.update") != want || r.Bool("connection.permissions.delete") != want {
			t.Errorf("%s: permissions %v, want %v", token, r.Data("connection.permissions"), want)
		}
	}
}

func TestSecretsByRole(t *testing.T) {
	s := Start(t)
	fields := fieldsIn("host", "db", false, "password", "s3cr3t", true)
	r := ok(t, create(t, s, TokenEditor, map[string]any{"name": "Secretive", "type": TypePostgreSQL, "fields": fields}))
	if m := fieldMap(t, r.Data("createConnection.connection")); m["password"] != "s3cr3t" {
		t.Errorf("editor create result: password %v", m["password"])
	}
	id := r.Str("createConnection.connection.id")

	for token, inClear := range map[string]bool{TokenAdmin: true, TokenEditor: true, TokenSuperuser: true, TokenViewer: false} {
		for _, q := range []struct {
			doc  string
			vars map[string]any
			path string
		}{
			{connectionQuery, map[string]any{"id": id}, "connection"},
			{connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": "secretive"}, "connectionBySlug"},
			{workspaceQuery, map[string]any{"slug": WorkspaceMain}, "workspace.connections.0"},
		} {
			r := ok(t, gql(t, s, token, q.doc, q.vars))
			m := fieldMap(t, r.Data(q.path))
			if m["host"] != "db" {
				t.Errorf("%s %s: host %v", token, q.path, m["host"])
			}
			want := any(nil)
			if inClear {
				want = "s3cr3t"
			}
			if m["password"] != want {
				t.Errorf("%s %s: password %v, want %v", token, q.path, m["password"], want)
			}
			if secret := dig(r.Data(q.path), "fields.1.secret"); secret != true {
				t.Errorf("%s: secret flag %v", token, secret)
			}
		}
	}

	// A viewer whose role is raised sees the secret in the mutation result, too.
	viewer := s.AddUser("reader@openhexa.test", false)
	s.AddMember(WorkspaceMain, viewer, RoleEditor)
	r = ok(t, gql(t, s, viewer, updateMutation, map[string]any{"input": map[string]any{"id": id, "name": "Renamed"}}))
	if m := fieldMap(t, r.Data("updateConnection.connection")); m["password"] != "s3cr3t" {
		t.Errorf("editor update result: password %v", m["password"])
	}
}

func TestSecretsFollowTheCallersCurrentRole(t *testing.T) {
	s := Start(t)
	tok := s.AddUser("flip@openhexa.test", false)
	s.AddMember(WorkspaceMain, tok, RoleEditor)
	r := ok(t, create(t, s, tok, map[string]any{"name": "Flip", "fields": fieldsIn("key", "v", true)}))
	if m := fieldMap(t, r.Data("createConnection.connection")); m["key"] != "v" {
		t.Fatalf("editor create result: key %v", m["key"])
	}
	id := r.Str("createConnection.connection.id")
	s.AddMember(WorkspaceMain, tok, RoleViewer)
	r = ok(t, gql(t, s, tok, connectionQuery, map[string]any{"id": id}))
	if m := fieldMap(t, r.Data("connection")); m["key"] != nil {
		t.Errorf("downgraded user sees %v", m["key"])
	}
	// The same user, ADMIN elsewhere, sees secrets there only.
	s.AddMember(WorkspaceOther, tok, RoleAdmin)
	other, _ := mustCreate(t, s, map[string]any{"workspaceSlug": WorkspaceOther, "name": "Other", "fields": fieldsIn("key", "w", true)})
	r = ok(t, gql(t, s, tok, connectionQuery, map[string]any{"id": other}))
	if m := fieldMap(t, r.Data("connection")); m["key"] != "w" {
		t.Errorf("admin of the other workspace: key %v", m["key"])
	}
}

func TestListOrderMostRecentlyUpdatedFirst(t *testing.T) {
	s := Start(t)
	a, _ := mustCreate(t, s, map[string]any{"name": "A"})
	b, _ := mustCreate(t, s, map[string]any{"name": "B"})
	c, _ := mustCreate(t, s, map[string]any{"name": "C"})
	names := func() []string {
		r := ok(t, gql(t, s, TokenViewer, workspaceQuery, map[string]any{"slug": WorkspaceMain}))
		var out []string
		for _, c := range r.List("workspace.connections") {
			out = append(out, as[string](t, dig(c, "name")))
		}
		return out
	}
	if got := names(); !slices.Equal(got, []string{"C", "B", "A"}) {
		t.Fatalf("after create: %v", got)
	}
	ok(t, gql(t, s, TokenAdmin, updateMutation, map[string]any{"input": map[string]any{"id": a, "description": "touched"}}))
	if got := names(); !slices.Equal(got, []string{"A", "C", "B"}) {
		t.Fatalf("after update of A: %v", got)
	}
	s.ModifyStored(b, func(sc *StoredConnection) { sc.Description = "out of band" })
	if got := names(); !slices.Equal(got, []string{"B", "A", "C"}) {
		t.Fatalf("after out-of-band change of B: %v", got)
	}
	// Explicit timestamps decide, too.
	s.ModifyStored(c, func(sc *StoredConnection) { sc.UpdatedAt = time.Now().Add(time.Hour) })
	if got := names(); !slices.Equal(got, []string{"C", "B", "A"}) {
		t.Fatalf("after future updatedAt of C: %v", got)
	}
	if got := s.Connections(WorkspaceMain); len(got) != 3 || got[0].ID != c || got[1].ID != b || got[2].ID != a {
		t.Fatalf("Connections() order differs from the API")
	}
	// Workspaces are separate lists.
	r := ok(t, gql(t, s, TokenAdmin, workspaceQuery, map[string]any{"slug": WorkspaceOther}))
	if n := len(r.List("workspace.connections")); n != 0 {
		t.Fatalf("other workspace lists %d connections", n)
	}
}

func TestCreatedByNullUser(t *testing.T) {
	s := Start(t)
	sc := s.CreateStored(StoredConnection{Workspace: WorkspaceMain, Name: "Orphan"})
	r := ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": sc.ID}))
	if d, present := r.Data("connection").(map[string]any)["user"]; !present || d != nil {
		t.Fatalf("user = %v, want null", d)
	}
}
