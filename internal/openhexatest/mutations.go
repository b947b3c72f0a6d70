package openhexatest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	graphql "github.com/graph-gophers/graphql-go"
)

// Business errors (enum values of the result types).
const (
	errWorkspaceNotFound = "WORKSPACE_NOT_FOUND"
	errPermissionDenied  = "PERMISSION_DENIED"
	errInvalidSlug       = "INVALID_SLUG"
	errNotFound          = "NOT_FOUND"
)

// notNullError is what the real server fails with when a client sends null for a
// NOT NULL column that no validation checks first: description on create and
// update, a new field's value. The database's error goes out as a top-level
// GraphQL error, DETAIL and all; the DETAIL quotes the failing row, which holds no
// secret here (field values live in their own rows, and the failing one is null).
func notNullError(column, relation string, row ...string) *apiError {
	return &apiError{message: fmt.Sprintf("null value in column %q of relation %q violates not-null constraint\n"+
		"DETAIL:  Failing row contains (%s).", column, relation, strings.Join(row, ", "))}
}

// nullDescription is the error of description: null, quoting the connection's row.
func nullDescription(c *connection, name, slug string) *apiError {
	return notNullError("description", "workspaces_connection",
		c.id, pgTime(c.createdAt), pgTime(c.updatedAt), name, slug, "null", strings.ToLower(c.typ), c.workspace, c.userID)
}

// nullFieldValue is the error of a new field code sent with value: null.
func nullFieldValue(connectionID string, f fieldInput, now time.Time) *apiError {
	return notNullError("value", "workspaces_connectionfield",
		newUUID(), pgTime(now), pgTime(now), f.Code, "null", fmt.Sprintf("%t", f.Secret), connectionID)
}

// pgTime is how PostgreSQL prints a timestamptz in an error DETAIL.
func pgTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.999999-07") }

// invalidUUID is the real server's answer to deleteConnection with an id that is
// not a UUID: Django's validation message, as a top-level error (data: null).
func invalidUUID(id string) *apiError {
	return &apiError{message: "“" + id + "” is not a valid UUID."}
}

// errUpdateNotFound reproduces the real server's answer to an update of an
// unknown connection: it returns an error code outside UpdateConnectionError, so
// serialising the result fails and, the field being non-null, data is null.
var errUpdateNotFound = &apiError{message: "Enum 'UpdateConnectionError' cannot represent value: 'WORKSPACE_CONNECTION_NOT_FOUND'"}

type fieldInput struct {
	Code   string
	Value  *string
	Secret bool
}

type createConnectionInput struct {
	WorkspaceSlug string
	Name          string
	Slug          *string
	Description   graphql.NullString
	Type          string
	Fields        *[]fieldInput
}

// updateConnectionInput tells null from absent for the scalars: the real server
// sets every key it is sent, null included (see UpdateConnection).
type updateConnectionInput struct {
	ID          string
	Name        graphql.NullString
	Slug        graphql.NullString
	Description graphql.NullString
	Fields      *[]fieldInput
}

type deleteConnectionInput struct {
	ID string
}

type testConnectionInput struct {
	WorkspaceSlug string
	Type          string
	Fields        []fieldInput
}

// connectionResult is CreateConnectionResult and UpdateConnectionResult.
type connectionResult struct {
	success    bool
	connection *connectionResolver
	errors     []string
}

func (r *connectionResult) Success() bool                   { return r.success }
func (r *connectionResult) Connection() *connectionResolver { return r.connection }
func (r *connectionResult) Errors() []string                { return r.errors }

func failed(code string) *connectionResult {
	return &connectionResult{errors: []string{code}}
}

type deleteResult struct {
	success bool
	errors  []string
}

func (r *deleteResult) Success() bool    { return r.success }
func (r *deleteResult) Errors() []string { return r.errors }

type testResult struct {
	success bool
	errors  *string
}

func (r *testResult) Success() bool   { return r.success }
func (r *testResult) Errors() *string { return r.errors }

func testFailed(msg string) *testResult { return &testResult{errors: &msg} }

// validCodes checks the format of every code of a field list.
func validCodes(fields []fieldInput) bool {
	for _, f := range fields {
		if !validFieldCode(f.Code) {
			return false
		}
	}
	return true
}

// firstDuplicate returns the index of the first field whose code an earlier one
// already has, or -1.
func firstDuplicate(fields []fieldInput) int {
	seen := map[string]bool{}
	for i, f := range fields {
		if seen[f.Code] {
			return i
		}
		seen[f.Code] = true
	}
	return -1
}

// maxSlugLength is the longest slug the server stores.
const maxSlugLength = 100

func (r *rootResolver) CreateConnection(ctx context.Context, args struct{ Input createConnectionInput }) (*connectionResult, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	in := args.Input
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	ws := st.workspaces[in.WorkspaceSlug]
	rt := st.rightsIn(p, ws)
	if !rt.visible {
		return failed(errWorkspaceNotFound), nil
	}
	if !rt.manage {
		return failed(errPermissionDenied), nil
	}

	// Validate everything before writing anything: create is atomic.
	if !validName(in.Name) {
		return failed(errInvalidSlug), nil
	}
	var slug string
	if in.Slug != nil {
		if !validSlug(*in.Slug) {
			return failed(errInvalidSlug), nil
		}
		slug = *in.Slug
		// A clash gets "-xxxx" appended, which a slug of 96 characters or more
		// cannot take: the real server then fails instead.
		if st.slugTaken(ws.slug, slug, "") && len(slug)+len(randomSuffix()) > maxSlugLength {
			return failed(errInvalidSlug), nil
		}
	} else {
		derived, ok := deriveSlug(in.Name)
		if !ok {
			return failed(errInvalidSlug), nil
		}
		slug = derived
	}
	var fields []fieldInput
	if in.Fields != nil {
		fields = *in.Fields
	}
	if !validCodes(fields) || firstDuplicate(fields) >= 0 {
		return failed(errInvalidSlug), nil
	}

	now := st.now()
	c := &connection{
		id:        newUUID(),
		workspace: ws.slug,
		name:      in.Name,
		slug:      st.uniqueSlug(ws.slug, slug),
		typ:       in.Type,
		userID:    p.userID,
		createdAt: now,
		updatedAt: now,
	}
	// The database refuses a null description or field value; create being
	// atomic, nothing is kept.
	if in.Description.Set {
		if in.Description.Value == nil {
			return nil, nullDescription(c, c.name, c.slug)
		}
		c.description = *in.Description.Value
	}
	for _, f := range fields {
		if f.Value == nil {
			return nil, nullFieldValue(c.id, f, now)
		}
		c.fields = append(c.fields, field{code: f.Code, value: *f.Value, secret: f.Secret, createdAt: now, updatedAt: now})
	}
	c.seq = st.nextSeq()
	st.connections[c.id] = c
	return &connectionResult{success: true, connection: st.connectionView(p, c), errors: []string{}}, nil
}

// lookupVisible finds a connection by an id given as a String (any UUID
// spelling), provided the caller can see its workspace; st.mu must be held.
func (st *store) lookupVisible(p *principal, id string) (*connection, rights) {
	norm, ok := parseUUID(id)
	if !ok {
		return nil, rights{}
	}
	c := st.connections[norm]
	if c == nil {
		return nil, rights{}
	}
	rt := st.rightsIn(p, st.workspaces[c.workspace])
	if !rt.visible {
		return nil, rights{}
	}
	return c, rt
}

// UpdateConnection follows what the real server was seen to do: it is not
// atomic. The field list is written first, field by field; then the scalars are
// set and validated (INVALID_SLUG), then the row is saved (a null description
// fails there, with a database error). A failure at any step leaves the earlier
// steps saved.
func (r *rootResolver) UpdateConnection(ctx context.Context, args struct{ Input updateConnectionInput }) (*connectionResult, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	in := args.Input
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	// A malformed id fails the lookup with a validation error, which the real
	// server reports as INVALID_SLUG like every other one.
	if _, ok := parseUUID(in.ID); !ok {
		return failed(errInvalidSlug), nil
	}
	c, rt := st.lookupVisible(p, in.ID)
	if c == nil {
		return nil, errUpdateNotFound
	}
	if !rt.manage {
		return failed(errPermissionDenied), nil
	}

	now := st.now()
	if in.Fields != nil {
		if code, err := c.writeFields(*in.Fields, now); code != "" || err != nil {
			if err != nil {
				return nil, err
			}
			return failed(code), nil
		}
	}

	name, slug := c.name, c.slug
	if in.Name.Set {
		if in.Name.Value == nil || !validName(*in.Name.Value) {
			return failed(errInvalidSlug), nil
		}
		name = *in.Name.Value
	}
	if in.Slug.Set {
		// Unseen on the real server: a null slug is taken to fail validation
		// as a null name does.
		if in.Slug.Value == nil || !validSlug(*in.Slug.Value) ||
			(*in.Slug.Value != c.slug && st.slugTaken(c.workspace, *in.Slug.Value, c.id)) {
			return failed(errInvalidSlug), nil
		}
		slug = *in.Slug.Value
	}
	description := c.description
	if in.Description.Set {
		if in.Description.Value == nil {
			return nil, nullDescription(c, name, slug)
		}
		description = *in.Description.Value
	}
	c.name, c.slug, c.description = name, slug, description
	c.updatedAt = now
	return &connectionResult{success: true, connection: st.connectionView(p, c), errors: []string{}}, nil
}

// writeFields applies a full field list to a stored connection, matched by code,
// one field after the other as the real server writes them: a listed code is
// updated (value null keeps the stored value; secret is always applied; its
// updatedAt is new, changed or not) or created, then the unlisted codes are
// deleted. Kept fields stay in creation order, new ones follow in input order.
//
// What was written stays written when a field fails: a malformed code (new, or
// one the connection already holds, stored before the rule) or a repeated code
// fails with INVALID_SLUG when it is reached, a new code with a null value with
// the database's error; the unlisted codes are then not deleted. Seen on the real
// server: fields [region="changed", <held code with a '.'>=null, zone="b"] saved
// region, left zone and the held code as they were, and answered INVALID_SLUG.
func (c *connection) writeFields(input []fieldInput, now time.Time) (code string, err error) {
	seen := map[string]bool{}
	for _, in := range input {
		if seen[in.Code] || !validFieldCode(in.Code) {
			return errInvalidSlug, nil
		}
		seen[in.Code] = true
		i := slices.IndexFunc(c.fields, func(f field) bool { return f.code == in.Code })
		switch {
		case i >= 0:
			f := &c.fields[i]
			if in.Value != nil {
				f.value = *in.Value
			}
			f.secret = in.Secret
			f.updatedAt = now
		case in.Value == nil:
			return "", nullFieldValue(c.id, in, now)
		default:
			c.fields = append(c.fields, field{code: in.Code, value: *in.Value, secret: in.Secret, createdAt: now, updatedAt: now})
		}
	}
	c.fields = slices.DeleteFunc(c.fields, func(f field) bool { return !seen[f.code] })
	return "", nil
}

func (r *rootResolver) DeleteConnection(ctx context.Context, args struct{ Input deleteConnectionInput }) (*deleteResult, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	if _, ok := parseUUID(args.Input.ID); !ok {
		return nil, invalidUUID(args.Input.ID)
	}
	c, rt := st.lookupVisible(p, args.Input.ID)
	if c == nil {
		return &deleteResult{errors: []string{errNotFound}}, nil
	}
	if !rt.manage {
		return &deleteResult{errors: []string{errPermissionDenied}}, nil
	}
	delete(st.connections, c.id)
	return &deleteResult{success: true, errors: []string{}}, nil
}

// TestConnection answers as the real server does: a bare code for the caller's
// rights (NOT_FOUND when the workspace is not visible, PERMISSION_DENIED when the
// caller may not manage its connections), otherwise the text of what failed: a
// missing code is a Python KeyError ('password'), a PostgreSQL port that is not
// an integer int()'s ValueError, then the check itself (see tester.go).
func (r *rootResolver) TestConnection(ctx context.Context, args struct{ Input testConnectionInput }) (*testResult, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	in := args.Input
	st := r.s.store
	st.mu.Lock()
	rt := st.rightsIn(p, st.workspaces[in.WorkspaceSlug])
	st.mu.Unlock()
	if !rt.visible {
		return testFailed(errNotFound), nil
	}
	if !rt.manage {
		return testFailed(errPermissionDenied), nil
	}
	if in.Type == TypeCustom {
		return testFailed("Testing is not supported for CUSTOM connections"), nil
	}
	fields := make(map[string]string, len(in.Fields))
	for _, f := range in.Fields {
		v := ""
		if f.Value != nil {
			v = *f.Value
		}
		fields[f.Code] = v
	}
	for _, code := range requiredCodes[in.Type] {
		if _, ok := fields[code]; !ok {
			return testFailed(pyRepr(code)), nil
		}
	}
	if in.Type == TypePostgreSQL {
		if err := pythonInt(fields["port"]); err != nil {
			return testFailed(err.Error()), nil
		}
	}
	tester := r.s.connectionTester()
	if tester == nil {
		tester = realConnectionTester
	}
	if err := tester(ctx, in.Type, fields); err != nil {
		return testFailed(err.Error()), nil
	}
	return &testResult{success: true}, nil
}
