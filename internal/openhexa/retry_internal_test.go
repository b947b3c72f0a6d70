package openhexa

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recordingLogger keeps every line the client logs.
type recordingLogger struct {
	mu    sync.Mutex
	lines []map[string]any
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	copied := map[string]any{"msg": msg}
	for k, v := range fields {
		copied[k] = v
	}
	l.lines = append(l.lines, copied)
}

// flaky answers each request with the next status of the script, then with a
// valid `me` answer.
func flaky(t *testing.T, script []int, header http.Header) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(script) {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(script[i])
			_, _ = w.Write([]byte("busy"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"me":{"user":{"id":"u","email":"e","displayName":"d"},"permissions":{"superUser":false}},` +
			`"workspace":null,"connection":null,"connectionBySlug":null,` +
			`"deleteConnection":{"success":true,"errors":[]},"testConnection":{"success":true,"errors":null}}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// fakeSleeps makes the client record its waits instead of sleeping.
func fakeSleeps(c *Client) *[]time.Duration {
	var waits []time.Duration
	c.retry.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return &waits
}

func newTestClient(t *testing.T, url string, cfg Config) *Client {
	t.Helper()
	cfg.URL, cfg.Token = url, "tok-secret-value"
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRetryReadsOnRetryableStatuses(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		srv, n := flaky(t, []int{status, status, status}, nil)
		c := newTestClient(t, srv.URL, Config{})
		waits := fakeSleeps(c)
		me, err := c.Me(context.Background())
		if err != nil || me.User == nil {
			t.Fatalf("status %d: Me = %v, %v; want success after retries", status, me, err)
		}
		if n.Load() != 4 || len(*waits) != 3 {
			t.Fatalf("status %d: %d requests, %d waits; want 4 and 3", status, n.Load(), len(*waits))
		}
	}
}

func TestRetryReadsStopAtMaxRetries(t *testing.T) {
	srv, n := flaky(t, []int{503, 503, 503, 503, 503, 503}, nil)
	c := newTestClient(t, srv.URL, Config{MaxRetries: 2})
	fakeSleeps(c)
	_, err := c.Workspace(context.Background(), "ws")
	if !IsKind(err, KindHTTP) || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "3 attempts") {
		t.Fatalf("err = %v; want an HTTP 503 error after 3 attempts", err)
	}
	if n.Load() != 3 {
		t.Fatalf("%d requests; want 3", n.Load())
	}
}

func TestRetryDisabledWithNegativeMaxRetries(t *testing.T) {
	srv, n := flaky(t, []int{503}, nil)
	c := newTestClient(t, srv.URL, Config{MaxRetries: -1})
	fakeSleeps(c)
	if _, err := c.Me(context.Background()); err == nil || n.Load() != 1 {
		t.Fatalf("err = %v after %d requests; want a failure after 1", err, n.Load())
	}
}

func TestRetryReadsHonourRetryAfterSeconds(t *testing.T) {
	srv, _ := flaky(t, []int{429}, http.Header{"Retry-After": {"7"}})
	c := newTestClient(t, srv.URL, Config{})
	waits := fakeSleeps(c)
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 1 || (*waits)[0] != 7*time.Second {
		t.Fatalf("waits = %v; want [7s]", *waits)
	}
}

func TestRetryReadsHonourRetryAfterHTTPDate(t *testing.T) {
	at := time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat)
	srv, _ := flaky(t, []int{503}, http.Header{"Retry-After": {at}})
	c := newTestClient(t, srv.URL, Config{})
	waits := fakeSleeps(c)
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 1 || (*waits)[0] < 15*time.Second || (*waits)[0] > 21*time.Second {
		t.Fatalf("waits = %v; want about 20s", *waits)
	}
}

func TestRetryGivesUpWhenRetryAfterExceedsDeadline(t *testing.T) {
	srv, n := flaky(t, []int{429, 429}, http.Header{"Retry-After": {"60"}})
	c := newTestClient(t, srv.URL, Config{})
	fakeSleeps(c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Me(ctx); err == nil || n.Load() != 1 {
		t.Fatalf("err = %v after %d requests; want an immediate failure", err, n.Load())
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	srv, n := flaky(t, []int{503, 503, 503}, nil)
	c := newTestClient(t, srv.URL, Config{RetryWaitMin: time.Hour, RetryWaitMax: time.Hour})
	c.retry.jitter = func(d time.Duration) time.Duration { return d }
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	started := time.Now()
	if _, err := c.Me(ctx); err == nil {
		t.Fatal("want an error")
	}
	if time.Since(started) > 10*time.Second || n.Load() != 1 {
		t.Fatalf("took %s and %d requests; want a prompt stop after 1", time.Since(started), n.Load())
	}
}

func TestRetryBackoffIsExponentialWithFullJitter(t *testing.T) {
	p := newRetryPolicy(Config{RetryWaitMin: time.Second, RetryWaitMax: 10 * time.Second})
	p.jitter = func(d time.Duration) time.Duration { return d }
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := p.backoff(i + 1); got != w {
			t.Fatalf("ceiling of retry %d = %s; want %s", i+1, got, w)
		}
	}
	for i := 0; i < 1000; i++ {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %s", d)
		}
	}
}

func TestRetryParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		" 0 ":                           0,
		"-5":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 00:00:30 GMT": 30 * time.Second,
		"Wed, 31 Dec 2025 23:00:00 GMT": 0,
		"99999999999999":                MaxRetryAfter + time.Second,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s; want %s", in, got, want)
		}
	}
}

func TestRetryMutationsNotRetriedOnServerErrors(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		srv, n := flaky(t, []int{status, status}, nil)
		c := newTestClient(t, srv.URL, Config{})
		fakeSleeps(c)
		_, err := c.CreateConnection(context.Background(), CreateConnectionInput{WorkspaceSlug: "ws", Name: "n", Type: TypeCustom})
		var apiErr *Error
		if !errors.As(err, &apiErr) || !apiErr.Ambiguous {
			t.Fatalf("status %d: err = %#v; want an ambiguous error", status, err)
		}
		if n.Load() != 1 {
			t.Fatalf("status %d: create sent %d times; want once", status, n.Load())
		}
		_, err = c.UpdateConnection(context.Background(), UpdateConnectionInput{ID: "x"})
		if !errors.As(err, &apiErr) || !apiErr.Ambiguous || n.Load() != 2 {
			t.Fatalf("status %d: update err = %v after %d requests; want ambiguous, sent once", status, err, n.Load())
		}
	}
}

func TestRetryMutationsRetriedOn429(t *testing.T) {
	srv, n := flaky(t, []int{429}, http.Header{"Retry-After": {"1"}})
	c := newTestClient(t, srv.URL, Config{})
	fakeSleeps(c)
	err := c.DeleteConnection(context.Background(), "x")
	if err != nil || n.Load() != 2 {
		t.Fatalf("err = %v after %d requests; want success after a retry", err, n.Load())
	}
}

func TestRetryDeleteAndTestConnectionRetriedOn503(t *testing.T) {
	srv, n := flaky(t, []int{503, 503}, nil)
	c := newTestClient(t, srv.URL, Config{})
	fakeSleeps(c)
	if err := c.DeleteConnection(context.Background(), "x"); err != nil || n.Load() != 3 {
		t.Fatalf("delete: err = %v after %d requests", err, n.Load())
	}
	srv, n = flaky(t, []int{502, 504}, nil)
	c = newTestClient(t, srv.URL, Config{})
	fakeSleeps(c)
	if ok, _, err := c.TestConnection(context.Background(), TestConnectionInput{}); err != nil || !ok || n.Load() != 3 {
		t.Fatalf("testConnection: ok=%v err=%v after %d requests", ok, err, n.Load())
	}
}

func TestRetryMutationRetriedWhenNeverSent(t *testing.T) {
	// A port nobody listens on: the dial fails, so the create never left.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := newTestClient(t, url, Config{MaxRetries: 2})
	waits := fakeSleeps(c)
	_, err := c.CreateConnection(context.Background(), CreateConnectionInput{WorkspaceSlug: "ws", Name: "n", Type: TypeCustom})
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Kind != KindTransport || apiErr.Ambiguous {
		t.Fatalf("err = %#v; want a transport error that is not ambiguous", err)
	}
	if len(*waits) != 2 {
		t.Fatalf("%d retries; want 2", len(*waits))
	}
}

func TestLeakLoggerGetsNoBodiesNorHeaderValues(t *testing.T) {
	srv, _ := flaky(t, []int{503, 503}, nil)
	log := &recordingLogger{}
	c := newTestClient(t, srv.URL, Config{Logger: log, UserAgent: "ua-marker"})
	fakeSleeps(c)
	secret := "LEAKMARKER-client-1"
	v := secret
	_, _ = c.CreateConnection(context.Background(), CreateConnectionInput{
		WorkspaceSlug: "ws", Name: "n", Type: TypeCustom, Fields: []FieldInput{{Code: "k", Value: &v, Secret: true}},
	})
	_, _ = c.Me(context.Background())
	if len(log.lines) < 3 {
		t.Fatalf("logged %d lines; want at least 3", len(log.lines))
	}
	sawAttempt2 := false
	for _, line := range log.lines {
		for k, val := range line {
			s, _ := val.(string)
			for _, bad := range []string{secret, "tok-secret-value", "ua-marker", "busy", "Bearer"} {
				if strings.Contains(s, bad) {
					t.Fatalf("log field %s=%q holds %q", k, s, bad)
				}
			}
		}
		if line["msg"] == "OpenHEXA request" {
			for _, k := range []string{"operation", "status", "attempt", "duration_ms"} {
				if _, ok := line[k]; !ok {
					t.Fatalf("log line %v lacks %s", line, k)
				}
			}
			if line["attempt"] == 2 {
				sawAttempt2 = true
			}
		}
	}
	if !sawAttempt2 {
		t.Fatalf("no line for attempt 2 in %v", log.lines)
	}
}
