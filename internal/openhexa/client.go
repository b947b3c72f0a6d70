package openhexa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultTimeout bounds one HTTP request, so a stuck server cannot hang a run forever.
const DefaultTimeout = 60 * time.Second

// Logger receives one line per request: operation, status and duration. It never
// receives a body, a header value or a field value.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client.
type Config struct {
	// URL is the server's base URL; the GraphQL endpoint is <URL>/graphql/.
	URL   string
	Token string
	// UserAgent is sent with every request.
	UserAgent string
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// HTTPClient overrides the transport (tests, TLS settings); nil means a go-cleanhttp client.
	HTTPClient *http.Client
	Logger     Logger
	// MaxRetries bounds the retries after a first attempt that failed in a way
	// worth retrying (see retry.go); zero means DefaultMaxRetries, negative none.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts; zero means
	// DefaultRetryWaitMin / DefaultRetryWaitMax. A Retry-After answer is honoured
	// up to MaxRetryAfter.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
}

// Client talks to one OpenHEXA server with one token.
type Client struct {
	endpoint  string
	token     string
	userAgent string
	http      *http.Client
	logger    Logger
	retry     retryPolicy
	reads     *listings // per-run workspace listings (listing.go)
}

// NewClient returns a client for the server at cfg.URL.
func NewClient(cfg Config) (*Client, error) {
	endpoint, err := GraphQLEndpoint(cfg.URL)
	if err != nil {
		return nil, err
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = cleanhttp.DefaultPooledClient()
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	// Copy so that setting the timeout never changes a client the caller shares.
	withTimeout := *httpClient
	withTimeout.Timeout = timeout
	withTimeout.CheckRedirect = checkRedirect(mustParse(endpoint))
	return &Client{
		endpoint:  endpoint,
		token:     cfg.Token,
		userAgent: cfg.UserAgent,
		http:      &withTimeout,
		logger:    cfg.Logger,
		retry:     newRetryPolicy(cfg),
		reads:     newListings(),
	}, nil
}

// GraphQLEndpoint returns <base>/graphql/ for a base URL given with or without a
// trailing slash. The error, an *Error of KindURL, refuses a URL that is not http(s)
// or that holds credentials.
func GraphQLEndpoint(base string) (string, error) {
	trimmed := strings.TrimRight(strings.TrimSpace(base), "/")
	switch {
	case URLHasCredentials(trimmed):
		return "", &Error{Kind: KindURL, Message: URLCredentialsRefused}
	case !strings.HasPrefix(trimmed, "http://") && !strings.HasPrefix(trimmed, "https://"):
		return "", &Error{Kind: KindURL, Message: fmt.Sprintf("the OpenHEXA URL %q must start with http:// or https://", base)}
	}
	return trimmed + "/graphql/", nil
}

// Endpoint is the GraphQL endpoint the client posts to.
func (c *Client) Endpoint() string { return c.endpoint }

type graphQLRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables,omitempty"`
}

type graphQLError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

type graphQLResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []graphQLError  `json:"errors"`
}

// call sends one named operation and decodes its data into out. secrets lists values
// sent in this request that must not appear in any error text.
func (c *Client) call(ctx context.Context, op string, variables map[string]any, secrets []string, out any) error {
	doc, ok := Document(op)
	if !ok {
		return &Error{Kind: KindGraphQL, Operation: op, Message: "the provider has no document for this operation (a bug in the provider)"}
	}
	body, err := json.Marshal(graphQLRequest{Query: doc, OperationName: op, Variables: variables})
	if err != nil {
		return &Error{Kind: KindDecode, Operation: op, Message: "could not encode the request", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return &Error{Kind: KindTransport, Operation: op, Message: "could not build the request", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	return c.send(ctx, op, req, secrets, out)
}

// attempt sends the request once and decodes the answer, and says whether a
// failure may be retried and after how long the server asked to wait.
func (c *Client) attempt(ctx context.Context, op string, req *http.Request, n int, secrets []string, out any) (retryHint, error) {
	started := time.Now()
	resp, err := c.http.Do(req)
	if refused, ok := refusedRedirect(op, c.endpoint, err, secrets, c.token); ok {
		c.log(ctx, op, refused.StatusCode, n, started)
		return retryHint{permanent: true}, refused
	}
	if err != nil {
		c.log(ctx, op, 0, n, started)
		notSent := neverSent(err)
		return retryHint{transport: true, notSent: notSent, permanent: permanentTransport(ctx, err)}, &Error{
			Kind: KindTransport, Operation: op, Ambiguous: isMutation(op) && !notSent,
			Message: "the request to " + c.endpoint + " failed: " + scrub(transportMessage(err), secrets, c.token),
		}
	}
	defer func() { _ = resp.Body.Close() }()
	noteServerDate(ctx, resp.Header)
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	c.log(ctx, op, resp.StatusCode, n, started)
	if readErr != nil {
		return retryHint{transport: true}, &Error{Kind: KindTransport, Operation: op, Ambiguous: isMutation(op),
			StatusCode: resp.StatusCode, Message: "reading the answer failed: " + scrub(readErr.Error(), secrets, c.token)}
	}
	if err := decodeResponse(op, resp, raw, secrets, c.token, out); err != nil {
		return retryHint{status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}, err
	}
	return retryHint{}, nil
}

func decodeResponse(op string, resp *http.Response, raw []byte, secrets []string, token string, out any) error {
	var decoded graphQLResponse
	jsonErr := json.Unmarshal(raw, &decoded)
	switch {
	case resp.StatusCode == http.StatusBadRequest && jsonErr == nil && len(decoded.Errors) > 0:
		return &Error{Kind: KindGraphQL, Operation: op, StatusCode: resp.StatusCode,
			Message: "the server refused the request document, so it does not speak the API this provider " +
				"was built for: " + scrub(joinMessages(decoded.Errors), secrets, token)}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// The real server answers some refusals (a body that is not JSON) with a
		// bare JSON string rather than {"errors": [...]}: quote it.
		var text string
		if json.Unmarshal(raw, &text) == nil && text != "" {
			return &Error{Kind: KindHTTP, Operation: op, StatusCode: resp.StatusCode, Ambiguous: isMutation(op) && resp.StatusCode >= 500,
				Message: fmt.Sprintf("the server answered HTTP %d %s: %s", resp.StatusCode, http.StatusText(resp.StatusCode), scrub(text, secrets, token))}
		}
		return &Error{Kind: KindHTTP, Operation: op, StatusCode: resp.StatusCode, Ambiguous: isMutation(op) && resp.StatusCode >= 500,
			Message: fmt.Sprintf("the server answered HTTP %d %s%s", resp.StatusCode, http.StatusText(resp.StatusCode), describeBody(resp))}
	case jsonErr != nil:
		return &Error{Kind: KindDecode, Operation: op, StatusCode: resp.StatusCode, Ambiguous: isMutation(op),
			Message: "the server's answer is not GraphQL JSON" + describeBody(resp) + "; is `url` the OpenHEXA API server?"}
	}
	if len(decoded.Errors) > 0 {
		first := decoded.Errors[0]
		if first.Extensions.Code == string(KindUnauthenticated) {
			return businessError(op, "UNAUTHENTICATED", "")
		}
		return &Error{Kind: KindGraphQL, Operation: op, Code: first.Extensions.Code,
			Message: "the server answered with an error: " + scrub(joinMessages(decoded.Errors), secrets, token)}
	}
	if len(decoded.Data) == 0 || string(decoded.Data) == "null" {
		return &Error{Kind: KindDecode, Operation: op, Message: "the server's answer has no data"}
	}
	if err := json.Unmarshal(decoded.Data, out); err != nil {
		return &Error{Kind: KindDecode, Operation: op, Message: "the server's answer does not have the expected shape: " + scrub(err.Error(), secrets, token)}
	}
	return nil
}

func describeBody(resp *http.Response) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		return " (content type " + strings.SplitN(ct, ";", 2)[0] + ")"
	}
	return ""
}

func joinMessages(errs []graphQLError) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		msg := e.Message
		if e.Extensions.Code != "" {
			msg += " [" + e.Extensions.Code + "]"
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}

func transportMessage(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	if isCertificateError(err) {
		return err.Error() + ". The server's TLS certificate is not trusted: give the CA that signed it with " +
			"`ca_cert_file`, or (for a test server only) turn verification off with `insecure = true` " +
			"(or HEXA_VERIFY_SSL=false)"
	}
	return err.Error()
}

// scrub removes every secret and the token, in every form a server may quote them
// (redact_forms.go), from a text that came from elsewhere (the server, the network
// stack), since they could echo what was sent.
func scrub(text string, secrets []string, token string) string {
	values := []string{token}
	for _, s := range secrets {
		values = append(values, secretParts(s)...)
	}
	return redactAll(text, values)
}

func isMutation(op string) bool {
	switch op {
	case OpCreateConnection, OpUpdateConnection, OpDeleteConnection:
		return true
	}
	return false
}

func (c *Client) log(ctx context.Context, op string, status, attempt int, started time.Time) {
	if c.logger == nil {
		return
	}
	c.logger.Debug(ctx, "OpenHEXA request", map[string]any{
		"operation":   op,
		"status":      status,
		"attempt":     attempt,
		"duration_ms": time.Since(started).Milliseconds(),
	})
}
