// Package openhexatest is an in-memory OpenHEXA GraphQL server for tests. It is
// built from the provider's copy of the schema (openhexa.SchemaSDL) and
// reproduces the behaviour of the real API for workspace connections, as written
// down in the project's API contract: authentication, visibility and roles, slug
// derivation and de-duplication, validation (all reported as INVALID_SLUG),
// field replacement by code, secret values hidden from viewers, not-found shapes,
// ordering, and the HTTP status codes.
//
// A test starts one with Start, points the provider at URL() with one of the
// seeded tokens (TokenAdmin, TokenEditor, …) and inspects or changes the stored
// connections out of band with Connections, CreateStored, ModifyStored, … .
package openhexatest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// GraphQLPath is the path of the API endpoint, trailing slash included as
// upstream (the server also answers on "/graphql").
const GraphQLPath = "/graphql/"

// ConnectionTester checks that a connection can be reached. testConnection calls
// it, outside the store lock, once the caller's rights, the required field codes
// and (PostgreSQL) the port have been checked; a non-nil error becomes {success: false, errors:
// err.Error()}. connType is the ConnectionType enum value; fields maps each code
// to its value (a null value is "").
type ConnectionTester func(ctx context.Context, connType string, fields map[string]string) error

// Option configures a Server.
type Option func(*config)

type config struct {
	latency time.Duration
	samples bool
	tester  ConnectionTester
}

// WithLatency delays every request by d (see SetLatency).
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithSampleConnections adds the sample connections of the standalone command's
// "default" seed (see SampleConnections) to the seeded store. Without it the
// store holds the seeded workspaces and users but no connection.
func WithSampleConnections() Option { return func(c *config) { c.samples = true } }

// WithConnectionTester installs a ConnectionTester (see SetConnectionTester).
func WithConnectionTester(fn ConnectionTester) Option { return func(c *config) { c.tester = fn } }

// Server is the in-memory API. Its methods are safe for concurrent use.
type Server struct {
	store   *store
	schema  *graphql.Schema
	handler http.Handler
	log     requestLog
	latency atomic.Int64
	faults  faults

	testerMu sync.Mutex
	tester   ConnectionTester

	mu   sync.Mutex
	url  string
	ts   *httptest.Server
	srv  *http.Server
	done chan struct{}
}

// New returns a server with a seeded store and its HTTP handler, not listening.
func New(opts ...Option) *Server {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{store: newStore(), tester: cfg.tester}
	s.latency.Store(int64(cfg.latency))
	s.seed()
	if cfg.samples {
		s.addSampleConnections()
	}
	s.schema = graphql.MustParseSchema(openhexa.SchemaSDL, &rootResolver{s: s})
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

// Start starts a server on 127.0.0.1 (httptest) and closes it when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	ts := httptest.NewServer(s.Handler())
	s.mu.Lock()
	s.ts = ts
	s.url = ts.URL
	s.mu.Unlock()
	t.Cleanup(s.Close)
	return s
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler { return s.handler }

// URL returns the base URL (without /graphql/) of a server started with Start or
// Listen, and "" otherwise.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// GraphQLURL returns URL() + GraphQLPath, or "" when the server is not listening.
func (s *Server) GraphQLURL() string {
	u := s.URL()
	if u == "" {
		return ""
	}
	return u + GraphQLPath
}

// Listen serves the API on addr (for example "127.0.0.1:8765") in the background
// until Close.
func (s *Server) Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	s.mu.Lock()
	s.srv = srv
	s.url = "http://" + ln.Addr().String()
	s.done = done
	s.mu.Unlock()
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return ln, nil
}

// Close stops a server started with Start or Listen. It is safe to call more
// than once.
func (s *Server) Close() {
	s.mu.Lock()
	ts, srv, done := s.ts, s.srv, s.done
	s.ts, s.srv, s.done = nil, nil, nil
	s.mu.Unlock()
	if ts != nil {
		ts.Close()
	}
	if srv != nil {
		_ = srv.Close()
		<-done
	}
}

// SetLatency delays every later request by d before it is handled (0: none).
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// SetConnectionTester replaces the ConnectionTester (nil: the default, which
// checks every type as the real server does but reaches loopback addresses only:
// PostgreSQL and DHIS2/IASO on 127.0.0.1 or ::1 are really tried, anything else,
// S3 and GCS included, fails as unreachable; see tester.go).
func (s *Server) SetConnectionTester(fn ConnectionTester) {
	s.testerMu.Lock()
	defer s.testerMu.Unlock()
	s.tester = fn
}

func (s *Server) connectionTester() ConnectionTester {
	s.testerMu.Lock()
	defer s.testerMu.Unlock()
	return s.tester
}
