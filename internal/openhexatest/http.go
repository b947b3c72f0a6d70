package openhexatest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// maxBody bounds a request body.
const maxBody = 8 << 20

type graphqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rec := RecordedRequest{Time: time.Now(), Method: r.Method, Path: r.URL.Path}
	status := s.handle(w, r, &rec)
	if status == StatusDropped {
		return // recorded before the connection was closed
	}
	rec.Status = status
	s.log.add(rec)
}

// dropRecorded records the request, then closes the connection: a client that sees
// the drop must find the request in the log already.
func (s *Server) dropRecorded(w http.ResponseWriter, rec *RecordedRequest) int {
	rec.Status = StatusDropped
	s.log.add(*rec)
	return dropConnection(w)
}

// handle answers one request and returns the status it wrote; it fills in the
// parts of rec that it learns.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, rec *RecordedRequest) int {
	// The body is read before the delay: only then does net/http notice a
	// client that hangs up while it waits.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if d := time.Duration(s.latency.Load()); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return 499 // client gone; nothing is written
		}
	}

	if r.URL.Path != GraphQLPath && r.URL.Path != "/graphql" {
		http.NotFound(w, r)
		return http.StatusNotFound
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return http.StatusMethodNotAllowed
	}

	token := bearerToken(r.Header.Get("Authorization"))
	var p *principal
	s.store.mu.Lock()
	if u := s.store.userByToken(token); u != nil {
		p = &principal{userID: u.id, superuser: u.superuser}
		rec.Token = u.label
	} else if token != "" || r.Header.Get("Authorization") != "" {
		rec.Token = TokenLabelUnknown
	}
	s.store.mu.Unlock()

	if err != nil {
		return writeErrors(w, http.StatusBadRequest, "could not read the request body")
	}
	if len(body) > maxBody {
		return writeErrors(w, http.StatusRequestEntityTooLarge, "request body too large")
	}
	req, status, msg := parseRequest(body)
	if status == http.StatusBadRequest && msg == errNotJSON {
		// The real server answers a body that is not JSON with a bare JSON
		// string, not the usual {"errors": [...]}.
		return writeJSON(w, status, msg)
	}
	if status != 0 {
		return writeErrors(w, status, msg)
	}
	rec.OperationName = req.OperationName
	if rec.OperationName == "" {
		rec.OperationName = operationNameOf(req.Query)
	}
	if req.Variables != nil {
		rec.Variables, _ = redactValue(req.Variables).(map[string]any)
	}
	fault := s.takeFault(rec.OperationName)
	if status, done := applyFaultDelay(r, fault); done {
		return status
	}
	if fault.Before != nil {
		fault.Before()
	}
	if fault.Kind == FaultDropBeforeApply {
		return s.dropRecorded(w, rec)
	}
	if status, done := applyFaultBefore(w, fault); done {
		return status
	}

	// The document is parsed and validated against the schema first: a failure
	// is a request error, HTTP 400, as upstream. Variable values that do not fit
	// their declared types are coerced at execution upstream, so they are an
	// execution error instead: HTTP 200 with data null, worded as graphql-core
	// words them (coerce.go).
	errs := s.schema.ValidateWithVariables(req.Query, req.Variables)
	if len(errs) > 0 && !onlyVariableErrors(errs) {
		return writeJSON(w, http.StatusBadRequest, map[string]any{"errors": errs})
	}
	op := scanOperation(req.Query, req.OperationName)
	if op != nil {
		if coerced := coerceVariables(s.schema.AST(), op, req.Variables); len(coerced) > 0 {
			errs = coerced
		}
	}
	if len(errs) > 0 {
		return writeJSON(w, http.StatusOK, map[string]any{"data": nil, "errors": errs})
	}

	ctx := r.Context()
	if p != nil {
		ctx = withPrincipal(ctx, p)
	}
	resp := s.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	if fault.Kind == FaultDropAfterApply {
		return s.dropRecorded(w, rec)
	}

	// Variables being coerced above, an error that comes from no field is a
	// literal in the document that its type refuses (a malformed UUID written in
	// the query): graphql-core refuses that while validating, HTTP 400.
	if hasRequestError(resp.Errors) {
		return writeJSON(w, http.StatusBadRequest, map[string]any{"errors": resp.Errors})
	}
	// graphql-go gives a field's error its path only; graphql-core also gives
	// where the field is written.
	for _, e := range resp.Errors {
		if len(e.Locations) == 0 && len(e.Path) > 0 && op != nil {
			if key, ok := e.Path[0].(string); ok {
				if loc, found := op.roots[key]; found {
					e.Locations = []gqlerrors.Location{loc}
				}
			}
		}
	}
	data := resp.Data
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	out := struct {
		Data   json.RawMessage         `json:"data"`
		Errors []*gqlerrors.QueryError `json:"errors,omitempty"`
	}{data, resp.Errors}
	return writeJSON(w, http.StatusOK, out)
}

// errNotJSON is the real server's answer to a body that is not JSON.
const errNotJSON = "Request body is not a valid JSON"

// parseRequest decodes a request body as the real server (Ariadne) does; status
// is 0 when it is fine, else the HTTP status of the error msg.
func parseRequest(body []byte) (req graphqlRequest, status int, msg string) {
	if !json.Valid(body) {
		return req, http.StatusBadRequest, errNotJSON
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return req, http.StatusBadRequest, "Operation data should be a JSON object"
	}
	if json.Unmarshal(raw["query"], &req.Query) != nil || req.Query == "" {
		return req, http.StatusBadRequest, "The query must be a string."
	}
	if v, ok := raw["variables"]; ok && string(v) != "null" {
		if json.Unmarshal(v, &req.Variables) != nil || req.Variables == nil {
			return req, http.StatusBadRequest, "Query variables must be a null or an object."
		}
	}
	if v, ok := raw["operationName"]; ok && string(v) != "null" {
		if json.Unmarshal(v, &req.OperationName) != nil {
			var shown any
			_ = json.Unmarshal(v, &shown)
			return req, http.StatusBadRequest, fmt.Sprintf("\"%s\" is not a valid operation name.", pyInspect(shown, 0))
		}
	}
	return req, 0, ""
}

// onlyVariableErrors reports whether every validation error is about the value
// of a variable rather than about the document.
func onlyVariableErrors(errs []*gqlerrors.QueryError) bool {
	for _, e := range errs {
		if e.Rule != "VariablesOfCorrectType" {
			return false
		}
	}
	return true
}

// hasRequestError reports an error that did not come from a field resolver
// (variable or argument coercion).
func hasRequestError(errs []*gqlerrors.QueryError) bool {
	for _, e := range errs {
		if len(e.Path) == 0 && e.ResolverError == nil {
			return true
		}
	}
	return false
}

func writeErrors(w http.ResponseWriter, status int, msg string) int {
	return writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": msg}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error"}]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return status
}
