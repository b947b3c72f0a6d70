package openhexatest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestRequestLogRedactsSecrets(t *testing.T) {
	s := Start(t)
	r := ok(t, create(t, s, TokenAdmin, map[string]any{"name": "Logged", "type": TypePostgreSQL, "fields": fieldsIn(
		"host", "db.example.org", false,
		"password", "hunter2-create", true,
		"emptysecret", "", true,
	)}))
	id := r.Str("createConnection.connection.id")
	ok(t, gql(t, s, TokenEditor, updateMutation, map[string]any{"input": map[string]any{"id": id, "fields": fieldsIn(
		"host", "db.example.org", false, "password", "hunter2-update", true, "emptysecret", nil, true)}}))
	ok(t, gql(t, s, TokenAdmin, testMutation, map[string]any{"input": map[string]any{"workspaceSlug": WorkspaceMain, "type": TypeGCS, "fields": fieldsIn(
		"bucket_name", "b", false, "service_account_key", `{"private_key":"hunter2-test"}`, true)}}))

	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded", len(reqs))
	}
	dump := fmt.Sprintf("%#v", reqs)
	if strings.Contains(dump, "hunter2") {
		t.Fatalf("a secret value is in the request log: %s", dump)
	}
	for _, tok := range []string{TokenAdmin, TokenEditor} {
		if strings.Contains(dump, tok) {
			t.Fatalf("a token value is in the request log")
		}
	}
	fields := as[[]any](t, dig(reqs[0].Variables, "input.fields"))
	if dig(fields[0], "value") != "db.example.org" || dig(fields[1], "value") != Redacted || dig(fields[2], "value") != Redacted {
		t.Errorf("create variables %v", fields)
	}
	// A null value (keep the stored secret) stays null.
	if v, present := dig(reqs[1].Variables, "input.fields.2").(map[string]any)["value"]; !present || v != nil {
		t.Errorf("update variables %v", reqs[1].Variables)
	}
	if dig(reqs[2].Variables, "input.fields.1.value") != Redacted {
		t.Errorf("test variables %v", reqs[2].Variables)
	}
	want := []struct{ op, token string }{{"Create", "admin"}, {"Update", "editor"}, {"Test", "admin"}}
	for i, w := range want {
		if reqs[i].OperationName != w.op || reqs[i].Token != w.token || reqs[i].Status != http.StatusOK {
			t.Errorf("request %d: %+v, want %s by %s", i, reqs[i], w.op, w.token)
		}
	}
	// The stored values are intact: only the log is redacted.
	sc, _ := s.Connection(id)
	if sc.Fields[1].Value != "hunter2-update" {
		t.Errorf("stored %+v", sc.Fields)
	}
	// Mutating a returned snapshot does not change the log.
	reqs[0].Variables["input"] = "changed"
	if _, isMap := s.Requests()[0].Variables["input"].(map[string]any); !isMap {
		t.Error("Requests returned the log's own maps")
	}
}

func TestRequestCounters(t *testing.T) {
	s := Start(t)
	if s.TotalRequests() != 0 {
		t.Fatal("not empty at start")
	}
	ok(t, gql(t, s, TokenViewer, `query Me { me { user { id } } }`, nil))
	ok(t, gql(t, s, TokenViewer, `query Me { me { user { id } } }`, nil))
	ok(t, gqlOp(t, s, TokenViewer, "Ws", workspaceQuery, map[string]any{"slug": WorkspaceMain}))
	ok(t, gql(t, s, "", `{ me { user { id } } }`, nil))
	gql(t, s, "wrong", `{ me { nope } }`, nil)
	post(t, s.GraphQLURL(), "", `not json`)

	if got := s.RequestCount("Me"); got != 2 {
		t.Errorf("RequestCount(Me) = %d", got)
	}
	if got := s.RequestCount("Ws"); got != 1 {
		t.Errorf("RequestCount(Ws) = %d", got)
	}
	if got := s.RequestCount(""); got != 3 {
		t.Errorf("RequestCount(\"\") = %d", got)
	}
	if got := s.TotalRequests(); got != 6 {
		t.Errorf("TotalRequests = %d", got)
	}
	reqs := s.Requests()
	if reqs[3].Token != TokenLabelNone || reqs[4].Token != TokenLabelUnknown || reqs[0].Token != "viewer" {
		t.Errorf("token labels %q %q %q", reqs[0].Token, reqs[3].Token, reqs[4].Token)
	}
	if reqs[4].Status != http.StatusBadRequest || reqs[5].Status != http.StatusBadRequest {
		t.Errorf("statuses %d %d", reqs[4].Status, reqs[5].Status)
	}
	s.ResetRequests()
	if s.TotalRequests() != 0 || len(s.Requests()) != 0 || s.RequestCount("Me") != 0 {
		t.Error("ResetRequests left requests")
	}
	tok := s.AddUser("counted@openhexa.test", false)
	ok(t, gql(t, s, tok, `query Me { me { user { id } } }`, nil))
	if got := s.Requests()[0].Token; got != "counted@openhexa.test" {
		t.Errorf("added user's label %q", got)
	}
}

func TestOperationNameOf(t *testing.T) {
	for doc, want := range map[string]string{
		`query Me { me { user { id } } }`:                              "Me",
		`mutation CreateConnection($input: CreateConnectionInput!) {}`: "CreateConnection",
		`{ me { user { id } } }`:                                       "",
		`query { me { user { id } } }`:                                 "",
		`query ($x: String) { me }`:                                    "",
		"# query Commented\nquery Real { me }":                         "Real",
		`fragment F on Me { user { id } } query AfterFragment { me }`:  "AfterFragment",
		`fragment F on Me { user { id } } { me { ...F } }`:             "",
		`query Strings { workspace(slug: "query Fake {") { slug } }`:   "Strings",
		"\n\t  subscription   Sub{x}":                                  "Sub",
		``:                                                             "",
		`query A { me } query B { me }`:                                "A",
		`query Q2_x($a: [String!] = ["}"]) { me }`:                     "Q2_x",
		`"""block "" string"""` + "\n" + `query Documented { me }`:     "Documented",
	} {
		if got := operationNameOf(doc); got != want {
			t.Errorf("operationNameOf(%q) = %q, want %q", doc, got, want)
		}
	}
}
