package openhexa_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// TestURLWithCredentialsIsRefused: a base URL with a user name or password is refused
// before anything is sent, by an error that quotes neither; the token authenticates.
func TestURLWithCredentialsIsRefused(t *testing.T) {
	for _, raw := range []string{
		"https://alice:PW-LEAKMARKER@openhexa.example.org",
		" http://alice:PW-LEAKMARKER@127.0.0.1:8000/ ",
		"https://PW-LEAKMARKER@openhexa.example.org",
		"https://alice:p@ss-PW-LEAKMARKER@openhexa.example.org/api",
	} {
		c, err := openhexa.NewClient(openhexa.Config{URL: raw, Token: "tok"})
		if err == nil || c != nil {
			t.Errorf("%q: accepted", raw)
			continue
		}
		if !openhexa.IsKind(err, openhexa.KindURL) || !openhexa.URLHasCredentials(raw) {
			t.Errorf("%q: %v, want an error of kind URL", raw, err)
		}
		for _, leak := range []string{"PW-LEAKMARKER", "alice", "ss-PW"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%q: the error quotes %q: %v", raw, leak, err)
			}
		}
		if !strings.Contains(err.Error(), "token") {
			t.Errorf("%q: the error does not say that the token authenticates: %v", raw, err)
		}
	}
	for _, raw := range []string{"https://openhexa.example.org", "http://127.0.0.1:8000/", "https://h.example.org/a@b"} {
		if openhexa.URLHasCredentials(raw) {
			t.Errorf("%q: taken for a URL with credentials", raw)
		}
		if _, err := openhexa.NewClient(openhexa.Config{URL: raw, Token: "tok"}); err != nil {
			t.Errorf("%q: refused: %v", raw, err)
		}
	}
}

// TestErrorHidesURLCredentials: whatever a client error quotes (a server's message, a
// Location, a URL the caller put in it), the user name and password of a URL in it
// never reach its text; the rest of the URL does.
func TestErrorHidesURLCredentials(t *testing.T) {
	for _, msg := range []string{
		"the server answered with an error: cannot reach https://bob:PW-LEAKMARKER@dhis2.example.org/api",
		`redirecting to "http://bob:PW-LEAKMARKER@other.example.org:8080/graphql/"`,
		"postgresql://etl:PW-LEAKMARKER@db.example.org:5432/dwh and s3://KEY:PW-LEAKMARKER@bucket",
		"the OpenHEXA URL \"ftp://bob:PW-LEAKMARKER@h\" must start with http:// or https://",
	} {
		for _, kind := range []openhexa.ErrorKind{openhexa.KindGraphQL, openhexa.KindURL} {
			text := (&openhexa.Error{Kind: kind, Operation: openhexa.OpMe, Message: msg}).Error()
			if strings.Contains(text, "PW-LEAKMARKER") || strings.Contains(text, "bob") {
				t.Errorf("%s: the error shows the URL's credentials: %s", kind, text)
			}
			if !strings.Contains(text, "***@") {
				t.Errorf("%s: the error does not show where the credentials were: %s", kind, text)
			}
		}
	}
	if _, err := openhexa.NewClient(openhexa.Config{URL: "ftp://bob:PW-LEAKMARKER@h", Token: "tok"}); err == nil ||
		strings.Contains(err.Error(), "PW-LEAKMARKER") {
		t.Errorf("a URL of another scheme with credentials: %v", err)
	}
}

// TestFaultRedirectWithCredentialsHidesThem: a redirect whose Location holds
// credentials is refused, and the error names the place without them.
func TestFaultRedirectWithCredentialsHidesThem(t *testing.T) {
	srv := newCountingServer(t, false, redirectTo(http.StatusTemporaryRedirect, func() string {
		return "http://eve:PW-LEAKMARKER@other.example.org:8080/graphql/"
	}))
	_, err := insecureClient(t, srv.URL).Me(context.Background())
	var apiErr *openhexa.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("want a client error, got %v", err)
	}
	if strings.Contains(err.Error(), "PW-LEAKMARKER") || strings.Contains(err.Error(), "eve") {
		t.Errorf("the error shows the Location's credentials: %v", err)
	}
	if !strings.Contains(err.Error(), "other.example.org:8080") {
		t.Errorf("the error does not name where the server redirected: %v", err)
	}
}
