package openhexa_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// Answers the real server gives that the test server now gives too, and what
// the client makes of them.

func clientAs(t *testing.T, srv *openhexatest.Server, token string) *openhexa.Client {
	t.Helper()
	c, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: token, MaxRetries: -1, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// opNames are the GraphQL operation names, which users never need to see.
var opNames = regexp.MustCompile(`\b(Me|GetWorkspace|ListWorkspaceConnections|GetConnection|GetConnectionBySlug|` +
	`CreateConnection|UpdateConnection|DeleteConnection|TestConnection)\b`)

// checkErrorText fails when an error text names an operation or repeats a code.
func checkErrorText(t *testing.T, err error) {
	t.Helper()
	text := err.Error()
	if m := opNames.FindString(text); m != "" {
		t.Errorf("%q names the operation %s", text, m)
	}
	for _, code := range []string{"PERMISSION_DENIED", "NOT_FOUND", "WORKSPACE_NOT_FOUND", "INVALID_SLUG", "UNAUTHENTICATED", "WORKSPACE_CONNECTION_NOT_FOUND"} {
		if n := len(regexp.MustCompile(`\b`+code+`\b`).FindAllString(text, -1)); n > 1 {
			t.Errorf("%q repeats %s %d times", text, code, n)
		}
	}
}

func TestTestConnectionRightsAreTypedErrors(t *testing.T) {
	srv := openhexatest.Start(t)
	ctx := context.Background()
	pw := "hunter2-rights"
	in := openhexa.TestConnectionInput{WorkspaceSlug: openhexatest.WorkspaceMain, Type: openhexa.TypeDHIS2, Fields: []openhexa.FieldInput{
		{Code: "url", Value: ptr("http://127.0.0.1:1")}, {Code: "username", Value: ptr("u")}, {Code: "password", Value: &pw, Secret: true}}}

	_, _, err := clientAs(t, srv, openhexatest.TokenViewer).TestConnection(ctx, in)
	if !openhexa.IsKind(err, openhexa.KindPermissionDenied) ||
		!strings.Contains(err.Error(), `this token may not manage connections in workspace "malaria-surveillance"`) {
		t.Errorf("viewer: %v", err)
	}
	checkErrorText(t, err)
	_, _, err = clientAs(t, srv, openhexatest.TokenOutsider).TestConnection(ctx, in)
	if !openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) ||
		!strings.Contains(err.Error(), `workspace "malaria-surveillance" is not visible to this token (not a member, archived or deleted, or another OpenHEXA)`) {
		t.Errorf("outsider: %v", err)
	}
	checkErrorText(t, err)
	// Credentials that do not work are still ok=false with the server's text.
	ok, msg, err := clientAs(t, srv, openhexatest.TokenEditor).TestConnection(ctx, in)
	if err != nil || ok || !strings.Contains(msg, "Connection refused") {
		t.Errorf("editor: %v %q %v", ok, msg, err)
	}
}

func TestUpdateOfADeletedConnectionIsNotFound(t *testing.T) {
	srv := openhexatest.Start(t)
	c := clientAs(t, srv, openhexatest.TokenEditor)
	conn := seedConnection(srv)
	srv.DeleteStored(conn.ID)
	_, err := c.UpdateConnection(context.Background(), openhexa.UpdateConnectionInput{ID: conn.ID, Name: ptr("x")})
	var apiErr *openhexa.Error
	if !errors.As(err, &apiErr) || apiErr.Kind != openhexa.KindNotFound || apiErr.Ambiguous {
		t.Fatalf("%#v, want a not-found error that is not ambiguous", err)
	}
	if !strings.Contains(err.Error(), "deleted outside Terraform") || !strings.Contains(err.Error(), "re-create") {
		t.Errorf("%q", err)
	}
	checkErrorText(t, err)
}

func TestErrorTextsNameNoOperationAndNoCodeTwice(t *testing.T) {
	srv := openhexatest.Start(t)
	ctx := context.Background()
	editor := clientAs(t, srv, openhexatest.TokenEditor)
	var errs []error
	_, err := editor.CreateConnection(ctx, openhexa.CreateConnectionInput{WorkspaceSlug: openhexatest.WorkspaceMain, Name: "", Type: openhexa.TypeCustom})
	errs = append(errs, err)
	_, err = clientAs(t, srv, openhexatest.TokenViewer).CreateConnection(ctx, openhexa.CreateConnectionInput{WorkspaceSlug: openhexatest.WorkspaceMain, Name: "n", Type: openhexa.TypeCustom})
	errs = append(errs, err)
	_, err = clientAs(t, srv, "bad-token").Workspace(ctx, openhexatest.WorkspaceMain)
	errs = append(errs, err)
	errs = append(errs, editor.DeleteConnection(ctx, "not-a-uuid"))
	_, err = editor.CreateConnection(ctx, openhexa.CreateConnectionInput{WorkspaceSlug: openhexatest.WorkspaceMain, Name: "n",
		Type: openhexa.TypeCustom, Fields: []openhexa.FieldInput{{Code: "new", Value: nil}}})
	errs = append(errs, err)
	srv.InjectFault(openhexa.OpGetWorkspace, openhexatest.Fault{Kind: openhexatest.FaultGraphQLError})
	_, err = editor.Workspace(ctx, openhexatest.WorkspaceMain)
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Errorf("#%d: no error", i)
			continue
		}
		checkErrorText(t, err)
	}
}

// The real server answers a body that is not JSON with HTTP 400 and a bare JSON
// string; the client quotes it.
func TestBareStringErrorBody(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`"Request body is not a valid JSON"`))
	}))
	t.Cleanup(ts.Close)
	c, err := openhexa.NewClient(openhexa.Config{URL: ts.URL, Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	if !openhexa.IsKind(err, openhexa.KindHTTP) || !strings.Contains(err.Error(), "HTTP 400 Bad Request: Request body is not a valid JSON") {
		t.Fatalf("%v", err)
	}
}

// DateTime values come with milliseconds and Z; the client hands them on as sent.
func TestDateTimeWithMilliseconds(t *testing.T) {
	srv := openhexatest.Start(t)
	conn, err := clientAs(t, srv, openhexatest.TokenEditor).CreateConnection(context.Background(), openhexa.CreateConnectionInput{
		WorkspaceSlug: openhexatest.WorkspaceMain, Name: "Stamped", Type: openhexa.TypeCustom})
	if err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	if !stamp.MatchString(conn.CreatedAt) || conn.UpdatedAt == nil || !stamp.MatchString(*conn.UpdatedAt) {
		t.Fatalf("createdAt %q updatedAt %v", conn.CreatedAt, conn.UpdatedAt)
	}
	if _, err := time.Parse(time.RFC3339Nano, conn.CreatedAt); err != nil {
		t.Fatal(err)
	}
}

func ptr(s string) *string { return &s }

// TestConnectionBySlugAtReadsTheServersClock: the answer's Date header is the
// server's clock, which ConnectionBySlugAt returns (to the second) for comparing with
// the server's own timestamps.
func TestConnectionBySlugAtReadsTheServersClock(t *testing.T) {
	srv := openhexatest.Start(t)
	conn := seedConnection(srv)
	before := time.Now().Add(-time.Second)
	got, at, err := clientAs(t, srv, openhexatest.TokenEditor).ConnectionBySlugAt(context.Background(), conn.Workspace, conn.Slug)
	if err != nil || got == nil || got.ID != conn.ID {
		t.Fatalf("ConnectionBySlugAt: %v %v", got, err)
	}
	if at.Before(before) || at.After(time.Now()) || at.Nanosecond() != 0 || at.Location() != time.UTC {
		t.Errorf("server time %v, want the Date header's whole second, in UTC, around now", at)
	}
}
