package openhexa_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// faultClient is an editor's client of a fresh test server, with short backoffs.
func faultClient(t *testing.T) (*openhexatest.Server, *openhexa.Client) {
	t.Helper()
	srv := openhexatest.Start(t)
	c, err := openhexa.NewClient(openhexa.Config{
		URL: srv.URL(), Token: openhexatest.TokenEditor, MaxRetries: 4,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func seedConnection(srv *openhexatest.Server) openhexatest.StoredConnection {
	return srv.CreateStored(openhexatest.StoredConnection{
		Workspace: openhexatest.WorkspaceMain, Name: "Seeded", Slug: "seeded", Type: openhexatest.TypeCustom,
		Fields: []openhexatest.Field{{Code: "k", Value: "v"}},
	})
}

func customInput(name string) openhexa.CreateConnectionInput {
	v := "LEAKMARKER-fault-1"
	return openhexa.CreateConnectionInput{
		WorkspaceSlug: openhexatest.WorkspaceMain, Name: name, Type: openhexa.TypeCustom,
		Fields: []openhexa.FieldInput{{Code: "api_key", Value: &v, Secret: true}},
	}
}

// TestFaultEveryReadSurvivesTransientErrors: every query survives 429 (honouring
// Retry-After), 502, 503 and dropped connections within max_retries.
func TestFaultEveryReadSurvivesTransientErrors(t *testing.T) {
	srv, c := faultClient(t)
	conn := seedConnection(srv)
	ctx := context.Background()
	reads := map[string]func() error{
		openhexa.OpMe:                       func() error { _, err := c.Me(ctx); return err },
		openhexa.OpGetWorkspace:             func() error { _, err := c.Workspace(ctx, openhexatest.WorkspaceMain); return err },
		openhexa.OpListWorkspaceConnections: func() error { _, err := c.WorkspaceConnections(ctx, openhexatest.WorkspaceMain); return err },
		openhexa.OpGetConnection:            func() error { _, err := c.Connection(ctx, conn.ID); return err },
		openhexa.OpGetConnectionBySlug: func() error {
			_, err := c.ConnectionBySlug(ctx, openhexatest.WorkspaceMain, "seeded")
			return err
		},
	}
	// 429 first, every read at once: each waits the 1 s Retry-After in parallel.
	var wg sync.WaitGroup
	errs := make(chan error, len(reads))
	for op, read := range reads {
		srv.InjectFault(op, openhexatest.Fault{Kind: openhexatest.Fault429, Times: 2, RetryAfter: time.Second})
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := read(); err != nil {
				errs <- fmt.Errorf("%s with 2 × 429: %w", op, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for op := range reads {
		if got := srv.RequestCount(op); got != 3 {
			t.Fatalf("%s: %d requests after 2 × 429, want 3", op, got)
		}
	}
	for op, read := range reads {
		for _, kind := range []openhexatest.FaultKind{openhexatest.Fault502, openhexatest.Fault503, openhexatest.FaultDropBeforeApply} {
			srv.ResetRequests()
			srv.InjectFault(op, openhexatest.Fault{Kind: kind, Times: 4})
			if err := read(); err != nil {
				t.Fatalf("%s with 4 × fault %d: %v", op, kind, err)
			}
			if got := srv.RequestCount(op); got != 5 {
				t.Fatalf("%s: %d requests, want 5", op, got)
			}
		}
	}
}

func TestFaultReadSurvives429(t *testing.T) {
	srv, c := faultClient(t)
	srv.InjectFault(openhexa.OpGetWorkspace, openhexatest.Fault{Kind: openhexatest.Fault429, RetryAfter: time.Second})
	started := time.Now()
	ws, err := c.Workspace(context.Background(), openhexatest.WorkspaceMain)
	if err != nil || ws == nil {
		t.Fatalf("Workspace = %v, %v", ws, err)
	}
	if d := time.Since(started); d < 900*time.Millisecond {
		t.Fatalf("retried after %s; Retry-After asked for 1s", d)
	}
}

func TestFaultReadFailsBeyondMaxRetries(t *testing.T) {
	srv, c := faultClient(t)
	srv.InjectFault(openhexa.OpMe, openhexatest.Fault{Kind: openhexatest.Fault503, Times: 5})
	_, err := c.Me(context.Background())
	if !openhexa.IsKind(err, openhexa.KindHTTP) || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("err = %v; want HTTP 503", err)
	}
	if got := srv.RequestCount(openhexa.OpMe); got != 5 {
		t.Fatalf("%d requests; want 5 (1 + max_retries)", got)
	}
}

// TestFaultCreateNeverSentTwiceAfterAmbiguousFailure: whatever the failure after
// the request may have been applied, create is sent once.
func TestFaultCreateNeverSentTwiceAfterAmbiguousFailure(t *testing.T) {
	cases := []struct {
		kind    openhexatest.FaultKind
		applied bool
	}{
		{openhexatest.FaultDropAfterApply, true},
		{openhexatest.FaultDropBeforeApply, false},
		{openhexatest.Fault500, false},
		{openhexatest.Fault502, false},
		{openhexatest.Fault503, false},
	}
	for _, tc := range cases {
		srv, c := faultClient(t)
		srv.InjectFault(openhexa.OpCreateConnection, openhexatest.Fault{Kind: tc.kind})
		_, err := c.CreateConnection(context.Background(), customInput("Ambiguous"))
		var apiErr *openhexa.Error
		if !errors.As(err, &apiErr) || !apiErr.Ambiguous {
			t.Fatalf("fault %d: err = %#v; want an ambiguous error", tc.kind, err)
		}
		if strings.Contains(err.Error(), "LEAKMARKER") {
			t.Fatalf("fault %d: the error holds the secret: %v", tc.kind, err)
		}
		if got := srv.RequestCount(openhexa.OpCreateConnection); got != 1 {
			t.Fatalf("fault %d: create sent %d times; want once", tc.kind, got)
		}
		want := 0
		if tc.applied {
			want = 1
		}
		if got := len(srv.AllConnections()); got != want {
			t.Fatalf("fault %d: the server holds %d connections; want %d", tc.kind, got, want)
		}
	}
}

func TestFaultUpdateNeverSentTwiceAfterAmbiguousFailure(t *testing.T) {
	for _, kind := range []openhexatest.FaultKind{openhexatest.FaultDropAfterApply, openhexatest.Fault503} {
		srv, c := faultClient(t)
		conn := seedConnection(srv)
		srv.InjectFault(openhexa.OpUpdateConnection, openhexatest.Fault{Kind: kind})
		name := "Renamed"
		_, err := c.UpdateConnection(context.Background(), openhexa.UpdateConnectionInput{ID: conn.ID, Name: &name})
		var apiErr *openhexa.Error
		if !errors.As(err, &apiErr) || !apiErr.Ambiguous {
			t.Fatalf("fault %d: err = %#v; want an ambiguous error", kind, err)
		}
		if got := srv.RequestCount(openhexa.OpUpdateConnection); got != 1 {
			t.Fatalf("fault %d: update sent %d times; want once", kind, got)
		}
	}
}

func TestFaultCreateRetriedOn429(t *testing.T) {
	srv, c := faultClient(t)
	srv.InjectFault(openhexa.OpCreateConnection, openhexatest.Fault{Kind: openhexatest.Fault429, RetryAfter: time.Second})
	conn, err := c.CreateConnection(context.Background(), customInput("After 429"))
	if err != nil || conn == nil {
		t.Fatalf("create = %v, %v", conn, err)
	}
	if got := len(srv.AllConnections()); got != 1 {
		t.Fatalf("the server holds %d connections; want 1", got)
	}
}

// TestFaultDeleteTreatsNotFoundAsDone: a delete dropped after it was applied is
// sent again and the NOT_FOUND answer means done.
func TestFaultDeleteTreatsNotFoundAsDone(t *testing.T) {
	srv, c := faultClient(t)
	conn := seedConnection(srv)
	srv.InjectFault(openhexa.OpDeleteConnection, openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply})
	err := c.DeleteConnection(context.Background(), conn.ID)
	if err != nil && !openhexa.IsKind(err, openhexa.KindNotFound) {
		t.Fatalf("delete = %v; want success or NOT_FOUND", err)
	}
	if got := srv.RequestCount(openhexa.OpDeleteConnection); got != 2 {
		t.Fatalf("delete sent %d times; want 2", got)
	}
	if n := len(srv.AllConnections()); n != 0 {
		t.Fatalf("%d connections left", n)
	}
}

func TestFaultTopLevelGraphQLErrorIsClear(t *testing.T) {
	srv, c := faultClient(t)
	srv.InjectFault(openhexa.OpGetWorkspace, openhexatest.Fault{Kind: openhexatest.FaultGraphQLError})
	_, err := c.Workspace(context.Background(), openhexatest.WorkspaceMain)
	if !openhexa.IsKind(err, openhexa.KindGraphQL) || !strings.Contains(err.Error(), openhexatest.InjectedErrorMessage) {
		t.Fatalf("err = %v; want the server's message", err)
	}
}

func TestFaultRandomFailuresAreRiddenOut(t *testing.T) {
	srv := openhexatest.Start(t)
	c, _ := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: openhexatest.TokenEditor, MaxRetries: 8,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})
	srv.SetRandomFailures(0.3, 42)
	// Each 429 asks for 1 s (Retry-After), so keep the calls few.
	for i := 0; i < 8; i++ {
		if _, err := c.Me(context.Background()); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	var s503, s429 int
	for _, r := range srv.Requests() {
		switch r.Status {
		case http.StatusServiceUnavailable:
			s503++
		case http.StatusTooManyRequests:
			s429++
		}
	}
	if s503 == 0 || s429 == 0 {
		t.Fatalf("random failures gave %d × 503 and %d × 429; want both", s503, s429)
	}
}

// TestBadInputMalformedAnswersGiveClearErrors: answers that are not the API's
// give a typed error naming the problem, never a panic.
func TestBadInputMalformedAnswersGiveClearErrors(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		status                  int
		kind                    openhexa.ErrorKind
		want                    string
	}{
		{"non-JSON", "text/plain", "hello", 200, openhexa.KindDecode, "not GraphQL JSON"},
		{"HTML 502", "text/html", "<html><h1>502 Bad Gateway</h1></html>", 502, openhexa.KindHTTP, "HTTP 502"},
		{"truncated", "application/json", `{"data":{"connection":{"id":"a","na`, 200, openhexa.KindDecode, "not GraphQL JSON"},
		{"wrong shape", "application/json", `{"data":{"connection":{"id":7}}}`, 200, openhexa.KindDecode, "expected shape"},
		{"no data", "application/json", `{"data":null}`, 200, openhexa.KindDecode, "no data"},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		c, _ := openhexa.NewClient(openhexa.Config{URL: srv.URL, Token: "t", MaxRetries: -1})
		_, err := c.Connection(context.Background(), "6f1c0000-0000-4000-8000-000000000001")
		srv.Close()
		if !openhexa.IsKind(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want kind %s with %q", tc.name, err, tc.kind, tc.want)
		}
	}
}

// TestBadInputUnknownConnectionTypeIsKept: an enum value this client does not know
// decodes (the caller decides) and reports itself as unknown.
func TestBadInputUnknownConnectionTypeIsKept(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"connection":{"id":"a","name":"n","slug":"s","type":"SNOWFLAKE","createdAt":"2026-01-01T00:00:00Z","fields":[],"permissions":{"update":true,"delete":true}}}}`))
	}))
	defer srv.Close()
	c, _ := openhexa.NewClient(openhexa.Config{URL: srv.URL, Token: "t"})
	conn, err := c.Connection(context.Background(), "a")
	if err != nil || conn == nil || conn.Type.Known() {
		t.Fatalf("Connection = %+v, %v; want a connection of an unknown type", conn, err)
	}
}

// FuzzBadInputResponseDecoding: any bytes as an answer body, with any status,
// give a result or an *openhexa.Error, never a panic.
func FuzzBadInputResponseDecoding(f *testing.F) {
	f.Add(200, []byte(`{"data":{"me":{"user":null,"permissions":{"superUser":false}}}}`))
	f.Add(200, []byte(`{"data":null,"errors":[{"message":"x","extensions":{"code":"UNAUTHENTICATED"}}]}`))
	f.Add(400, []byte(`{"errors":[{"message":"Cannot query field"}]}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(200, []byte(`{"data":{"me":`))
	f.Add(200, []byte(`{"data":{"createConnection":{"success":false,"errors":["WHAT"]}}}`))
	f.Add(200, []byte{0xff, 0xfe, 0x00})
	f.Add(200, []byte(`[]`))
	f.Add(204, []byte(``))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + int(uint(status)%400)
		}
		// An in-memory transport: no socket per input.
		answer := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{
				StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(body)), Request: req,
			}, nil
		})
		c, _ := openhexa.NewClient(openhexa.Config{URL: "http://openhexa.invalid", Token: "t", MaxRetries: -1,
			HTTPClient: &http.Client{Transport: answer}})
		ctx := context.Background()
		check := func(err error) {
			var apiErr *openhexa.Error
			if err != nil && !errors.As(err, &apiErr) {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
		_, err := c.Me(ctx)
		check(err)
		_, err = c.WorkspaceConnections(ctx, "ws")
		check(err)
		_, err = c.CreateConnection(ctx, customInput("n"))
		check(err)
		check(c.DeleteConnection(ctx, "id"))
		_, _, err = c.TestConnection(ctx, openhexa.TestConnectionInput{})
		check(err)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
