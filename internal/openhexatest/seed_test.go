package openhexatest

import (
	"testing"
)

func TestSeedMemberships(t *testing.T) {
	s := Start(t)
	type want struct {
		main, other any // role, nil when not visible/not a member
		superuser   bool
	}
	for token, w := range map[string]want{
		TokenAdmin:     {RoleAdmin, RoleAdmin, false},
		TokenEditor:    {RoleEditor, nil, false},
		TokenViewer:    {RoleViewer, nil, false},
		TokenOutsider:  {nil, RoleAdmin, false},
		TokenSuperuser: {"super", "super", true},
	} {
		for ws, role := range map[string]any{WorkspaceMain: w.main, WorkspaceOther: w.other} {
			r := ok(t, gql(t, s, token, workspaceQuery, map[string]any{"slug": ws}))
			switch role {
			case nil:
				if r.Data("workspace") != nil {
					t.Errorf("%s sees %s", token, ws)
				}
			case "super":
				if r.Str("workspace.slug") != ws || r.Data("workspace.currentMembership") != nil {
					t.Errorf("%s in %s: %s", token, ws, r.Raw)
				}
			default:
				if r.Data("workspace.currentMembership.role") != role {
					t.Errorf("%s in %s: role %v, want %v", token, ws, r.Data("workspace.currentMembership.role"), role)
				}
			}
		}
		r := ok(t, gql(t, s, token, `{ me { permissions { superUser } } }`, nil))
		if r.Bool("me.permissions.superUser") != w.superuser {
			t.Errorf("%s: superUser %v", token, !w.superuser)
		}
	}
	if n := len(s.AllConnections()); n != 0 {
		t.Errorf("New seeds %d connections", n)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := New(), New()
	for _, u := range SeedUsers() {
		ua, _ := a.UserByToken(u.Token)
		ub, _ := b.UserByToken(u.Token)
		if ua != ub || ua.ID != u.ID || ua.Email != u.Email {
			t.Errorf("%s: %+v vs %+v", u.Label, ua, ub)
		}
	}
	sa, sb := Start(t), Start(t)
	const q = `query Ws($slug: String!) { workspace(slug: $slug) { currentMembership { id } } }`
	for _, tok := range []string{TokenAdmin, TokenEditor, TokenViewer} {
		ra := ok(t, gql(t, sa, tok, q, map[string]any{"slug": WorkspaceMain}))
		rb := ok(t, gql(t, sb, tok, q, map[string]any{"slug": WorkspaceMain}))
		if ra.Str("workspace.currentMembership.id") != rb.Str("workspace.currentMembership.id") {
			t.Errorf("%s: membership ids differ", tok)
		}
	}
}

func TestSampleConnections(t *testing.T) {
	s := Start(t, WithSampleConnections())
	got := s.Connections(WorkspaceMain)
	if len(got) != len(SampleConnections()) {
		t.Fatalf("%d sample connections", len(got))
	}
	r := ok(t, gql(t, s, TokenViewer, connectionBySlugQuery, map[string]any{"ws": WorkspaceMain, "slug": "surveillance-database"}))
	if r.Str("connectionBySlug.type") != TypePostgreSQL || fieldMap(t, r.Data("connectionBySlug"))["password"] != nil {
		t.Fatalf("%s", r.Raw)
	}
}

func TestAddWorkspaceUserMember(t *testing.T) {
	s := Start(t)
	s.AddWorkspace("sandbox", "Sandbox")
	tok := s.AddUser("new@openhexa.test", false)
	if tok == "" || tok == s.AddUser("other@openhexa.test", false) {
		t.Fatal("tokens not unique")
	}
	r := ok(t, gql(t, s, tok, `{ me { user { email displayName } } }`, nil))
	if r.Str("me.user.email") != "new@openhexa.test" || r.Str("me.user.displayName") == "" {
		t.Fatalf("%s", r.Raw)
	}
	r = ok(t, gql(t, s, tok, workspaceQuery, map[string]any{"slug": "sandbox"}))
	if r.Data("workspace") != nil {
		t.Fatal("non-member sees the workspace")
	}
	r = ok(t, create(t, s, tok, map[string]any{"workspaceSlug": "sandbox", "name": "x"}))
	if r.Data("createConnection.errors.0") != errWorkspaceNotFound {
		t.Fatalf("%s", r.Raw)
	}
	s.AddMember("sandbox", tok, RoleViewer)
	r = ok(t, create(t, s, tok, map[string]any{"workspaceSlug": "sandbox", "name": "x"}))
	if r.Data("createConnection.errors.0") != errPermissionDenied {
		t.Fatalf("%s", r.Raw)
	}
	s.AddMember("sandbox", tok, RoleEditor)
	mustCreateAs(t, s, tok, map[string]any{"workspaceSlug": "sandbox", "name": "x"})
	r = ok(t, gql(t, s, tok, workspaceQuery, map[string]any{"slug": "sandbox"}))
	if r.Str("workspace.name") != "Sandbox" || r.Data("workspace.currentMembership.role") != RoleEditor || len(r.List("workspace.connections")) != 1 {
		t.Fatalf("%s", r.Raw)
	}
	s.AddMember("sandbox", tok, "")
	if r = ok(t, gql(t, s, tok, workspaceQuery, map[string]any{"slug": "sandbox"})); r.Data("workspace") != nil {
		t.Fatal("removed member still sees the workspace")
	}
	s.AddWorkspace("sandbox", "Renamed sandbox")
	su := s.AddUser("root@openhexa.test", true)
	if r = ok(t, gql(t, s, su, workspaceQuery, map[string]any{"slug": "sandbox"})); r.Str("workspace.name") != "Renamed sandbox" {
		t.Fatalf("%s", r.Raw)
	}
	for name, fn := range map[string]func(){
		"duplicate user":    func() { s.AddUser("new@openhexa.test", false) },
		"unknown workspace": func() { s.AddMember("nope", tok, RoleAdmin) },
		"unknown token":     func() { s.AddMember("sandbox", "nope", RoleAdmin) },
		"unknown role":      func() { s.AddMember("sandbox", tok, "OWNER") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			fn()
		}()
	}
}
