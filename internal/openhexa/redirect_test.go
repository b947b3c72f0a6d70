package openhexa_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// countingServer records every connection and request it receives.
type countingServer struct {
	*httptest.Server
	conns, requests atomic.Int64
}

func newCountingServer(t *testing.T, tlsOn bool, h http.Handler) *countingServer {
	t.Helper()
	cs := &countingServer{}
	cs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	cs.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			cs.conns.Add(1)
		}
	}
	if tlsOn {
		cs.StartTLS()
	} else {
		cs.Start()
	}
	t.Cleanup(cs.Close)
	return cs
}

func redirectTo(status int, location func() string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", location())
		w.WriteHeader(status)
	})
}

func insecureClient(t *testing.T, base string) *openhexa.Client {
	t.Helper()
	hc, err := openhexa.NewHTTPClient(openhexa.TLSOptions{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := openhexa.NewClient(openhexa.Config{URL: base, Token: "tok-redirect-LEAKMARKER", HTTPClient: hc, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFaultRedirectToAnotherOriginIsRefused: a redirect to another scheme, host or port
// is never followed, whatever its status: the other server receives nothing (no
// connection at all), nothing is retried, and the error names where the server tried
// to send the request.
func TestFaultRedirectToAnotherOriginIsRefused(t *testing.T) {
	other := newCountingServer(t, false, openhexatest.New().Handler())
	otherPort := mustURL(t, other.URL).Port()
	for _, tc := range []struct {
		name     string
		tls      bool
		location func(self *countingServer) string
	}{
		{"https to http on another port", true, func(*countingServer) string { return other.URL + "/graphql/" }},
		{"another port", false, func(*countingServer) string { return other.URL + "/graphql/" }},
		{"another host", false, func(*countingServer) string { return "http://localhost:" + otherPort + "/graphql/" }},
		{"another scheme, same host and port", false, func(self *countingServer) string {
			return "https://" + mustURL(t, self.URL).Host + "/graphql/"
		}},
		{"https to http, same host and port", true, func(self *countingServer) string {
			return "http://" + mustURL(t, self.URL).Host + "/graphql/"
		}},
	} {
		for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
			t.Run(tc.name+"/"+http.StatusText(status), func(t *testing.T) {
				var self *countingServer
				var once sync.Once
				var location string
				self = newCountingServer(t, tc.tls, redirectTo(status, func() string {
					once.Do(func() { location = tc.location(self) })
					return location
				}))
				before := other.requests.Load() + other.conns.Load()
				c := insecureClient(t, self.URL)
				secret := "LEAKMARKER-redirect-secret"
				_, err := c.CreateConnection(context.Background(), openhexa.CreateConnectionInput{
					WorkspaceSlug: openhexatest.WorkspaceMain, Name: "r", Type: openhexa.TypeCustom,
					Fields: []openhexa.FieldInput{{Code: "k", Value: &secret, Secret: true}},
				})
				var apiErr *openhexa.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want an *openhexa.Error", err)
				}
				for _, want := range []string{"redirecting the request to " + location, "Nothing was sent there", "set `url`"} {
					if !strings.Contains(apiErr.Message, want) {
						t.Errorf("message %q does not say %q", apiErr.Message, want)
					}
				}
				if strings.Contains(apiErr.Error(), "LEAKMARKER") {
					t.Errorf("the error holds the token or the secret: %s", apiErr.Error())
				}
				if apiErr.Ambiguous != (status == http.StatusFound) {
					t.Errorf("ambiguous = %v after HTTP %d", apiErr.Ambiguous, status)
				}
				if n := self.requests.Load(); n != 1 {
					t.Errorf("the redirecting server received %d requests, want 1 (no retry)", n)
				}
				if n := other.requests.Load() + other.conns.Load(); n != before {
					t.Errorf("the other server received %d connections or requests", n-before)
				}
				if tc.name == "another scheme, same host and port" || tc.name == "https to http, same host and port" {
					if n := self.conns.Load(); n != 1 {
						t.Errorf("the redirecting server's port received %d connections, want 1", n)
					}
				}
			})
		}
	}
}

// TestFaultSameOriginRedirect: within the endpoint's origin, 307 and 308 are followed
// with the method, token and body kept; 301, 302 and 303 (which would turn the POST
// into a GET without its query) are refused with a message saying so.
func TestFaultSameOriginRedirect(t *testing.T) {
	backend := openhexatest.New().Handler()
	var got struct {
		sync.Mutex
		method, auth string
		bodyLen      int
	}
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := newCountingServer(t, false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/graphql/" {
					redirectTo(status, func() string { return "/moved/graphql/" }).ServeHTTP(w, r)
					return
				}
				body, _ := io.ReadAll(r.Body)
				got.Lock()
				got.method, got.auth, got.bodyLen = r.Method, r.Header.Get("Authorization"), len(body)
				got.Unlock()
				r2 := r.Clone(r.Context())
				r2.URL.Path = "/graphql/"
				r2.Body = io.NopCloser(strings.NewReader(string(body)))
				backend.ServeHTTP(w, r2)
			}))
			c, err := openhexa.NewClient(openhexa.Config{URL: srv.URL, Token: openhexatest.TokenEditor})
			if err != nil {
				t.Fatal(err)
			}
			me, err := c.Me(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if me.User == nil {
				t.Fatal("the token did not reach the redirect's target")
			}
			got.Lock()
			defer got.Unlock()
			if got.method != http.MethodPost || got.auth != "Bearer "+openhexatest.TokenEditor || got.bodyLen == 0 {
				t.Errorf("followed as %s with Authorization %q and a %d-byte body", got.method, got.auth, got.bodyLen)
			}
		})
	}
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := newCountingServer(t, false, redirectTo(status, func() string { return "/other/graphql/" }))
			c, err := openhexa.NewClient(openhexa.Config{URL: srv.URL, Token: openhexatest.TokenEditor})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Me(context.Background())
			if err == nil || !strings.Contains(err.Error(), "would turn the POST into a GET") ||
				!strings.Contains(err.Error(), srv.URL+"/other/graphql/") {
				t.Fatalf("err = %v", err)
			}
			if n := srv.requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
	t.Run("a loop", func(t *testing.T) {
		srv := newCountingServer(t, false, redirectTo(http.StatusTemporaryRedirect, func() string { return "/graphql/" }))
		c, err := openhexa.NewClient(openhexa.Config{URL: srv.URL, Token: openhexatest.TokenEditor})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Me(context.Background()); err == nil || !strings.Contains(err.Error(), "more than 5 redirects") {
			t.Fatalf("err = %v", err)
		}
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
