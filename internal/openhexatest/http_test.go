package openhexatest

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUnauthenticatedShape(t *testing.T) {
	s := Start(t)
	for _, tc := range []struct {
		name, auth, query, field string
	}{
		{"no token workspace", "", `{ workspace(slug: "malaria-surveillance") { slug } }`, "workspace"},
		{"bad token workspace", "Bearer nope", `{ workspace(slug: "malaria-surveillance") { slug } }`, "workspace"},
		{"bad token connection", "Bearer nope", `{ connection(id: "5e0d0000-0000-4000-8000-000000000001") { id } }`, "connection"},
		{"bad token connectionBySlug", "Bearer nope", `{ connectionBySlug(workspaceSlug: "a", connectionSlug: "b") { id } }`, "connectionBySlug"},
		{"two spaces", "Bearer  " + TokenAdmin, `{ workspace(slug: "malaria-surveillance") { slug } }`, "workspace"},
		{"other scheme", "Token " + TokenAdmin, `{ workspace(slug: "malaria-surveillance") { slug } }`, "workspace"},
		{"no scheme", TokenAdmin, `{ workspace(slug: "malaria-surveillance") { slug } }`, "workspace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, s.GraphQLURL(), tc.auth, `{"query":`+jsonString(tc.query)+`}`)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", r.Status, r.Raw)
			}
			data, isMap := r.Body["data"].(map[string]any)
			if !isMap {
				t.Fatalf("data = %v, want an object: %s", r.Body["data"], r.Raw)
			}
			if v, present := data[tc.field]; !present || v != nil {
				t.Fatalf("data.%s = %v (present %v), want null", tc.field, v, present)
			}
			checkUnauthenticated(t, r)
		})
	}
}

func checkUnauthenticated(t *testing.T, r gqlResponse) {
	t.Helper()
	errs := r.Errors()
	if len(errs) != 1 {
		t.Fatalf("want one error, got %s", r.Raw)
	}
	if errs[0]["message"] != "Resolver requires an authenticated user" {
		t.Errorf("message = %v", errs[0]["message"])
	}
	ext, _ := errs[0]["extensions"].(map[string]any)
	if ext["code"] != "UNAUTHENTICATED" {
		t.Errorf("extensions = %v, want code UNAUTHENTICATED", errs[0]["extensions"])
	}
}

func TestUnauthenticatedMutation(t *testing.T) {
	s := Start(t)
	for _, tc := range []struct {
		query string
		vars  map[string]any
	}{
		{createMutation, map[string]any{"input": map[string]any{"workspaceSlug": WorkspaceMain, "name": "x", "type": "CUSTOM"}}},
		{updateMutation, map[string]any{"input": map[string]any{"id": "5e0d0000-0000-4000-8000-000000000001"}}},
		{deleteMutation, map[string]any{"input": map[string]any{"id": "5e0d0000-0000-4000-8000-000000000001"}}},
		{testMutation, map[string]any{"input": map[string]any{"workspaceSlug": WorkspaceMain, "type": "S3", "fields": []any{}}}},
	} {
		r := gql(t, s, "bad-token", tc.query, tc.vars)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Raw)
		}
		// The mutation fields are non-null: the null propagates to data.
		if d, present := r.Body["data"]; !present || d != nil {
			t.Errorf("data = %v, want null: %s", d, r.Raw)
		}
		checkUnauthenticated(t, r)
	}
	if n := len(s.AllConnections()); n != 0 {
		t.Fatalf("unauthenticated create wrote %d connections", n)
	}
}

func TestMeShapes(t *testing.T) {
	s := Start(t)
	const q = `{ me { user { id email displayName } permissions { superUser } } }`
	for _, auth := range []string{"", "Bearer not-a-token", "Basic abc"} {
		r := post(t, s.GraphQLURL(), auth, `{"query":`+jsonString(q)+`}`)
		ok(t, r)
		if me, _ := r.Data("me").(map[string]any); me == nil || me["user"] != nil {
			t.Errorf("auth %q: me = %v, want user null", auth, r.Data("me"))
		}
		if r.Bool("me.permissions.superUser") {
			t.Errorf("auth %q: superUser true", auth)
		}
	}
	for _, tc := range []struct {
		auth, email string
		super       bool
	}{
		{"Bearer " + TokenAdmin, EmailAdmin, false},
		{"bearer " + TokenEditor, EmailEditor, false},
		{"BEARER " + TokenViewer, EmailViewer, false},
		{"BeArEr " + TokenSuperuser, EmailSuperuser, true},
	} {
		r := ok(t, post(t, s.GraphQLURL(), tc.auth, `{"query":`+jsonString(q)+`}`))
		if got := r.Str("me.user.email"); got != tc.email {
			t.Errorf("%s: email %q, want %q", tc.auth, got, tc.email)
		}
		if r.Str("me.user.id") == "" || r.Str("me.user.displayName") == "" {
			t.Errorf("%s: missing id or displayName: %s", tc.auth, r.Raw)
		}
		if r.Bool("me.permissions.superUser") != tc.super {
			t.Errorf("%s: superUser = %v", tc.auth, !tc.super)
		}
	}
}

func TestValidationErrorsAre400(t *testing.T) {
	s := Start(t)
	for name, q := range map[string]string{
		"unknown field":        `{ me { user { id nickname } } }`,
		"unknown root field":   `{ workspaces { slug } }`,
		"wrong argument":       `{ workspace(name: "x") { slug } }`,
		"missing argument":     `{ workspace { slug } }`,
		"wrong argument type":  `{ workspace(slug: 3) { slug } }`,
		"syntax error":         `{ me { user { id }`,
		"unknown input field":  `mutation { deleteConnection(input: {id: "x", force: true}) { success } }`,
		"selection on scalar":  `{ me { user { id { x } } } }`,
		"undeclared variable":  `query Q { workspace(slug: $slug) { slug } }`,
		"unknown type in vars": `query Q($x: Nope) { me { user { id } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			r := gql(t, s, TokenAdmin, q, nil)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.Status, r.Raw)
			}
			if len(r.Errors()) == 0 {
				t.Fatalf("no errors: %s", r.Raw)
			}
			if _, present := r.Body["data"]; present {
				t.Errorf("data present in a 400: %s", r.Raw)
			}
		})
	}
}

// Rule: a body that is not JSON is answered HTTP 400 with a bare JSON string;
// JSON that is not a GraphQL request gets the usual {"errors": [...]}.
func TestMalformedBodyIs400(t *testing.T) {
	s := Start(t)
	for _, body := range []string{`{"query": `, `not json`, `{"query": "{ me { user { id } } }"} {}`, ``} {
		r := post(t, s.GraphQLURL(), "Bearer "+TokenAdmin, body)
		if r.Status != http.StatusBadRequest || r.Raw != `"Request body is not a valid JSON"` {
			t.Errorf("body %q: %d %s, want 400 and a bare JSON string", body, r.Status, r.Raw)
		}
	}
	for body, want := range map[string]string{
		`[]`:           "Operation data should be a JSON object",
		`"query"`:      "Operation data should be a JSON object",
		`{}`:           "The query must be a string.",
		`{"query": 3}`: "The query must be a string.",
		`{"query": "{ me { user { id } } }", "variables": []}`:        "Query variables must be a null or an object.",
		`{"query": "{ me { user { id } } }", "operationName": ["x"]}`: `"['x']" is not a valid operation name.`,
	} {
		r := post(t, s.GraphQLURL(), "Bearer "+TokenAdmin, body)
		if r.Status != http.StatusBadRequest || len(r.Errors()) != 1 || r.Errors()[0]["message"] != want {
			t.Errorf("body %q: %d %s, want 400 and %q", body, r.Status, r.Raw, want)
		}
	}
	// A null variables or operation name is fine.
	ok(t, post(t, s.GraphQLURL(), "Bearer "+TokenAdmin, `{"query": "{ me { user { id } } }", "variables": null, "operationName": null}`))
}

// Rule: a malformed UUID written in the document (not in a variable) fails
// validation upstream: HTTP 400.
func TestLiteralMalformedUUIDIs400(t *testing.T) {
	s := Start(t)
	r := gql(t, s, TokenAdmin, `{ connection(id: "not-a-uuid") { id } }`, nil)
	if r.Status != http.StatusBadRequest || len(r.Errors()) == 0 {
		t.Fatalf("%d %s, want 400", r.Status, r.Raw)
	}
	if _, present := r.Body["data"]; present {
		t.Errorf("data present in a 400: %s", r.Raw)
	}
}

// Rule: every error object carries "locations", where in the document the
// failing field, variable or construct is written.
func TestErrorsCarryLocations(t *testing.T) {
	s := Start(t)
	loc := func(r gqlResponse) any { return r.Errors()[0]["locations"] }
	want := func(line, col int) string { return fmt.Sprintf("[map[column:%d line:%d]]", col, line) }
	for name, tc := range map[string]struct {
		token, query string
		vars         map[string]any
		status       int
		want         string
	}{
		"resolver error": {"", "query W {\n  me { user { id } }\n  ws: workspace(slug: \"x\") { slug }\n}", nil, 200, want(3, 3)},
		"update of an unknown id": {TokenAdmin, "mutation U($input: UpdateConnectionInput!) {\n    updateConnection(input: $input) { success }\n}",
			map[string]any{"input": map[string]any{"id": newUUID()}}, 200, want(2, 5)},
		"aliases": {TokenAdmin, "mutation { a: deleteConnection(input: {id: \"x\"}) { success } b: deleteConnection(input: {id: \"y\"}) { success } }",
			nil, 200, want(1, 12)},
		"variable":         {TokenAdmin, "query Q(\n  $id: UUID!) { connection(id: $id) { id } }", map[string]any{"id": "x"}, 200, want(2, 3)},
		"validation":       {TokenAdmin, "{ me { nope } }", nil, 400, want(1, 8)},
		"missing variable": {TokenAdmin, "query Q($slug: String!) { workspace(slug: $slug) { slug } }", nil, 200, want(1, 9)},
	} {
		r := gql(t, s, tc.token, tc.query, tc.vars)
		if r.Status != tc.status || len(r.Errors()) == 0 {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
			continue
		}
		if got := fmt.Sprint(loc(r)); got != tc.want {
			t.Errorf("%s: locations %s, want %s (%s)", name, got, tc.want, r.Raw)
		}
	}
}

// Rule: variable values that do not coerce are worded as graphql-core words them
// (the real server runs Ariadne on graphql-core), one error per failure, with
// data null and HTTP 200.
func TestVariableCoercionMessages(t *testing.T) {
	s := Start(t)
	const slugQuery = `query Q($slug: String!) { workspace(slug: $slug) { slug } }`
	create := func(in map[string]any) map[string]any {
		out := map[string]any{"workspaceSlug": WorkspaceMain, "name": "n", "type": "CUSTOM"}
		maps.Copy(out, in)
		return map[string]any{"input": out}
	}
	for name, tc := range map[string]struct {
		query string
		vars  map[string]any
		want  []string
	}{
		"malformed uuid": {connectionQuery, map[string]any{"id": "not-a-uuid"},
			[]string{"Variable '$id' got invalid value 'not-a-uuid'; Expected type 'UUID'. badly formed hexadecimal UUID string"}},
		"uuid as a number": {connectionQuery, map[string]any{"id": 12},
			[]string{"Variable '$id' got invalid value 12; Expected type 'UUID'. 'int' object has no attribute 'replace'"}},
		"not provided": {slugQuery, map[string]any{},
			[]string{"Variable '$slug' of required type 'String!' was not provided."}},
		"null": {slugQuery, map[string]any{"slug": nil},
			[]string{"Variable '$slug' of non-null type 'String!' must not be null."}},
		"number for a string": {slugQuery, map[string]any{"slug": 3},
			[]string{"Variable '$slug' got invalid value 3; String cannot represent a non string value: 3"}},
		"bad enum": {createMutation, create(map[string]any{"type": "MYSQL"}),
			[]string{"Variable '$input' got invalid value 'MYSQL' at 'input.type'; Value 'MYSQL' does not exist in 'ConnectionType' enum."}},
		"enum close to a value": {createMutation, create(map[string]any{"type": "S4"}),
			[]string{"Variable '$input' got invalid value 'S4' at 'input.type'; Value 'S4' does not exist in 'ConnectionType' enum. Did you mean the enum value 'S3'?"}},
		"unknown and missing fields": {createMutation, map[string]any{"input": map[string]any{"workspaceSlug": "w", "nam": "n", "type": "S3"}},
			[]string{
				"Variable '$input' got invalid value {'nam': 'n', 'type': 'S3', 'workspaceSlug': 'w'}; Field 'name' of required type 'String!' was not provided.",
				"Variable '$input' got invalid value {'nam': 'n', 'type': 'S3', 'workspaceSlug': 'w'}; Field 'nam' is not defined by type 'CreateConnectionInput'. Did you mean 'name'?",
			}},
		"field without secret": {createMutation, create(map[string]any{"fields": []any{map[string]any{"code": "a", "value": "b"}}}),
			[]string{"Variable '$input' got invalid value {'code': 'a', 'value': 'b'} at 'input.fields[0]'; Field 'secret' of required type 'Boolean!' was not provided."}},
		"null code": {createMutation, create(map[string]any{"fields": fieldsIn(nil, "v", false)}),
			[]string{"Variable '$input' got invalid value None at 'input.fields[0].code'; Expected non-nullable type 'String!' not to be null."}},
		"input not an object": {createMutation, map[string]any{"input": "x"},
			[]string{"Variable '$input' got invalid value 'x'; Expected type 'CreateConnectionInput' to be a mapping."}},
	} {
		r := gql(t, s, TokenAdmin, tc.query, tc.vars)
		if r.Status != http.StatusOK {
			t.Errorf("%s: status %d: %s", name, r.Status, r.Raw)
			continue
		}
		if d, present := r.Body["data"]; !present || d != nil {
			t.Errorf("%s: data %v, want null", name, d)
		}
		var got []string
		for _, e := range r.Errors() {
			got = append(got, fmt.Sprint(e["message"]))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", name, got, tc.want)
		}
	}
	if len(s.AllConnections()) != 0 {
		t.Fatal("a coercion error wrote a connection")
	}
}

func TestMalformedUUIDIsAnExecutionError(t *testing.T) {
	s := Start(t)
	for _, id := range []string{"not-a-uuid", "", "5e0d0000-0000-4000-8000-00000000000g", "5e0d0000-0000-4000-8000-0000000000011"} {
		r := gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": id})
		if r.Status != http.StatusOK {
			t.Fatalf("id %q: status %d, want 200: %s", id, r.Status, r.Raw)
		}
		if len(r.Errors()) == 0 {
			t.Fatalf("id %q: no error: %s", id, r.Raw)
		}
		if d, present := r.Body["data"]; !present || d != nil {
			t.Errorf("id %q: data = %v, want null", id, d)
		}
	}
	// Any spelling Python's uuid.UUID accepts is fine, and answers null when
	// unknown.
	for _, id := range []string{"5E0D0000-0000-4000-8000-000000000001", "5e0d0000000040008000000000000001", "{5e0d0000-0000-4000-8000-000000000001}"} {
		r := ok(t, gql(t, s, TokenAdmin, connectionQuery, map[string]any{"id": id}))
		if r.Data("connection") != nil {
			t.Errorf("id %q: connection = %v", id, r.Data("connection"))
		}
	}
}

func TestVariableCoercionErrorIs200(t *testing.T) {
	s := Start(t)
	r := gql(t, s, TokenAdmin, `query Q($slug: String!) { workspace(slug: $slug) { slug } }`, map[string]any{})
	if r.Status != http.StatusOK || len(r.Errors()) == 0 {
		t.Fatalf("missing variable: status %d: %s", r.Status, r.Raw)
	}
	r = gql(t, s, TokenAdmin, createMutation, map[string]any{"input": map[string]any{"workspaceSlug": WorkspaceMain, "name": "x", "type": "MYSQL"}})
	if r.Status != http.StatusOK || len(r.Errors()) == 0 {
		t.Fatalf("bad enum: status %d: %s", r.Status, r.Raw)
	}
	if len(s.AllConnections()) != 0 {
		t.Fatal("a coercion error wrote a connection")
	}
}

func TestEndpointPathsAndMethods(t *testing.T) {
	s := Start(t)
	body := `{"query":"{ me { user { email } } }"}`
	for _, path := range []string{"/graphql/", "/graphql"} {
		r := ok(t, post(t, s.URL()+path, "Bearer "+TokenAdmin, body))
		if r.Str("me.user.email") != EmailAdmin {
			t.Errorf("%s: %s", path, r.Raw)
		}
	}
	res, err := http.Post(s.URL()+"/api/graphql/", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", res.StatusCode)
	}
	res, err = http.Get(s.GraphQLURL())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", res.StatusCode)
	}
}

func TestOperationNameSelectsOperation(t *testing.T) {
	s := Start(t)
	doc := `query A { me { user { email } } } query B { me { permissions { superUser } } }`
	r := ok(t, gqlOp(t, s, TokenSuperuser, "B", doc, nil))
	if !r.Bool("me.permissions.superUser") || r.Data("me.user") != nil {
		t.Fatalf("operation B not run: %s", r.Raw)
	}
}

func TestLatency(t *testing.T) {
	s := Start(t, WithLatency(80*time.Millisecond))
	start := time.Now()
	ok(t, gql(t, s, TokenAdmin, `{ me { user { id } } }`, nil))
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("request took %v, want at least 80ms", d)
	}
	s.SetLatency(0)
	start = time.Now()
	ok(t, gql(t, s, TokenAdmin, `{ me { user { id } } }`, nil))
	if d := time.Since(start); d > 70*time.Millisecond {
		t.Errorf("request took %v after SetLatency(0)", d)
	}

	// A client that gives up does not leave the server waiting.
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.GraphQLURL(), strings.NewReader(`{"query":"{ me { user { id } } }"}`))
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("want a timeout")
	}
}

func TestBearerToken(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer abc":  "abc",
		"bearer abc":  "abc",
		"BEARER abc":  "abc",
		"Bearer  abc": "",
		"Bearer":      "",
		"Bearer ":     "",
		"Token abc":   "",
		"abc":         "",
		"":            "",
		" Bearer abc": "",
	} {
		if got := bearerToken(in); got != want {
			t.Errorf("bearerToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
