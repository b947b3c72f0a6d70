package openhexatest

import (
	"context"
	"strings"
)

// principal is the caller of one request, resolved once from its token.
type principal struct {
	userID    string
	superuser bool
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p *principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principalFrom returns the authenticated caller, or nil.
func principalFrom(ctx context.Context) *principal {
	p, _ := ctx.Value(principalKey{}).(*principal)
	return p
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header:
// the scheme is case-insensitive and followed by exactly one space.
func bearerToken(header string) string {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || token == "" || strings.HasPrefix(token, " ") {
		return ""
	}
	return token
}

// rights is what the caller may do in one workspace.
type rights struct {
	visible    bool   // may see the workspace and its connections
	role       string // membership role, "" for a superuser or a non-member
	membership string // membership id
	manage     bool   // create/update/delete connections, read secrets, update workspace
	members    bool   // manage members
}

// rightsIn computes the caller's rights in a workspace; st.mu must be held.
func (st *store) rightsIn(p *principal, ws *workspace) rights {
	if p == nil || ws == nil {
		return rights{}
	}
	if p.superuser {
		return rights{visible: true, manage: true, members: true}
	}
	m, ok := ws.members[p.userID]
	if !ok {
		return rights{}
	}
	r := rights{visible: true, role: m.role, membership: m.id}
	switch m.role {
	case RoleAdmin:
		r.manage, r.members = true, true
	case RoleEditor:
		r.manage = true
	}
	return r
}

// errUnauthenticated is what every login-required field answers without a valid
// token.
var errUnauthenticated = &apiError{message: "Resolver requires an authenticated user", code: "UNAUTHENTICATED"}

// apiError is a resolver error; graphql-go copies Extensions() into the response.
type apiError struct {
	message string
	code    string
}

func (e *apiError) Error() string { return e.message }

// Extensions implements the extensions hook of graphql-go.
func (e *apiError) Extensions() map[string]any {
	if e.code == "" {
		return nil
	}
	return map[string]any{"code": e.code}
}
