package openhexatest

import (
	"math/rand"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultKind is a way for the server to misbehave.
type FaultKind int

// The faults the server can inject.
const (
	// FaultNone injects nothing.
	FaultNone FaultKind = iota
	// Fault429 answers HTTP 429 with Retry-After (Fault.RetryAfter, whole seconds
	// rounded up; 1 s when zero), before anything is applied.
	Fault429
	// Fault500 answers HTTP 500 before anything is applied.
	Fault500
	// Fault502 answers HTTP 502 with an HTML page, as a proxy does, before anything is applied.
	Fault502
	// Fault503 answers HTTP 503 before anything is applied (with Retry-After when
	// Fault.RetryAfter is set).
	Fault503
	// FaultDelay waits Fault.Delay, then handles the request normally.
	FaultDelay
	// FaultDropBeforeApply closes the connection without an answer; nothing is applied.
	FaultDropBeforeApply
	// FaultDropAfterApply handles the request (a mutation is applied), then closes
	// the connection without an answer.
	FaultDropAfterApply
	// FaultGraphQLError answers HTTP 200 with data null and a top-level GraphQL
	// error, before anything is applied.
	FaultGraphQLError
)

// StatusDropped is the status recorded for a request whose connection was closed
// without an answer.
const StatusDropped = 0

// InjectedErrorMessage is the message of the top-level error of FaultGraphQLError.
const InjectedErrorMessage = "injected fault: internal server error"

// Fault describes what to do to the next Times requests of an operation.
type Fault struct {
	Kind FaultKind
	// Times is how many requests the fault hits; 0 means 1, a negative value every request.
	Times      int
	Delay      time.Duration
	RetryAfter time.Duration
	// Message replaces InjectedErrorMessage for FaultGraphQLError (to test that a
	// client does not repeat what a server echoes).
	Message string
	// Before, when set, runs just before the request is handled, dropped or refused
	// (after any delay), so that a test can change the store out of band at that
	// exact moment: another client taking a slug between two requests of the provider.
	Before func()
}

type faults struct {
	mu      sync.Mutex
	pending map[string][]*Fault // by operation name, in order of injection
	rate    float64
	rng     *rand.Rand
}

// InjectFault makes the next requests of operation (an operation name such as
// "CreateConnection", or "" for any operation) fail as f says. Faults injected
// for the same operation apply one after the other.
func (s *Server) InjectFault(operation string, f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.pending == nil {
		s.faults.pending = map[string][]*Fault{}
	}
	s.faults.pending[operation] = append(s.faults.pending[operation], &f)
}

// ClearFaults removes every injected fault and turns random failures off.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.pending = nil
	s.faults.rate = 0
	s.faults.rng = nil
}

// SetRandomFailures makes a share rate (0–1) of later requests fail, before
// anything is applied, with 503 or 429 (Retry-After: 1), drawn from a generator
// seeded with seed so that a run can be repeated. A rate of 0 turns it off.
func (s *Server) SetRandomFailures(rate float64, seed int64) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rate = rate
	s.faults.rng = rand.New(rand.NewSource(seed))
}

// takeFault returns the fault to apply to this request, if any.
func (s *Server) takeFault(operation string) Fault {
	fs := &s.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, key := range []string{operation, ""} {
		queue := fs.pending[key]
		if len(queue) == 0 {
			continue
		}
		f := *queue[0]
		if queue[0].Times > 0 {
			queue[0].Times--
			if queue[0].Times == 0 {
				fs.pending[key] = queue[1:]
			}
		}
		return f
	}
	if fs.rate > 0 && fs.rng != nil && fs.rng.Float64() < fs.rate {
		if fs.rng.Intn(2) == 0 {
			return Fault{Kind: Fault503}
		}
		return Fault{Kind: Fault429, RetryAfter: time.Second}
	}
	return Fault{}
}

// applyFaultDelay waits f.Delay for FaultDelay; it returns true (and the status
// recorded) when the client hung up meanwhile.
func applyFaultDelay(r *http.Request, f Fault) (int, bool) {
	if f.Kind != FaultDelay {
		return 0, false
	}
	t := time.NewTimer(f.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return 0, false
	case <-r.Context().Done():
		return 499, true
	}
}

// applyFaultBefore applies the part of f that comes before the request is
// handled, after any delay and Fault.Before. It returns the status written and true
// when the request ends there.
func applyFaultBefore(w http.ResponseWriter, f Fault) (int, bool) {
	switch f.Kind {
	case Fault429:
		w.Header().Set("Retry-After", retryAfterSeconds(f.RetryAfter, 1))
		return writeErrors(w, http.StatusTooManyRequests, "too many requests"), true
	case Fault500:
		return writeErrors(w, http.StatusInternalServerError, "internal server error"), true
	case Fault502:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n"))
		return http.StatusBadGateway, true
	case Fault503:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", retryAfterSeconds(f.RetryAfter, 0))
		}
		return writeErrors(w, http.StatusServiceUnavailable, "service unavailable"), true
	case FaultGraphQLError:
		msg := f.Message
		if msg == "" {
			msg = InjectedErrorMessage
		}
		return writeJSON(w, http.StatusOK, map[string]any{
			"data":   nil,
			"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": "INTERNAL_SERVER_ERROR"}}},
		}), true
	}
	return 0, false
}

func retryAfterSeconds(d time.Duration, fallback int) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs <= 0 {
		secs = fallback
	}
	return strconv.Itoa(secs)
}

// dropConnection closes the client's connection without writing an answer.
func dropConnection(w http.ResponseWriter) int {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 cannot be hijacked: abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
	return StatusDropped
}
