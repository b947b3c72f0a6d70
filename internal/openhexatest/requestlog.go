package openhexatest

import (
	"sync"
	"time"
)

// Redacted replaces the value of every secret field input in the request log.
const Redacted = "<redacted>"

// Token labels of the request log for a request without a token and for a token
// the server does not know.
const (
	TokenLabelNone    = ""
	TokenLabelUnknown = "unknown"
)

// RecordedRequest is one request as the server saw it. It never holds a token
// value nor the value of a secret field.
type RecordedRequest struct {
	Time   time.Time
	Method string
	Path   string
	// OperationName is the operationName of the body or, when absent, the name of
	// the (first) operation of the document; "" for an anonymous operation.
	OperationName string
	// Variables is a deep copy of the request variables in which the value of
	// every object holding secret: true is replaced by Redacted.
	Variables map[string]any
	Status    int
	// Token names the caller: "admin", "editor", "viewer", "outsider",
	// "superuser" for the seeded tokens, the user's email for a token of AddUser,
	// TokenLabelUnknown for an unknown token, TokenLabelNone without one.
	Token string
}

type requestLog struct {
	mu   sync.Mutex
	reqs []RecordedRequest
}

func (l *requestLog) add(r RecordedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// Requests returns every request received since the start or the last
// ResetRequests, oldest first.
func (s *Server) Requests() []RecordedRequest {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	out := make([]RecordedRequest, len(s.log.reqs))
	for i, r := range s.log.reqs {
		r.Variables, _ = redactValue(r.Variables).(map[string]any)
		out[i] = r
	}
	return out
}

// RequestCount returns how many requests had this operation name.
func (s *Server) RequestCount(operationName string) int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	n := 0
	for _, r := range s.log.reqs {
		if r.OperationName == operationName {
			n++
		}
	}
	return n
}

// TotalRequests returns how many requests the server received.
func (s *Server) TotalRequests() int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return len(s.log.reqs)
}

// ResetRequests forgets every recorded request.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.reqs = nil
}

// redactValue deep-copies a decoded JSON value, replacing the value of every
// object that has "secret": true (a ConnectionFieldInput) by Redacted.
func redactValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return map[string]any(nil)
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = redactValue(e)
		}
		if secret, _ := v["secret"].(bool); secret {
			if val, ok := v["value"]; ok && val != nil {
				out["value"] = Redacted
			}
		}
		return out
	case []any:
		if v == nil {
			return []any(nil)
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = redactValue(e)
		}
		return out
	default:
		return v
	}
}

// operationNameOf returns the name of the first operation defined in a GraphQL
// document, or "" when it is anonymous or cannot be found. It skips comments,
// strings and everything inside braces or parentheses.
func operationNameOf(doc string) string {
	depth := 0
	i := 0
	next := func() string { // next identifier at depth 0, "" at the end
		for i < len(doc) {
			c := doc[i]
			switch {
			case c == '#':
				for i < len(doc) && doc[i] != '\n' && doc[i] != '\r' {
					i++
				}
			case c == '"':
				if len(doc) >= i+3 && doc[i:i+3] == `"""` {
					i += 3
					for i < len(doc) && (len(doc) < i+3 || doc[i:i+3] != `"""`) {
						if doc[i] == '\\' {
							i++
						}
						i++
					}
					i += 3
				} else {
					i++
					for i < len(doc) && doc[i] != '"' && doc[i] != '\n' {
						if doc[i] == '\\' {
							i++
						}
						i++
					}
					i++
				}
			case c == '{' || c == '(' || c == '[':
				depth++
				i++
				if depth == 1 && c == '{' {
					return "{"
				}
			case c == '}' || c == ')' || c == ']':
				depth--
				i++
			case isNameStart(c):
				start := i
				for i < len(doc) && isNameChar(doc[i]) {
					i++
				}
				if depth == 0 {
					return doc[start:i]
				}
			default:
				i++
			}
		}
		return ""
	}
	for {
		tok := next()
		switch tok {
		case "":
			return ""
		case "{":
			return "" // anonymous query shorthand
		case "query", "mutation", "subscription":
			name := next()
			if name == "{" {
				return ""
			}
			return name
		case "fragment":
			// Skip "Name on Type" up to the selection set, whose content the
			// depth tracking skips.
			for tok := next(); tok != "{"; tok = next() {
				if tok == "" {
					return ""
				}
			}
		}
	}
}

func isNameStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isNameChar(c byte) bool { return isNameStart(c) || ('0' <= c && c <= '9') }
