package openhexatest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// Role names, as the API spells them (enum WorkspaceMembershipRole).
const (
	RoleAdmin  = "ADMIN"
	RoleEditor = "EDITOR"
	RoleViewer = "VIEWER"
)

// Connection types, as the API spells them (enum ConnectionType).
const (
	TypePostgreSQL = "POSTGRESQL"
	TypeDHIS2      = "DHIS2"
	TypeIASO       = "IASO"
	TypeS3         = "S3"
	TypeGCS        = "GCS"
	TypeCustom     = "CUSTOM"
)

// Field is one field of a stored connection.
type Field struct {
	Code   string
	Value  string
	Secret bool
}

// StoredConnection is a snapshot of a connection as the server stores it. Secret
// values are in clear: this is the test's view of the database, not the API's.
type StoredConnection struct {
	ID          string
	Workspace   string // workspace slug
	Name        string
	Slug        string
	Description string
	Type        string
	Fields      []Field // creation order
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// CreatedBy is the email of the user who created the connection; empty for a
	// connection created out of band without one (the API then answers user: null).
	CreatedBy string
}

type user struct {
	id          string
	email       string
	displayName string
	superuser   bool
	token       string
	label       string // how the request log names this user's token
}

type membership struct {
	id   string
	role string
}

type workspace struct {
	slug        string
	name        string
	description string
	members     map[string]membership // by user id
}

type field struct {
	code      string
	value     string
	secret    bool
	createdAt time.Time
	updatedAt time.Time
}

type connection struct {
	id          string
	workspace   string
	name        string
	slug        string
	description string
	typ         string
	userID      string
	fields      []field
	createdAt   time.Time
	updatedAt   time.Time
	seq         uint64 // creation sequence, breaks updatedAt ties
}

// store is the in-memory database. Every method expects mu to be held by the
// caller unless its name says otherwise.
type store struct {
	mu          sync.Mutex
	workspaces  map[string]*workspace
	users       map[string]*user // by id
	tokens      map[string]*user // by token
	connections map[string]*connection
	last        time.Time
	seq         uint64
	userSeq     int
}

func newStore() *store {
	return &store{
		workspaces:  map[string]*workspace{},
		users:       map[string]*user{},
		tokens:      map[string]*user{},
		connections: map[string]*connection{},
	}
}

// now returns the current UTC time at microsecond precision (what PostgreSQL
// keeps), strictly after every time it returned before, so that "most recently
// updated first" is never a tie between two writes.
func (st *store) now() time.Time {
	// Milliseconds, as the API prints them: two writes never share a timestamp.
	t := time.Now().UTC().Truncate(time.Millisecond)
	if !t.After(st.last) {
		t = st.last.Add(time.Millisecond)
	}
	st.last = t
	return t
}

// observe keeps the clock ahead of a timestamp set from outside.
func (st *store) observe(t time.Time) {
	if t.After(st.last) {
		st.last = t
	}
}

func (st *store) nextSeq() uint64 {
	st.seq++
	return st.seq
}

// newUUID returns a random version 4 UUID in canonical lower-case form.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomSuffix returns "-" and 4 random lower-case hex characters.
func randomSuffix() string {
	return fmt.Sprintf("-%04x", mrand.IntN(0x10000))
}

// parseUUID accepts what Python's uuid.UUID accepts (hyphens anywhere, braces,
// a urn:uuid: prefix, any case) and returns the canonical lower-case form.
func parseUUID(s string) (string, bool) {
	v := strings.TrimSpace(s)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "urn:"), "uuid:")
	v = strings.Trim(v, "{}")
	v = strings.ReplaceAll(v, "-", "")
	if len(v) != 32 {
		return "", false
	}
	if _, err := hex.DecodeString(v); err != nil {
		return "", false
	}
	v = strings.ToLower(v)
	return v[0:8] + "-" + v[8:12] + "-" + v[12:16] + "-" + v[16:20] + "-" + v[20:32], true
}

func (st *store) userByToken(token string) *user {
	if token == "" {
		return nil
	}
	return st.tokens[token]
}

func (st *store) userByEmail(email string) *user {
	for _, u := range st.users {
		if u.email == email {
			return u
		}
	}
	return nil
}

// slugTaken reports whether another connection of the workspace (other than
// exceptID) already uses slug.
func (st *store) slugTaken(ws, slug, exceptID string) bool {
	for _, c := range st.connections {
		if c.workspace == ws && c.slug == slug && c.id != exceptID {
			return true
		}
	}
	return false
}

// uniqueSlug appends "-xxxx" to slug until no connection of the workspace uses it.
func (st *store) uniqueSlug(ws, slug string) string {
	candidate := slug
	for st.slugTaken(ws, candidate, "") {
		candidate = slug + randomSuffix()
	}
	return candidate
}

// workspaceConnections returns the connections of a workspace in API order: most
// recently updated first.
func (st *store) workspaceConnections(ws string) []*connection {
	var out []*connection
	for _, c := range st.connections {
		if c.workspace == ws {
			out = append(out, c)
		}
	}
	sortConnections(out)
	return out
}

func sortConnections(cs []*connection) {
	slices.SortFunc(cs, func(a, b *connection) int {
		if c := b.updatedAt.Compare(a.updatedAt); c != 0 {
			return c
		}
		switch {
		case a.seq > b.seq:
			return -1
		case a.seq < b.seq:
			return 1
		}
		return 0
	})
}

func (st *store) snapshot(c *connection) StoredConnection {
	out := StoredConnection{
		ID:          c.id,
		Workspace:   c.workspace,
		Name:        c.name,
		Slug:        c.slug,
		Description: c.description,
		Type:        c.typ,
		CreatedAt:   c.createdAt,
		UpdatedAt:   c.updatedAt,
	}
	if u := st.users[c.userID]; u != nil {
		out.CreatedBy = u.email
	}
	out.Fields = make([]Field, len(c.fields))
	for i, f := range c.fields {
		out.Fields[i] = Field{Code: f.code, Value: f.value, Secret: f.secret}
	}
	return out
}

// Connections returns a snapshot of the connections of a workspace, in the order
// the API lists them (most recently updated first).
func (s *Server) Connections(workspace string) []StoredConnection {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	cs := st.workspaceConnections(workspace)
	out := make([]StoredConnection, len(cs))
	for i, c := range cs {
		out[i] = st.snapshot(c)
	}
	return out
}

// AllConnections returns a snapshot of every connection of every workspace, most
// recently updated first.
func (s *Server) AllConnections() []StoredConnection {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	cs := make([]*connection, 0, len(st.connections))
	for _, c := range st.connections {
		cs = append(cs, c)
	}
	sortConnections(cs)
	out := make([]StoredConnection, len(cs))
	for i, c := range cs {
		out[i] = st.snapshot(c)
	}
	return out
}

// Connection returns a snapshot of the connection with this id (any UUID
// spelling is accepted).
func (s *Server) Connection(id string) (StoredConnection, bool) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	norm, ok := parseUUID(id)
	if !ok {
		return StoredConnection{}, false
	}
	c := st.connections[norm]
	if c == nil {
		return StoredConnection{}, false
	}
	return st.snapshot(c), true
}

// ConnectionBySlug returns a snapshot of the connection of a workspace with this
// slug.
func (s *Server) ConnectionBySlug(workspace, slug string) (StoredConnection, bool) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, c := range st.connections {
		if c.workspace == workspace && c.slug == slug {
			return st.snapshot(c), true
		}
	}
	return StoredConnection{}, false
}

// CreateStored creates a connection behind the API's back, as another client or
// the web app would. Empty values are filled in: ID (a new UUID), Type (CUSTOM),
// Slug (derived from the name as the API does), CreatedAt/UpdatedAt (now). A
// slug that clashes gets the API's "-xxxx" suffix. CreatedBy, when set, must be
// the email of a known user. It panics when the workspace does not exist or the
// ID is already used: both are mistakes in the test.
func (s *Server) CreateStored(c StoredConnection) StoredConnection {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.workspaces[c.Workspace] == nil {
		panic(fmt.Sprintf("openhexatest: CreateStored: unknown workspace %q", c.Workspace))
	}
	id := newUUID()
	if c.ID != "" {
		norm, ok := parseUUID(c.ID)
		if !ok {
			panic(fmt.Sprintf("openhexatest: CreateStored: %q is not a UUID", c.ID))
		}
		id = norm
	}
	if st.connections[id] != nil {
		panic(fmt.Sprintf("openhexatest: CreateStored: connection %s already exists", id))
	}
	typ := c.Type
	if typ == "" {
		typ = TypeCustom
	}
	slug := c.Slug
	if slug == "" {
		derived, ok := deriveSlug(c.Name)
		if !ok {
			derived = "connection"
		}
		slug = derived
	}
	slug = st.uniqueSlug(c.Workspace, slug)
	created := c.CreatedAt
	if created.IsZero() {
		created = st.now()
	} else {
		created = created.UTC()
		st.observe(created)
	}
	updated := c.UpdatedAt
	if updated.IsZero() {
		updated = created
	} else {
		updated = updated.UTC()
		st.observe(updated)
	}
	conn := &connection{
		id:          id,
		workspace:   c.Workspace,
		name:        c.Name,
		slug:        slug,
		description: c.Description,
		typ:         typ,
		createdAt:   created,
		updatedAt:   updated,
		seq:         st.nextSeq(),
	}
	if c.CreatedBy != "" {
		u := st.userByEmail(c.CreatedBy)
		if u == nil {
			panic(fmt.Sprintf("openhexatest: CreateStored: unknown user %q", c.CreatedBy))
		}
		conn.userID = u.id
	}
	for _, f := range c.Fields {
		conn.fields = append(conn.fields, field{code: f.Code, value: f.Value, secret: f.Secret, createdAt: created, updatedAt: created})
	}
	st.connections[id] = conn
	return st.snapshot(conn)
}

// ModifyStored changes a connection behind the API's back. fn receives a
// snapshot to edit; ID, Workspace, CreatedAt and CreatedBy changes are ignored.
// UpdatedAt is bumped to now unless fn set it to another value itself. Fields
// are matched by code to keep their own timestamps. It reports whether the
// connection exists.
func (s *Server) ModifyStored(id string, fn func(*StoredConnection)) bool {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	norm, ok := parseUUID(id)
	if !ok {
		return false
	}
	c := st.connections[norm]
	if c == nil {
		return false
	}
	snap := st.snapshot(c)
	before := snap.UpdatedAt
	fn(&snap)
	now := st.now()
	updated := now
	if !snap.UpdatedAt.Equal(before) && !snap.UpdatedAt.IsZero() {
		updated = snap.UpdatedAt.UTC()
		st.observe(updated)
	}
	c.name = snap.Name
	c.slug = snap.Slug
	c.description = snap.Description
	if snap.Type != "" {
		c.typ = snap.Type
	}
	old := map[string]field{}
	for _, f := range c.fields {
		old[f.code] = f
	}
	fields := make([]field, 0, len(snap.Fields))
	for _, f := range snap.Fields {
		nf := field{code: f.Code, value: f.Value, secret: f.Secret, createdAt: now, updatedAt: now}
		if of, ok := old[f.Code]; ok {
			nf.createdAt = of.createdAt
			nf.updatedAt = of.updatedAt
			if of.value != f.Value || of.secret != f.Secret {
				nf.updatedAt = now
			}
		}
		fields = append(fields, nf)
	}
	c.fields = fields
	c.updatedAt = updated
	return true
}

// DeleteStored deletes a connection behind the API's back and reports whether
// it existed.
func (s *Server) DeleteStored(id string) bool {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	norm, ok := parseUUID(id)
	if !ok || st.connections[norm] == nil {
		return false
	}
	delete(st.connections, norm)
	return true
}
