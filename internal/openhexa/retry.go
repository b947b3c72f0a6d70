package openhexa

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry defaults. Four retries with full jitter between 0.5 s and 30 s ride out a
// rolling restart of the API or a short burst of rate limiting.
const (
	DefaultMaxRetries   = 4
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	// MaxRetryAfter caps the wait a server may ask for with Retry-After: beyond
	// it the client gives up rather than sleeping through a run.
	MaxRetryAfter = 2 * time.Minute
)

type retryPolicy struct {
	max      int
	min, cap time.Duration
	// sleep waits d or until ctx ends; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a duration in [0, d]; replaced in tests.
	jitter func(d time.Duration) time.Duration
}

func newRetryPolicy(cfg Config) retryPolicy {
	p := retryPolicy{max: cfg.MaxRetries, min: cfg.RetryWaitMin, cap: cfg.RetryWaitMax, sleep: sleepCtx, jitter: fullJitter}
	switch {
	case p.max == 0:
		p.max = DefaultMaxRetries
	case p.max < 0:
		p.max = 0
	}
	if p.min <= 0 {
		p.min = DefaultRetryWaitMin
	}
	if p.cap <= 0 {
		p.cap = DefaultRetryWaitMax
	}
	if p.cap < p.min {
		p.cap = p.min
	}
	return p
}

// backoff is the exponential backoff with full jitter before retry number n (1-based).
func (p retryPolicy) backoff(n int) time.Duration {
	ceiling := p.min
	for i := 1; i < n && ceiling < p.cap; i++ {
		ceiling *= 2
	}
	if ceiling > p.cap {
		ceiling = p.cap
	}
	return p.jitter(ceiling)
}

func fullJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryHint is what one attempt tells the retry loop.
type retryHint struct {
	status     int           // HTTP status of an answer that was an error, 0 without answer
	retryAfter time.Duration // the server's Retry-After, 0 when absent
	transport  bool          // no (complete) answer
	notSent    bool          // the request certainly never reached the server
	permanent  bool          // a transport failure that retrying cannot cure
}

// opClass says how safe an operation is to send again.
type opClass int

const (
	// classIdempotent: reads and testConnection, which change nothing.
	classIdempotent opClass = iota
	// classDelete: sending it twice is harmless, since NOT_FOUND means done.
	classDelete
	// classMutation: create and update, which may be applied twice.
	classMutation
)

func classOf(op string) opClass {
	switch op {
	case OpCreateConnection, OpUpdateConnection:
		return classMutation
	case OpDeleteConnection:
		return classDelete
	}
	return classIdempotent
}

// retryable says whether a failed attempt may be sent again. Reads are sent again on
// a network failure, 429, 500, 502, 503 and 504; a delete likewise except on 500,
// after which deleteReconciled looks first. Create and update are
// sent again only when the server certainly did not apply them: a 429 (refused
// before any work) or a request that never left the client. After a dropped
// connection or a 5xx they may have been applied: the caller decides.
func retryable(class opClass, h retryHint) bool {
	if h.permanent {
		return false
	}
	if class == classMutation {
		return h.status == http.StatusTooManyRequests || (h.transport && h.notSent)
	}
	if h.transport {
		return true
	}
	// A read that a server error interrupted is read again: a failed read now fails
	// the whole refresh (it is never taken as an absence), so it is worth a retry.
	if class == classIdempotent && h.status == http.StatusInternalServerError {
		return true
	}
	switch h.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// send runs the attempts of one operation.
func (c *Client) send(ctx context.Context, op string, req *http.Request, secrets []string, out any) error {
	class := classOf(op)
	for n := 1; ; n++ {
		try := req.Clone(ctx)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return &Error{Kind: KindTransport, Operation: op, Message: "could not build the request", Err: err}
			}
			try.Body = body
		}
		hint, err := c.attempt(ctx, op, try, n, secrets, out)
		if err == nil {
			return nil
		}
		if n > c.retry.max || !retryable(class, hint) {
			return withAttempts(err, n)
		}
		wait := c.retry.backoff(n)
		if hint.retryAfter > 0 {
			wait = hint.retryAfter
		}
		if wait > MaxRetryAfter {
			return withAttempts(err, n)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return withAttempts(err, n)
		}
		if c.logger != nil {
			c.logger.Debug(ctx, "OpenHEXA request retried", map[string]any{
				"operation": op, "attempt": n, "status": hint.status, "wait_ms": wait.Milliseconds(),
			})
		}
		if c.retry.sleep(ctx, wait) != nil {
			return withAttempts(err, n)
		}
	}
}

// withAttempts notes in the error's text how many attempts were made, when more than one.
func withAttempts(err error, attempts int) error {
	var apiErr *Error
	if attempts > 1 && errors.As(err, &apiErr) {
		apiErr.Message += fmt.Sprintf(" (gave up after %d attempts)", attempts)
	}
	return err
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(MaxRetryAfter/time.Second)+1 {
			return MaxRetryAfter + time.Second
		}
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(value); err == nil {
		if d := at.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// neverSent reports a transport failure that happened before the request could
// reach the server: no connection, no name, no TLS session.
func neverSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	return isCertificateError(err) || isTLSHandshakeError(err)
}

// permanentTransport reports a failure that another attempt cannot cure: an
// untrusted certificate, or the caller giving up.
func permanentTransport(ctx context.Context, err error) bool {
	return ctx.Err() != nil || isCertificateError(err) || isTLSHandshakeError(err)
}

func isCertificateError(err error) bool {
	var verifyErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verifyErr) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid)
}

func isTLSHandshakeError(err error) bool {
	var recordErr tls.RecordHeaderError
	var alert tls.AlertError
	return errors.As(err, &recordErr) || errors.As(err, &alert)
}
