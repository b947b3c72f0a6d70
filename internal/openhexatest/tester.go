package openhexatest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// The default ConnectionTester checks each type as the real server does, with one
// difference: the test server never sends a packet off the machine and never
// resolves a name. A check that the real server would send to another host fails
// here with the text the real server gives when that host cannot be reached
// (the Python libraries' wording: requests/urllib3 for DHIS2 and IASO, botocore
// for S3, google-auth for GCS, libpq for PostgreSQL), followed by a note that
// the test server only reaches loopback addresses. Tests that need a check to
// pass either serve a fake DHIS2/IASO on 127.0.0.1, a real PostgreSQL on
// loopback, or install a stub with SetConnectionTester.

// loopbackNote ends the text of every check the test server refused to send.
const loopbackNote = " (the OpenHEXA test server reaches loopback addresses only)"

// checkTimeout bounds one check.
const checkTimeout = 10 * time.Second

// checks holds, per built-in type, what the real server does to test it. A type
// without one fails every test: a new type must get its check here, and its field
// codes in requiredCodes (TestEveryBuiltInTypeHasItsRules).
var checks = map[string]func(ctx context.Context, fields map[string]string) error{
	TypePostgreSQL: checkPostgreSQL,
	TypeDHIS2:      checkDHIS2,
	TypeIASO:       checkIASO,
	TypeS3:         func(_ context.Context, fields map[string]string) error { return checkS3(fields) },
	TypeGCS:        func(_ context.Context, fields map[string]string) error { return checkGCS(fields) },
}

// realConnectionTester is what testConnection does by default.
func realConnectionTester(ctx context.Context, connType string, fields map[string]string) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	check, ok := checks[connType]
	if !ok {
		return checkFailure(fmt.Sprintf("the OpenHEXA test server has no check for %s connections", connType))
	}
	if err := check(ctx, fields); err != nil {
		return checkFailure(scrubSecrets(err.Error(), fields))
	}
	return nil
}

// loopbackIP returns the address to dial for host when it is a loopback one
// ("localhost" is taken as 127.0.0.1 rather than looked up).
func loopbackIP(host string) (net.IP, bool) {
	if strings.EqualFold(host, "localhost") {
		return net.IPv4(127, 0, 0, 1), true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip, ip != nil && ip.IsLoopback()
}

// unreachable is the operating system's error for a host the test server will
// not reach: a name fails to resolve, an address is unreachable.
func unreachable(host string) string {
	if net.ParseIP(strings.Trim(host, "[]")) == nil {
		return "Temporary failure in name resolution"
	}
	return "Network is unreachable"
}

// checkPostgreSQL connects with the given credentials and runs SELECT 1.
func checkPostgreSQL(ctx context.Context, fields map[string]string) error {
	host := fields["host"]
	ip, ok := loopbackIP(host)
	if !ok {
		if net.ParseIP(host) == nil {
			return failf("could not translate host name %q to address: %s%s", host, unreachable(host), loopbackNote)
		}
		return failf("connection to server at %q, port %s failed: %s%s", host, fields["port"], unreachable(host), loopbackNote)
	}
	dsn := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(fields["username"], fields["password"]),
		Host:     net.JoinHostPort(ip.String(), strings.TrimSpace(fields["port"])),
		Path:     "/" + fields["db_name"],
		RawQuery: "sslmode=disable&connect_timeout=10",
	}
	conn, err := pgx.Connect(ctx, dsn.String())
	if err != nil {
		return failf("could not connect to the PostgreSQL server: %s", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return failf("connected, but SELECT 1 failed: %s", err)
	}
	return nil
}

// loopbackClient is an HTTP client that dials loopback addresses only, whatever
// the URL, a redirect or the environment's proxy settings say.
var loopbackClient = &http.Client{
	Timeout: checkTimeout,
	Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			ip, ok := loopbackIP(host)
			if !ok {
				return nil, &refusedHost{host: host}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		},
		TLSHandshakeTimeout:   checkTimeout,
		ResponseHeaderTimeout: checkTimeout,
	},
}

// refusedHost is the dial error for a host off loopback.
type refusedHost struct{ host string }

func (e *refusedHost) Error() string { return "refused to reach " + e.host }

// httpCheck sends one request to base+path as Python's requests would, and
// words its failures as requests does. base is the connection's url field.
func httpCheck(ctx context.Context, method, base, path string, header http.Header, body []byte) ([]byte, error) {
	full := strings.TrimRight(base, "/") + path
	u, err := url.Parse(full)
	switch {
	case err != nil || u.Host == "" && u.Scheme == "":
		return nil, failf("Invalid URL '%s': No scheme supplied. Perhaps you meant https://%s?", full, full)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, failf("No connection adapters were found for '%s'", full)
	case u.Hostname() == "":
		return nil, failf("Invalid URL '%s': No host supplied", full)
	}
	u.User = nil // never in a message; requests would send it as basic auth, the caller does
	pool, port := "HTTPConnectionPool", u.Port()
	if u.Scheme == "https" {
		pool = "HTTPSConnectionPool"
	}
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	prefix := fmt.Sprintf("%s(host='%s', port=%s): Max retries exceeded with url: %s", pool, u.Hostname(), port, u.RequestURI())
	if _, ok := loopbackIP(u.Hostname()); !ok {
		if net.ParseIP(u.Hostname()) == nil {
			return nil, failf("%s (Caused by NameResolutionError(\"Failed to resolve '%s' ([Errno -3] %s)\"))%s",
				prefix, u.Hostname(), unreachable(u.Hostname()), loopbackNote)
		}
		return nil, failf("%s (Caused by NewConnectionError('Failed to establish a new connection: [Errno 101] %s'))%s",
			prefix, unreachable(u.Hostname()), loopbackNote)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, failf("Invalid URL '%s': %s", full, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := loopbackClient.Do(req)
	if err != nil {
		var refused *refusedHost
		switch {
		case errors.As(err, &refused): // a redirect off loopback
			return nil, failf("%s (Caused by NewConnectionError('Failed to establish a new connection: %s'))%s",
				prefix, refused, loopbackNote)
		case errors.Is(err, syscall.ECONNREFUSED):
			return nil, failf("%s (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))", prefix)
		case errors.Is(err, context.DeadlineExceeded):
			return nil, failf("%s (Caused by ConnectTimeoutError('Connection timed out'))", prefix)
		}
		return nil, failf("%s (Caused by ProtocolError('Connection aborted.', %q))", prefix, err.Error())
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 400 {
		kind := "Client"
		if resp.StatusCode >= 500 {
			kind = "Server"
		}
		return nil, failf("%d %s Error: %s for url: %s", resp.StatusCode, kind, http.StatusText(resp.StatusCode), u.String())
	}
	return raw, nil
}

// checkDHIS2 reads the instance's /api/system/info with basic auth: 2xx and JSON
// is success.
func checkDHIS2(ctx context.Context, fields map[string]string) error {
	header := http.Header{"Accept": {"application/json"}}
	req := &http.Request{Header: http.Header{}}
	req.SetBasicAuth(fields["username"], fields["password"])
	header.Set("Authorization", req.Header.Get("Authorization"))
	raw, err := httpCheck(ctx, http.MethodGet, fields["url"], "/api/system/info", header, nil)
	if err != nil {
		return err
	}
	var info map[string]any
	if json.Unmarshal(raw, &info) != nil {
		return checkFailure("Expecting value: line 1 column 1 (char 0)")
	}
	return nil
}

// checkIASO asks the instance for a token (POST /api/token/ with the username and
// password as JSON): 2xx with an "access" token is success.
func checkIASO(ctx context.Context, fields map[string]string) error {
	body, _ := json.Marshal(map[string]string{"username": fields["username"], "password": fields["password"]})
	header := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}
	raw, err := httpCheck(ctx, http.MethodPost, fields["url"], "/api/token/", header, body)
	if err != nil {
		return err
	}
	var tokens map[string]any
	if json.Unmarshal(raw, &tokens) != nil {
		return checkFailure("Expecting value: line 1 column 1 (char 0)")
	}
	if access, _ := tokens["access"].(string); access == "" {
		return checkFailure("'access'")
	}
	return nil
}

// checkS3: the real server asks AWS with the keys given, and without keys falls
// back to its own credentials, which a server without cloud credentials lacks
// (botocore's NoCredentialsError). Here AWS is never reachable (botocore's
// EndpointConnectionError).
func checkS3(fields map[string]string) error {
	id, secret := fields["access_key_id"], fields["access_key_secret"]
	switch {
	case id == "" && secret == "":
		return checkFailure("Unable to locate credentials")
	case id == "":
		return checkFailure("Partial credentials found in explicit, missing: aws_access_key_id")
	case secret == "":
		return checkFailure("Partial credentials found in explicit, missing: aws_secret_access_key")
	}
	return failf("Could not connect to the endpoint URL: \"https://%s.s3.amazonaws.com/\"%s", fields["bucket_name"], loopbackNote)
}

// checkGCS: the real server reads the service-account key (Python's json, then
// google-auth's checks) and asks Google for a token, which is never reachable
// here. No message quotes the key.
func checkGCS(fields map[string]string) error {
	var info map[string]any
	if err := json.Unmarshal([]byte(fields["service_account_key"]), &info); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) && syntax.Offset > 0 {
			line, col := lineColumn(fields["service_account_key"], int(syntax.Offset)-1)
			return failf("Expecting value: line %d column %d (char %d)", line, col, syntax.Offset-1)
		}
		return checkFailure("Expecting value: line 1 column 1 (char 0)")
	}
	var missing []string
	for _, k := range []string{"client_email", "token_uri"} {
		if s, _ := info[k].(string); s == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return failf("Service account info was not in the expected format, missing fields %s.", strings.Join(missing, ", "))
	}
	if s, _ := info["private_key"].(string); s == "" {
		return checkFailure("The private_key field was not found in the service account info.")
	}
	tokenURI, _ := info["token_uri"].(string)
	host, port, path := "oauth2.googleapis.com", "443", "/token"
	if u, err := url.Parse(tokenURI); err == nil && u.Hostname() != "" {
		host, path = u.Hostname(), u.RequestURI()
		if u.Port() != "" {
			port = u.Port()
		}
	}
	return failf("HTTPSConnectionPool(host='%s', port=%s): Max retries exceeded with url: %s (Caused by "+
		"NameResolutionError(\"Failed to resolve '%s' ([Errno -3] %s)\"))%s", host, port, path, host, unreachable(host), loopbackNote)
}

// lineColumn turns a byte offset into Python's 1-based line and column.
func lineColumn(s string, offset int) (line, col int) {
	if offset > len(s) {
		offset = len(s)
	}
	before := s[:offset]
	line = strings.Count(before, "\n") + 1
	return line, offset - strings.LastIndex(before, "\n")
}

var pythonIntLiteral = regexp.MustCompile(`^[+-]?[0-9]+(_[0-9]+)*$`)

// pythonInt returns the error of Python's int(s), nil when it accepts s.
func pythonInt(s string) error {
	if !pythonIntLiteral.MatchString(strings.TrimSpace(s)) {
		return failf("invalid literal for int() with base 10: %s", pyRepr(s))
	}
	return nil
}

// scrubSecrets removes every secret field value (and, for the GCS key, its
// private key) from a text.
func scrubSecrets(text string, fields map[string]string) string {
	for _, code := range []string{"password", "access_key_secret", "service_account_key"} {
		text = scrubSecret(text, fields[code])
	}
	return text
}

func scrubSecret(text, secret string) string {
	if len(secret) < 4 {
		return text // too short to tell from ordinary words
	}
	return strings.ReplaceAll(text, secret, "(redacted)")
}

// checkFailure is the text of a failed check, worded as the real server's
// libraries word it (hence capitalised and punctuated).
type checkFailure string

func (e checkFailure) Error() string { return string(e) }

func failf(format string, a ...any) error { return checkFailure(fmt.Sprintf(format, a...)) }
