package openhexatest

import (
	"context"
	"maps"
	"slices"
)

// rootResolver answers the Query and Mutation root fields. Every resolver takes
// the store lock, copies what it needs into immutable views and releases it, so
// graphql-go may resolve the views' fields concurrently without touching the
// store.
type rootResolver struct {
	s *Server
}

// ---- Query ----

func (r *rootResolver) Me(ctx context.Context) *meResolver {
	p := principalFrom(ctx)
	if p == nil {
		return &meResolver{}
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.users[p.userID]
	if u == nil {
		return &meResolver{}
	}
	return &meResolver{user: userView(u), superuser: u.superuser}
}

func (r *rootResolver) Workspace(ctx context.Context, args struct{ Slug string }) (*workspaceResolver, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	ws := st.workspaces[args.Slug]
	rt := st.rightsIn(p, ws)
	if !rt.visible {
		return nil, nil
	}
	return &workspaceResolver{s: r.s, p: p, slug: ws.slug, name: ws.name, description: ws.description, rights: rt}, nil
}

// Workspaces answers a page of the workspaces the caller can see. Upstream orders
// them by last update; the test server has no such time for workspaces and orders
// them by slug.
func (r *rootResolver) Workspaces(ctx context.Context, args struct {
	Page    *int32
	PerPage *int32
}) (*workspacePageResolver, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	page, perPage := int32(1), int32(15)
	if args.Page != nil {
		page = *args.Page
	}
	if args.PerPage != nil {
		perPage = *args.PerPage
	}
	if page < 1 || perPage < 1 {
		return nil, &apiError{message: "That page number is less than 1"}
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var visible []*workspaceResolver
	for _, slug := range slices.Sorted(maps.Keys(st.workspaces)) {
		ws := st.workspaces[slug]
		if rt := st.rightsIn(p, ws); rt.visible {
			visible = append(visible, &workspaceResolver{s: r.s, p: p, slug: ws.slug, name: ws.name, description: ws.description, rights: rt})
		}
	}
	total := int32(len(visible))
	pages := max(1, (total+perPage-1)/perPage)
	out := &workspacePageResolver{pageNumber: page, totalPages: pages, totalItems: total, items: []*workspaceResolver{}}
	if start := (page - 1) * perPage; start < total {
		out.items = visible[start:min(total, start+perPage)]
	}
	return out, nil
}

type workspacePageResolver struct {
	pageNumber, totalPages, totalItems int32
	items                              []*workspaceResolver
}

func (w *workspacePageResolver) PageNumber() int32           { return w.pageNumber }
func (w *workspacePageResolver) TotalPages() int32           { return w.totalPages }
func (w *workspacePageResolver) TotalItems() int32           { return w.totalItems }
func (w *workspacePageResolver) Items() []*workspaceResolver { return w.items }

func (r *rootResolver) Connection(ctx context.Context, args struct{ ID uuidScalar }) (*connectionResolver, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	c := st.connections[string(args.ID)]
	if c == nil {
		return nil, nil
	}
	return st.connectionView(p, c), nil
}

func (r *rootResolver) ConnectionBySlug(ctx context.Context, args struct {
	WorkspaceSlug  string
	ConnectionSlug string
}) (*connectionResolver, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, c := range st.connections {
		if c.workspace == args.WorkspaceSlug && c.slug == args.ConnectionSlug {
			return st.connectionView(p, c), nil
		}
	}
	return nil, nil
}

// connectionView copies a connection for the caller, or returns nil when the
// caller cannot see its workspace; st.mu must be held.
func (st *store) connectionView(p *principal, c *connection) *connectionResolver {
	rt := st.rightsIn(p, st.workspaces[c.workspace])
	if !rt.visible {
		return nil
	}
	v := &connectionResolver{
		id:          c.id,
		name:        c.name,
		slug:        c.slug,
		description: c.description,
		typ:         c.typ,
		createdAt:   c.createdAt,
		updatedAt:   c.updatedAt,
		fields:      append([]field(nil), c.fields...),
		manage:      rt.manage,
	}
	if u := st.users[c.userID]; u != nil {
		v.user = userView(u)
	}
	return v
}

// ---- Me, User ----

type meResolver struct {
	user      *userResolver
	superuser bool
}

func (m *meResolver) User() *userResolver { return m.user }

func (m *meResolver) Permissions() *mePermissionsResolver {
	return &mePermissionsResolver{superUser: m.superuser}
}

type mePermissionsResolver struct{ superUser bool }

func (m *mePermissionsResolver) SuperUser() bool { return m.superUser }

type userResolver struct {
	id, email, displayName string
}

func userView(u *user) *userResolver {
	return &userResolver{id: u.id, email: u.email, displayName: u.displayName}
}

func (u *userResolver) ID() uuidScalar      { return uuidScalar(u.id) }
func (u *userResolver) Email() string       { return u.email }
func (u *userResolver) DisplayName() string { return u.displayName }

// ---- Workspace ----

type workspaceResolver struct {
	s                       *Server
	p                       *principal
	slug, name, description string
	rights                  rights
}

func (w *workspaceResolver) Slug() string         { return w.slug }
func (w *workspaceResolver) Name() string         { return w.name }
func (w *workspaceResolver) Description() *string { return &w.description }

func (w *workspaceResolver) Connections() []*connectionResolver {
	st := w.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := []*connectionResolver{}
	for _, c := range st.workspaceConnections(w.slug) {
		if v := st.connectionView(w.p, c); v != nil {
			out = append(out, v)
		}
	}
	return out
}

func (w *workspaceResolver) Permissions() *workspacePermissionsResolver {
	return &workspacePermissionsResolver{r: w.rights}
}

func (w *workspaceResolver) CurrentMembership() *membershipResolver {
	if w.rights.role == "" {
		return nil
	}
	return &membershipResolver{id: w.rights.membership, role: w.rights.role}
}

type workspacePermissionsResolver struct{ r rights }

func (p *workspacePermissionsResolver) CreateConnection() bool { return p.r.manage }
func (p *workspacePermissionsResolver) Update() bool           { return p.r.manage }
func (p *workspacePermissionsResolver) ManageMembers() bool    { return p.r.members }

type membershipResolver struct{ id, role string }

func (m *membershipResolver) ID() uuidScalar { return uuidScalar(m.id) }
func (m *membershipResolver) Role() string   { return m.role }
