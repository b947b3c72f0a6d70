package openhexatest

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// fakeDHIS2IASO answers like a DHIS2 (/api/system/info, basic auth) and an IASO
// (/api/token/, JSON credentials) instance, on loopback, for user "u" with
// password "hunter2-good".
func fakeDHIS2IASO(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/system/info":
			if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "hunter2-good" {
				http.Error(w, `{"httpStatusCode":401}`, http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"version":"2.41.0"}`))
		case "/api/token/":
			var creds map[string]string
			if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&creds) != nil ||
				creds["username"] != "u" || creds["password"] != "hunter2-good" {
				http.Error(w, `{"detail":"No active account found with the given credentials"}`, http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"access":"a","refresh":"r"}`))
		case "/html/api/system/info":
			_, _ = w.Write([]byte(`<html>login</html>`))
		case "/away/api/system/info":
			http.Redirect(w, r, "http://dhis2.example.org/api/system/info", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// Rule: testConnection checks DHIS2, IASO, S3 and GCS "for real", as the real
// server does, but reaches loopback only: a fake instance on 127.0.0.1 is really
// asked; anything else fails as unreachable without a name being resolved.
func TestDefaultTester(t *testing.T) {
	s := Start(t)
	fake := fakeDHIS2IASO(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(fake.URL, "http://"))
	closed := closedPort(t)
	run := func(typ string, fields []any) (bool, string) {
		t.Helper()
		r := ok(t, gql(t, s, TokenAdmin, testMutation, map[string]any{"input": map[string]any{
			"workspaceSlug": WorkspaceMain, "type": typ, "fields": fields}}))
		msg, _ := r.Data("testConnection.errors").(string)
		return r.Bool("testConnection.success"), msg
	}
	web := func(url, password string) []any {
		return fieldsIn("url", url, false, "username", "u", false, "password", password, true)
	}
	gcsKey := func(v string) []any { return fieldsIn("bucket_name", "b", false, "service_account_key", v, true) }
	s3 := func(id, secret string) []any {
		return fieldsIn("bucket_name", "my-bucket", false, "access_key_id", id, false, "access_key_secret", secret, true)
	}
	fullKey := `{"type":"service_account","client_email":"x@p.iam.gserviceaccount.com","token_uri":"https://oauth2.googleapis.com/token","private_key":"-----BEGIN PRIVATE KEY-----hunter2-key"}`

	for _, typ := range []string{TypeDHIS2, TypeIASO} {
		for _, url := range []string{fake.URL, fake.URL + "/", "http://localhost:" + port} {
			if good, msg := run(typ, web(url, "hunter2-good")); !good || msg != "" {
				t.Errorf("%s at %s, good password: %v %q", typ, url, good, msg)
			}
		}
	}
	for name, tc := range map[string]struct {
		typ    string
		fields []any
		want   string
	}{
		"dhis2 wrong password": {TypeDHIS2, web(fake.URL, "hunter2-bad"), "401 Client Error: Unauthorized for url: " + fake.URL + "/api/system/info"},
		"iaso wrong password":  {TypeIASO, web(fake.URL, "hunter2-bad"), "401 Client Error: Unauthorized for url: " + fake.URL + "/api/token/"},
		"dhis2 not json":       {TypeDHIS2, web(fake.URL+"/html", "hunter2-good"), "Expecting value: line 1 column 1 (char 0)"},
		"dhis2 refused": {TypeDHIS2, web("http://"+closed, "hunter2-good"), "HTTPConnectionPool(host='127.0.0.1', port=" +
			strings.Split(closed, ":")[1] + "): Max retries exceeded with url: /api/system/info (Caused by NewConnectionError(" +
			"'Failed to establish a new connection: [Errno 111] Connection refused'))"},
		"dhis2 by name": {TypeDHIS2, web("https://play.dhis2.org/dev", "hunter2-good"), "HTTPSConnectionPool(host='play.dhis2.org', " +
			"port=443): Max retries exceeded with url: /dev/api/system/info (Caused by NameResolutionError(\"Failed to resolve " +
			"'play.dhis2.org' ([Errno -3] Temporary failure in name resolution)\"))" + loopbackNote},
		"iaso by address": {TypeIASO, web("http://192.0.2.1:8080", "hunter2-good"), "HTTPConnectionPool(host='192.0.2.1', port=8080): " +
			"Max retries exceeded with url: /api/token/ (Caused by NewConnectionError('Failed to establish a new connection: " +
			"[Errno 101] Network is unreachable'))" + loopbackNote},
		"dhis2 redirected away": {TypeDHIS2, web(fake.URL+"/away", "hunter2-good"), "HTTPConnectionPool(host='127.0.0.1', port=" + port +
			"): Max retries exceeded with url: /away/api/system/info (Caused by NewConnectionError('Failed to establish a new " +
			"connection: refused to reach dhis2.example.org'))" + loopbackNote},
		"dhis2 no scheme": {TypeDHIS2, web("play.dhis2.org", "hunter2-good"), "Invalid URL 'play.dhis2.org/api/system/info': " +
			"No scheme supplied. Perhaps you meant https://play.dhis2.org/api/system/info?"},
		"s3 without keys":     {TypeS3, s3("", ""), "Unable to locate credentials"},
		"s3 without secret":   {TypeS3, s3("AKIA", ""), "Partial credentials found in explicit, missing: aws_secret_access_key"},
		"s3 with keys":        {TypeS3, s3("AKIA", "hunter2-s3"), `Could not connect to the endpoint URL: "https://my-bucket.s3.amazonaws.com/"` + loopbackNote},
		"gcs empty key":       {TypeGCS, gcsKey(""), "Expecting value: line 1 column 1 (char 0)"},
		"gcs not json":        {TypeGCS, gcsKey("{\n hunter2-key"), "Expecting value: line 2 column 2 (char 3)"},
		"gcs missing fields":  {TypeGCS, gcsKey(`{"private_key":"hunter2-key"}`), "Service account info was not in the expected format, missing fields client_email, token_uri."},
		"gcs no private key":  {TypeGCS, gcsKey(`{"client_email":"x@y","token_uri":"https://oauth2.googleapis.com/token"}`), "The private_key field was not found in the service account info."},
		"gcs with a full key": {TypeGCS, gcsKey(fullKey), "HTTPSConnectionPool(host='oauth2.googleapis.com', port=443): Max retries exceeded with url: /token (Caused by NameResolutionError(\"Failed to resolve 'oauth2.googleapis.com' ([Errno -3] Temporary failure in name resolution)\"))" + loopbackNote},
		"postgres by address": {TypePostgreSQL, fieldsIn("host", "192.0.2.1", false, "port", "5432", false, "db_name", "d", false, "username", "u", false, "password", "hunter2-pg", true),
			`connection to server at "192.0.2.1", port 5432 failed: Network is unreachable` + loopbackNote},
	} {
		good, msg := run(tc.typ, tc.fields)
		if good || msg != tc.want {
			t.Errorf("%s: %v %q\nwant %q", name, good, msg, tc.want)
		}
		if strings.Contains(msg, "hunter2") {
			t.Errorf("%s: a secret in the message %q", name, msg)
		}
	}
	// A password in the URL's user part is never quoted.
	if good, msg := run(TypeDHIS2, web("http://u:hunter2-url@"+closed, "hunter2-good")); good || strings.Contains(msg, "hunter2") {
		t.Errorf("user info: %v %q", good, msg)
	}
}

func TestPyRepr(t *testing.T) {
	for in, want := range map[string]string{
		"abc": `'abc'`, "it's": `"it's"`, `a'b"c`: `'a\'b"c'`, "a\nb\\": `'a\nb\\'`, "é\x01": `'é\x01'`,
	} {
		if got := pyRepr(in); got != want {
			t.Errorf("pyRepr(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestEveryBuiltInTypeHasItsRules: every value of the schema's ConnectionType enum
// but CUSTOM has its required codes and its check, and nothing else has.
func TestEveryBuiltInTypeHasItsRules(t *testing.T) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: openhexa.SchemaSDL})
	if err != nil {
		t.Fatal(err)
	}
	builtIn := map[string]bool{}
	for _, v := range schema.Types["ConnectionType"].EnumValues {
		if v.Name != TypeCustom {
			builtIn[v.Name] = true
		}
	}
	for typ := range builtIn {
		if len(requiredCodes[typ]) == 0 {
			t.Errorf("%s has no required codes (requiredCodes, validate.go)", typ)
		}
		if checks[typ] == nil {
			t.Errorf("%s has no check (checks, tester.go)", typ)
		}
	}
	for typ := range requiredCodes {
		if !builtIn[typ] {
			t.Errorf("requiredCodes has %s, not a built-in type of the schema", typ)
		}
	}
	for typ := range checks {
		if !builtIn[typ] {
			t.Errorf("checks has %s, not a built-in type of the schema", typ)
		}
	}
	if err := realConnectionTester(t.Context(), "MYSQL", nil); err == nil || !strings.Contains(err.Error(), "no check") {
		t.Errorf("a type without a check must fail its test, got %v", err)
	}
}
