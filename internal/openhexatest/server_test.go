package openhexatest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNewIsNotListening(t *testing.T) {
	s := New()
	if s.URL() != "" || s.GraphQLURL() != "" {
		t.Fatalf("URL %q before listening", s.URL())
	}
	// The handler works on its own.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/graphql/", strings.NewReader(`{"query":"{ me { user { email } } }"}`))
	req.Header.Set("Authorization", "Bearer "+TokenEditor)
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), EmailEditor) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	s.Close() // no-op
}

func TestStartURL(t *testing.T) {
	s := Start(t)
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || strings.HasSuffix(s.URL(), "/") {
		t.Fatalf("URL %q", s.URL())
	}
	if s.GraphQLURL() != s.URL()+"/graphql/" {
		t.Fatalf("GraphQLURL %q", s.GraphQLURL())
	}
}

func TestListenAndClose(t *testing.T) {
	s := New()
	ln, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "http://"+ln.Addr().String() {
		t.Fatalf("URL %q, listener %s", s.URL(), ln.Addr())
	}
	r := ok(t, post(t, s.GraphQLURL(), "Bearer "+TokenAdmin, `{"query":"{ me { user { email } } }"}`))
	if r.Str("me.user.email") != EmailAdmin {
		t.Fatalf("%s", r.Raw)
	}
	url := s.GraphQLURL()
	s.Close()
	s.Close()
	if _, err := http.Post(url, "application/json", strings.NewReader(`{}`)); err == nil {
		t.Fatal("still serving after Close")
	}
}
