package openhexa

import (
	"errors"
	"fmt"
)

// ErrorKind classifies a failure so callers can decide what to do without parsing text.
type ErrorKind string

// The kinds of failure the client reports.
const (
	KindUnauthenticated   ErrorKind = "UNAUTHENTICATED"
	KindPermissionDenied  ErrorKind = "PERMISSION_DENIED"
	KindWorkspaceNotFound ErrorKind = "WORKSPACE_NOT_FOUND"
	KindInvalid           ErrorKind = "INVALID_SLUG"
	KindNotFound          ErrorKind = "NOT_FOUND"
	KindGraphQL           ErrorKind = "GRAPHQL"
	KindHTTP              ErrorKind = "HTTP"
	KindTransport         ErrorKind = "TRANSPORT"
	KindDecode            ErrorKind = "DECODE"
	// KindURL is a base URL the client refuses: not http(s), or with credentials.
	KindURL ErrorKind = "URL"
)

// Error is every failure the client returns. Its text is meant for the user: it says
// what went wrong and what to do, and never holds a field value (secrets included).
type Error struct {
	Kind      ErrorKind
	Operation string
	// Code is the server's extensions.code of a top-level GraphQL error, when any.
	Code string
	// Message is the server's own text for top-level errors, or the client's explanation.
	Message string
	// StatusCode is the HTTP status when the failure is an HTTP one.
	StatusCode int
	// Ambiguous is true when the request may have reached the server and been applied.
	Ambiguous bool
	Err       error
}

// Error says what the provider was doing, in the user's words, and what went
// wrong. It names no GraphQL operation, and the server's error code appears at
// most once: Message already quotes it when it matters. The user name and password
// of any URL in it are hidden (RedactURLs).
func (e *Error) Error() string {
	if e.Kind == KindURL {
		return RedactURLs(e.Message)
	}
	return "OpenHEXA, " + describeOperation(e.Operation) + ": " + RedactURLs(e.Message)
}

// describeOperation says in the user's words what an operation does.
func describeOperation(op string) string {
	switch op {
	case OpMe:
		return "checking the token"
	case OpGetWorkspace:
		return "reading the workspace"
	case OpListWorkspaceConnections, OpListWorkspaceConnectionSummaries:
		return "listing the workspace's connections"
	case OpGetConnection, OpGetConnectionBySlug:
		return "reading the connection"
	case OpCreateConnection:
		return "creating the connection"
	case OpUpdateConnection:
		return "updating the connection"
	case OpDeleteConnection:
		return "deleting the connection"
	case OpTestConnection:
		return "testing the credentials"
	}
	return "talking to the server"
}

func (e *Error) Unwrap() error { return e.Err }

// IsKind reports whether err is an *Error of the given kind.
func IsKind(err error, kind ErrorKind) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Kind == kind
}

// The messages users act on, one per business error of the API.
const (
	msgUnauthenticated = "the server did not accept the token: check `token` (or OPENHEXA_TOKEN / HEXA_TOKEN) " +
		"and that `url` points at the OpenHEXA server that issued it"
	msgPermissionDenied = "permission denied: managing connections needs the ADMIN or EDITOR role in that " +
		"workspace (or organisation admin rights); the token's user does not have it"
	msgWorkspaceNotFound = "workspace not found: the workspace %q does not exist or the token's user cannot see it " +
		"(it is not a member)"
	msgInvalid = "the server refused the input (it reports every validation failure as INVALID_SLUG). " +
		"The rules: name 1–255 characters; slug only letters, digits, '-' and '_', at most 100 characters, " +
		"unique in the workspace; field codes only letters, digits, '-' and '_', 1–30 characters, unique " +
		"within the connection; a derived slug must not be empty"
)

// businessError turns a mutation's error enum into an *Error.
func businessError(op, code, workspace string) *Error {
	e := &Error{Operation: op, Code: code}
	switch code {
	case "UNAUTHENTICATED":
		e.Kind, e.Message = KindUnauthenticated, msgUnauthenticated
	case "PERMISSION_DENIED":
		e.Kind, e.Message = KindPermissionDenied, msgPermissionDenied
	case "WORKSPACE_NOT_FOUND":
		e.Kind, e.Message = KindWorkspaceNotFound, fmt.Sprintf(msgWorkspaceNotFound, workspace)
	case "INVALID_SLUG":
		e.Kind, e.Message = KindInvalid, msgInvalid
	case "NOT_FOUND":
		e.Kind, e.Message = KindNotFound, "the connection does not exist (any more)"
	default:
		e.Kind, e.Message = KindGraphQL, fmt.Sprintf("the server answered with the unexpected error %q", code)
	}
	return e
}

// msgConnectionGone is the answer to an update of a connection the server does
// not know (it answers a top-level error naming WORKSPACE_CONNECTION_NOT_FOUND).
const msgConnectionGone = "the connection was deleted outside Terraform (or this token can no longer see it): " +
	"run a plan, which will re-create it"

// testRightsError turns testConnection's bare rights codes into an *Error; nil
// for any other text (the check's own failure).
func testRightsError(text, workspace string) *Error {
	switch text {
	case "PERMISSION_DENIED":
		return &Error{Kind: KindPermissionDenied, Operation: OpTestConnection, Code: text,
			Message: fmt.Sprintf("this token may not manage connections in workspace %q: it needs the ADMIN or "+
				"EDITOR role there (or organisation admin rights)", workspace)}
	case "NOT_FOUND":
		return &Error{Kind: KindWorkspaceNotFound, Operation: OpTestConnection, Code: text,
			Message: fmt.Sprintf("workspace %q is not visible to this token (not a member, archived or deleted, "+
				"or another OpenHEXA)", workspace)}
	}
	return nil
}

// WorkspaceNotFound is the error for a workspace that a query returned as null.
func WorkspaceNotFound(op, workspace string) *Error {
	return businessError(op, "WORKSPACE_NOT_FOUND", workspace)
}
