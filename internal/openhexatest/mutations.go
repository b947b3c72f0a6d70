package openhexatest

import (
	"context"
	"fmt"
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

// errNullDescription is what the real server fails with when a client sends
// description: null on create (the column is NOT NULL).
var errNullDescription = &apiError{message: `null value in column "description" of relation "workspaces_connection" violates not-null constraint`}

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

type updateConnectionInput struct {
	ID          string
	Name        *string
	Slug        *string
	Description *string
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

// validFields checks the codes of a field list: each valid, none repeated.
func validFields(fields []fieldInput) bool {
	seen := map[string]bool{}
	for _, f := range fields {
		if !validFieldCode(f.Code) || seen[f.Code] {
			return false
		}
		seen[f.Code] = true
	}
	return true
}

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
	if !validFields(fields) {
		return failed(errInvalidSlug), nil
	}
	description := ""
	if in.Description.Set {
		if in.Description.Value == nil {
			return nil, errNullDescription
		}
		description = *in.Description.Value
	}

	now := st.now()
	c := &connection{
		id:          newUUID(),
		workspace:   ws.slug,
		name:        in.Name,
		slug:        st.uniqueSlug(ws.slug, slug),
		description: description,
		typ:         in.Type,
		userID:      p.userID,
		createdAt:   now,
		updatedAt:   now,
		seq:         st.nextSeq(),
	}
	for _, f := range fields {
		value := ""
		if f.Value != nil {
			value = *f.Value
		}
		c.fields = append(c.fields, field{code: f.Code, value: value, secret: f.Secret, createdAt: now, updatedAt: now})
	}
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

func (r *rootResolver) UpdateConnection(ctx context.Context, args struct{ Input updateConnectionInput }) (*connectionResult, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	in := args.Input
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	c, rt := st.lookupVisible(p, in.ID)
	if c == nil {
		return nil, errUpdateNotFound
	}
	if !rt.manage {
		return failed(errPermissionDenied), nil
	}

	// Validate everything before applying anything.
	if in.Name != nil && !validName(*in.Name) {
		return failed(errInvalidSlug), nil
	}
	if in.Slug != nil && *in.Slug != c.slug {
		if !validSlug(*in.Slug) || st.slugTaken(c.workspace, *in.Slug, c.id) {
			return failed(errInvalidSlug), nil
		}
	}
	if in.Fields != nil && !validFields(*in.Fields) {
		return failed(errInvalidSlug), nil
	}

	now := st.now()
	if in.Name != nil {
		c.name = *in.Name
	}
	if in.Slug != nil {
		c.slug = *in.Slug
	}
	if in.Description != nil {
		c.description = *in.Description
	}
	if in.Fields != nil {
		c.fields = mergeFields(c.fields, *in.Fields, now)
	}
	c.updatedAt = now
	return &connectionResult{success: true, connection: st.connectionView(p, c), errors: []string{}}, nil
}

// mergeFields applies a full field list to the stored one, matched by code:
// listed codes are updated (value null keeps the stored value; secret always
// applied) or created, unlisted codes are deleted. Kept fields stay in creation
// order, new ones follow in input order.
func mergeFields(stored []field, input []fieldInput, now time.Time) []field {
	byCode := make(map[string]fieldInput, len(input))
	for _, f := range input {
		byCode[f.Code] = f
	}
	out := make([]field, 0, len(input))
	existing := map[string]bool{}
	for _, f := range stored {
		in, ok := byCode[f.code]
		if !ok {
			continue
		}
		existing[f.code] = true
		nf := f
		if in.Value != nil {
			nf.value = *in.Value
		}
		nf.secret = in.Secret
		if nf.value != f.value || nf.secret != f.secret {
			nf.updatedAt = now
		}
		out = append(out, nf)
	}
	for _, in := range input {
		if existing[in.Code] {
			continue
		}
		value := ""
		if in.Value != nil {
			value = *in.Value
		}
		out = append(out, field{code: in.Code, value: value, secret: in.Secret, createdAt: now, updatedAt: now})
	}
	return out
}

func (r *rootResolver) DeleteConnection(ctx context.Context, args struct{ Input deleteConnectionInput }) (*deleteResult, error) {
	p := principalFrom(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	st := r.s.store
	st.mu.Lock()
	defer st.mu.Unlock()

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
	if !rt.manage {
		return testFailed("You do not have permission to test connections in this workspace."), nil
	}
	if in.Type == TypeCustom {
		return testFailed("Connection type CUSTOM is not supported for testing."), nil
	}
	fields := make(map[string]string, len(in.Fields))
	for _, f := range in.Fields {
		v := ""
		if f.Value != nil {
			v = *f.Value
		}
		fields[f.Code] = v
	}
	var missing []string
	for _, code := range requiredCodes[in.Type] {
		if _, ok := fields[code]; !ok {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		return testFailed(fmt.Sprintf("Missing required fields: %s.", strings.Join(missing, ", "))), nil
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
