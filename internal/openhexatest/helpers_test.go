package openhexatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// gqlResponse is a decoded HTTP answer of the server.
type gqlResponse struct {
	Status int
	Body   map[string]any
	Raw    string
}

// Data returns the value at a dotted path under "data" ("workspace.connections"),
// list indexes written as numbers ("createConnection.errors.0").
func (r gqlResponse) Data(path string) any {
	v := r.Body["data"]
	if path == "" {
		return v
	}
	return dig(v, path)
}

func (r gqlResponse) Str(path string) string {
	s, _ := r.Data(path).(string)
	return s
}

func (r gqlResponse) Bool(path string) bool {
	b, _ := r.Data(path).(bool)
	return b
}

func (r gqlResponse) List(path string) []any {
	l, _ := r.Data(path).([]any)
	return l
}

// Errors returns the top-level errors.
func (r gqlResponse) Errors() []map[string]any {
	raw, _ := r.Body["errors"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, e := range raw {
		m, _ := e.(map[string]any)
		out = append(out, m)
	}
	return out
}

func dig(v any, path string) any {
	for key := range strings.SplitSeq(path, ".") {
		switch c := v.(type) {
		case map[string]any:
			v = c[key]
		case []any:
			i := 0
			for _, ch := range key {
				if ch < '0' || ch > '9' {
					return nil
				}
				i = i*10 + int(ch-'0')
			}
			if i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

// post sends a raw body with an Authorization header (none when auth is "").
func post(t *testing.T, url, auth, body string) gqlResponse {
	t.Helper()
	r, err := tryPost(url, auth, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tryPost is post for goroutines other than the test's.
func tryPost(url, auth, body string) (gqlResponse, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return gqlResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return gqlResponse{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return gqlResponse{}, err
	}
	out := gqlResponse{Status: res.StatusCode, Raw: string(b)}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return out, fmt.Errorf("response is not JSON (%d): %s", res.StatusCode, b)
	}
	out.Body, _ = v.(map[string]any) // nil for another JSON value (the bare string of a 400)
	return out, nil
}

// tryGQL sends a GraphQL request from any goroutine.
func tryGQL(s *Server, token, query string, vars map[string]any) (gqlResponse, error) {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return gqlResponse{}, err
	}
	auth := ""
	if token != "" {
		auth = "Bearer " + token
	}
	return tryPost(s.GraphQLURL(), auth, string(b))
}

// gql sends a GraphQL request with a bearer token (none when token is "").
func gql(t *testing.T, s *Server, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return gqlOp(t, s, token, "", query, vars)
}

func gqlOp(t *testing.T, s *Server, token, opName, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body := map[string]any{"query": query}
	if vars != nil {
		body["variables"] = vars
	}
	if opName != "" {
		body["operationName"] = opName
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		t.Fatal(err)
	}
	auth := ""
	if token != "" {
		auth = "Bearer " + token
	}
	return post(t, s.GraphQLURL(), auth, buf.String())
}

// ok fails the test unless the answer is HTTP 200 without errors.
func ok(t *testing.T, r gqlResponse) gqlResponse {
	t.Helper()
	if r.Status != http.StatusOK || len(r.Errors()) > 0 {
		t.Fatalf("want HTTP 200 without errors, got %d: %s", r.Status, r.Raw)
	}
	return r
}

const connectionSelection = `
	id name slug description createdAt updatedAt type __typename
	user { id email displayName }
	fields { code value secret createdAt updatedAt }
	permissions { update delete }`

var createMutation = `mutation Create($input: CreateConnectionInput!) {
	createConnection(input: $input) { success errors connection {` + connectionSelection + `} }
}`

var updateMutation = `mutation Update($input: UpdateConnectionInput!) {
	updateConnection(input: $input) { success errors connection {` + connectionSelection + `} }
}`

const deleteMutation = `mutation Delete($input: DeleteConnectionInput!) {
	deleteConnection(input: $input) { success errors }
}`

const testMutation = `mutation Test($input: TestConnectionInput!) {
	testConnection(input: $input) { success errors }
}`

var connectionQuery = `query Conn($id: UUID!) { connection(id: $id) {` + connectionSelection + `} }`

var connectionBySlugQuery = `query ConnBySlug($ws: String!, $slug: String!) {
	connectionBySlug(workspaceSlug: $ws, connectionSlug: $slug) {` + connectionSelection + `}
}`

var workspaceQuery = `query Ws($slug: String!) { workspace(slug: $slug) {
	slug name description
	permissions { createConnection update manageMembers }
	currentMembership { id role }
	connections {` + connectionSelection + `}
} }`

// fieldsIn builds a ConnectionFieldInput list: triples of code, value (nil for
// null) and secret.
func fieldsIn(triples ...any) []any {
	var out []any
	for i := 0; i+2 < len(triples); i += 3 {
		out = append(out, map[string]any{"code": triples[i], "value": triples[i+1], "secret": triples[i+2]})
	}
	if out == nil {
		out = []any{}
	}
	return out
}

// create creates a connection through the API and returns the answer.
func create(t *testing.T, s *Server, token string, input map[string]any) gqlResponse {
	t.Helper()
	if _, ok := input["workspaceSlug"]; !ok {
		input["workspaceSlug"] = WorkspaceMain
	}
	if _, ok := input["type"]; !ok {
		input["type"] = TypeCustom
	}
	return gql(t, s, token, createMutation, map[string]any{"input": input})
}

// mustCreate creates a connection as the admin and returns its id.
func mustCreate(t *testing.T, s *Server, input map[string]any) (id, slug string) {
	t.Helper()
	r := ok(t, create(t, s, TokenAdmin, input))
	if !r.Bool("createConnection.success") {
		t.Fatalf("create failed: %s", r.Raw)
	}
	return r.Str("createConnection.connection.id"), r.Str("createConnection.connection.slug")
}

// fieldMap returns code → value (nil for null) of the fields of a connection.
func fieldMap(t *testing.T, conn any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, f := range as[[]any](t, dig(conn, "fields")) {
		m := as[map[string]any](t, f)
		out[as[string](t, m["code"])] = m["value"]
	}
	return out
}

func fieldCodes(t *testing.T, conn any) []string {
	t.Helper()
	var out []string
	for _, f := range as[[]any](t, dig(conn, "fields")) {
		out = append(out, as[string](t, dig(f, "code")))
	}
	return out
}

// as returns v as a T, failing the test when it is something else.
func as[T any](t *testing.T, v any) T {
	t.Helper()
	x, isT := v.(T)
	if !isT {
		t.Fatalf("%v is a %T, not a %T", v, v, x)
	}
	return x
}
