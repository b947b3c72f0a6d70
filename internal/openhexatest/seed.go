package openhexatest

import (
	"fmt"
	"strings"
)

// The seeded organisation and workspaces.
const (
	OrganizationName = "Bluesquare"

	WorkspaceMain     = "malaria-surveillance"
	WorkspaceMainName = "Malaria surveillance"

	WorkspaceOther     = "nutrition-survey"
	WorkspaceOtherName = "Nutrition survey"
)

// The seeded tokens (workspace access tokens of the seeded users).
const (
	TokenAdmin     = "ohx-admin-token"     // ADMIN of WorkspaceMain and WorkspaceOther
	TokenEditor    = "ohx-editor-token"    // EDITOR of WorkspaceMain
	TokenViewer    = "ohx-viewer-token"    // VIEWER of WorkspaceMain
	TokenOutsider  = "ohx-outsider-token"  // ADMIN of WorkspaceOther, not a member of WorkspaceMain
	TokenSuperuser = "ohx-superuser-token" // superuser, member of nothing
)

// The seeded users' emails.
const (
	EmailAdmin     = "admin@openhexa.test"
	EmailEditor    = "editor@openhexa.test"
	EmailViewer    = "viewer@openhexa.test"
	EmailOutsider  = "outsider@openhexa.test"
	EmailSuperuser = "superuser@openhexa.test"
)

// SeedUser describes one seeded user, for the standalone command and for tests
// that want to print or check them.
type SeedUser struct {
	Label       string // name in the request log: "admin", "editor", …
	Email       string
	DisplayName string
	ID          string
	Token       string
	SuperUser   bool
	Roles       map[string]string // workspace slug → role
}

// SeedUsers returns the seeded users in a fixed order.
func SeedUsers() []SeedUser {
	return []SeedUser{
		{"admin", EmailAdmin, "Ada Admin", "5e0d0000-0000-4000-8000-000000000001", TokenAdmin, false,
			map[string]string{WorkspaceMain: RoleAdmin, WorkspaceOther: RoleAdmin}},
		{"editor", EmailEditor, "Eddie Editor", "5e0d0000-0000-4000-8000-000000000002", TokenEditor, false,
			map[string]string{WorkspaceMain: RoleEditor}},
		{"viewer", EmailViewer, "Vera Viewer", "5e0d0000-0000-4000-8000-000000000003", TokenViewer, false,
			map[string]string{WorkspaceMain: RoleViewer}},
		{"outsider", EmailOutsider, "Otto Outsider", "5e0d0000-0000-4000-8000-000000000004", TokenOutsider, false,
			map[string]string{WorkspaceOther: RoleAdmin}},
		{"superuser", EmailSuperuser, "Sam Superuser", "5e0d0000-0000-4000-8000-000000000005", TokenSuperuser, true,
			map[string]string{}},
	}
}

// SeedWorkspaces returns the seeded workspaces (slug → name).
func SeedWorkspaces() map[string]string {
	return map[string]string{WorkspaceMain: WorkspaceMainName, WorkspaceOther: WorkspaceOtherName}
}

func (s *Server) seed() {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	for slug, name := range SeedWorkspaces() {
		st.workspaces[slug] = &workspace{slug: slug, name: name, members: map[string]membership{}}
	}
	st.workspaces[WorkspaceMain].description = "Routine malaria surveillance data and pipelines."
	st.workspaces[WorkspaceOther].description = "Nutrition survey analysis."
	m := 0
	for _, su := range SeedUsers() {
		u := &user{id: su.ID, email: su.Email, displayName: su.DisplayName, superuser: su.SuperUser, token: su.Token, label: su.Label}
		st.users[u.id] = u
		st.tokens[u.token] = u
		for _, ws := range []string{WorkspaceMain, WorkspaceOther} { // fixed order: stable membership ids
			if role, ok := su.Roles[ws]; ok {
				m++
				st.workspaces[ws].members[u.id] = membership{id: fmt.Sprintf("3e3b0000-0000-4000-8000-%012d", m), role: role}
			}
		}
	}
}

// SampleConnections returns the connections that WithSampleConnections adds to
// WorkspaceMain, created by the admin.
func SampleConnections() []StoredConnection {
	return []StoredConnection{
		{
			Workspace:   WorkspaceMain,
			Name:        "Surveillance database",
			Description: "PostgreSQL database of the surveillance pipelines",
			Type:        TypePostgreSQL,
			CreatedBy:   EmailAdmin,
			Fields: []Field{
				{Code: "host", Value: "db.example.org"},
				{Code: "port", Value: "5432"},
				{Code: "db_name", Value: "surveillance"},
				{Code: "username", Value: "hexa"},
				{Code: "password", Value: "sample-password", Secret: true},
			},
		},
		{
			Workspace:   WorkspaceMain,
			Name:        "DHIS2 national",
			Description: "",
			Type:        TypeDHIS2,
			CreatedBy:   EmailAdmin,
			Fields: []Field{
				{Code: "url", Value: "https://play.dhis2.example.org"},
				{Code: "username", Value: "admin"},
				{Code: "password", Value: "district", Secret: true},
			},
		},
	}
}

func (s *Server) addSampleConnections() {
	for _, c := range SampleConnections() {
		s.CreateStored(c)
	}
}

// AddWorkspace adds a workspace (with no member) or renames an existing one.
func (s *Server) AddWorkspace(slug, name string) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if ws := st.workspaces[slug]; ws != nil {
		ws.name = name
		return
	}
	st.workspaces[slug] = &workspace{slug: slug, name: name, members: map[string]membership{}}
}

// AddUser adds a user and returns its new token. The request log names the
// token by the email. It panics when the email is already used.
func (s *Server) AddUser(email string, superuser bool) (token string) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.userByEmail(email) != nil {
		panic(fmt.Sprintf("openhexatest: AddUser: user %q already exists", email))
	}
	st.userSeq++
	display, _, _ := strings.Cut(email, "@")
	u := &user{
		id:          newUUID(),
		email:       email,
		displayName: display,
		superuser:   superuser,
		token:       fmt.Sprintf("ohx-user-%d-token", st.userSeq),
		label:       email,
	}
	st.users[u.id] = u
	st.tokens[u.token] = u
	return u.token
}

// AddMember makes the user of token a member of a workspace with a role
// (ADMIN, EDITOR or VIEWER), or changes the role of an existing member. An empty
// role removes the membership. It panics on an unknown workspace, token or role.
func (s *Server) AddMember(workspaceSlug, token string, role string) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	ws := st.workspaces[workspaceSlug]
	if ws == nil {
		panic(fmt.Sprintf("openhexatest: AddMember: unknown workspace %q", workspaceSlug))
	}
	u := st.userByToken(token)
	if u == nil {
		panic("openhexatest: AddMember: unknown token")
	}
	switch role {
	case "":
		delete(ws.members, u.id)
		return
	case RoleAdmin, RoleEditor, RoleViewer:
	default:
		panic(fmt.Sprintf("openhexatest: AddMember: unknown role %q", role))
	}
	m, ok := ws.members[u.id]
	if !ok {
		m.id = newUUID()
	}
	m.role = role
	ws.members[u.id] = m
}

// UserInfo describes the user behind a token.
type UserInfo struct {
	ID          string
	Email       string
	DisplayName string
	SuperUser   bool
}

// UserByToken returns the user behind a token.
func (s *Server) UserByToken(token string) (UserInfo, bool) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.userByToken(token)
	if u == nil {
		return UserInfo{}, false
	}
	return UserInfo{ID: u.id, Email: u.email, DisplayName: u.displayName, SuperUser: u.superuser}, true
}
