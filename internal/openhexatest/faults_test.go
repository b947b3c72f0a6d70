package openhexatest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

const meQuery = `{"query":"query Me { me { user { id } } }","operationName":"Me"}`

// postMe sends the Me query as the editor.
func postMe(t *testing.T, srv *openhexatest.Server) (*http.Response, string, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.GraphQLURL(), bytes.NewBufferString(meQuery))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+openhexatest.TokenEditor)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw), nil
}

func TestFaultStatusesFailTheNextNRequests(t *testing.T) {
	cases := []struct {
		fault      openhexatest.Fault
		status     int
		retryAfter string
	}{
		{openhexatest.Fault{Kind: openhexatest.Fault429, Times: 2, RetryAfter: 1500 * time.Millisecond}, 429, "2"},
		{openhexatest.Fault{Kind: openhexatest.Fault429, Times: 2}, 429, "1"},
		{openhexatest.Fault{Kind: openhexatest.Fault500, Times: 2}, 500, ""},
		{openhexatest.Fault{Kind: openhexatest.Fault502, Times: 2}, 502, ""},
		{openhexatest.Fault{Kind: openhexatest.Fault503, Times: 2, RetryAfter: 3 * time.Second}, 503, "3"},
	}
	for _, tc := range cases {
		srv := openhexatest.Start(t)
		srv.InjectFault("Me", tc.fault)
		for i := 0; i < 2; i++ {
			resp, _, err := postMe(t, srv)
			if err != nil || resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter {
				t.Fatalf("fault %+v, request %d: %v %v; want %d with Retry-After %q", tc.fault, i, resp, err, tc.status, tc.retryAfter)
			}
		}
		if resp, _, err := postMe(t, srv); err != nil || resp.StatusCode != 200 {
			t.Fatalf("fault %+v: third request %v %v; want 200", tc.fault, resp, err)
		}
		if got := srv.RequestCount("Me"); got != 3 {
			t.Fatalf("%d requests logged; want 3", got)
		}
	}
}

func TestFaultOnlyHitsItsOperation(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.InjectFault("GetWorkspace", openhexatest.Fault{Kind: openhexatest.Fault503})
	if resp, _, err := postMe(t, srv); err != nil || resp.StatusCode != 200 {
		t.Fatalf("Me: %v %v; want 200", resp, err)
	}
	srv.ClearFaults()
	srv.InjectFault("", openhexatest.Fault{Kind: openhexatest.Fault500, Times: -1})
	for i := 0; i < 3; i++ {
		if resp, _, _ := postMe(t, srv); resp == nil || resp.StatusCode != 500 {
			t.Fatalf("request %d: want 500 from a fault on every operation", i)
		}
	}
	srv.ClearFaults()
	if resp, _, _ := postMe(t, srv); resp == nil || resp.StatusCode != 200 {
		t.Fatal("ClearFaults did not clear")
	}
}

func TestFaultDelayWaitsThenAnswers(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.InjectFault("Me", openhexatest.Fault{Kind: openhexatest.FaultDelay, Delay: 200 * time.Millisecond})
	started := time.Now()
	resp, _, err := postMe(t, srv)
	if err != nil || resp.StatusCode != 200 || time.Since(started) < 200*time.Millisecond {
		t.Fatalf("%v %v after %s; want 200 after 200ms", resp, err, time.Since(started))
	}
}

func TestFaultGraphQLErrorAnswersTopLevelError(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.InjectFault("Me", openhexatest.Fault{Kind: openhexatest.FaultGraphQLError})
	resp, body, err := postMe(t, srv)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(body, `"data":null`) ||
		!strings.Contains(body, openhexatest.InjectedErrorMessage) {
		t.Fatalf("%v %s %v; want 200 with a top-level error", resp, body, err)
	}
}

func editorClient(t *testing.T, srv *openhexatest.Server) *openhexa.Client {
	c, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: openhexatest.TokenEditor, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFaultDropBeforeApplyAppliesNothing(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.InjectFault("CreateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropBeforeApply})
	_, err := editorClient(t, srv).CreateConnection(context.Background(), openhexa.CreateConnectionInput{
		WorkspaceSlug: openhexatest.WorkspaceMain, Name: "Dropped", Type: openhexa.TypeCustom})
	if !openhexa.IsKind(err, openhexa.KindTransport) {
		t.Fatalf("err = %v; want a transport error", err)
	}
	if n := len(srv.AllConnections()); n != 0 {
		t.Fatalf("%d connections stored; want none", n)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Status != openhexatest.StatusDropped {
		t.Fatalf("requests %+v; want one, recorded as dropped", reqs)
	}
}

func TestFaultDropAfterApplyAppliesThenDrops(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.InjectFault("CreateConnection", openhexatest.Fault{Kind: openhexatest.FaultDropAfterApply})
	_, err := editorClient(t, srv).CreateConnection(context.Background(), openhexa.CreateConnectionInput{
		WorkspaceSlug: openhexatest.WorkspaceMain, Name: "Applied", Type: openhexa.TypeCustom})
	var apiErr *openhexa.Error
	if !errors.As(err, &apiErr) || apiErr.Kind != openhexa.KindTransport || !apiErr.Ambiguous {
		t.Fatalf("err = %v; want an ambiguous transport error", err)
	}
	if all := srv.AllConnections(); len(all) != 1 || all[0].Name != "Applied" {
		t.Fatalf("stored %+v; want the one connection", all)
	}
}

func TestFaultRandomFailuresAreRepeatable(t *testing.T) {
	run := func() []int {
		srv := openhexatest.Start(t)
		srv.SetRandomFailures(0.5, 7)
		var statuses []int
		for i := 0; i < 40; i++ {
			resp, _, err := postMe(t, srv)
			if err != nil {
				t.Fatal(err)
			}
			statuses = append(statuses, resp.StatusCode)
		}
		return statuses
	}
	a, b := run(), run()
	counts := map[int]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different runs: %v vs %v", a, b)
		}
		counts[a[i]]++
	}
	if counts[200] == 0 || counts[503] == 0 || counts[429] == 0 || counts[200]+counts[503]+counts[429] != 40 {
		t.Fatalf("statuses %v; want a mix of 200, 503 and 429", counts)
	}
}

// TestFaultBeforeRunsWhateverTheFault: Before runs at the moment the request
// arrives, after any delay, also for a request that the fault drops or refuses
// unapplied, so that a test can change the store between two requests of a client
// whatever becomes of the second.
func TestFaultBeforeRunsWhateverTheFault(t *testing.T) {
	for _, kind := range []openhexatest.FaultKind{openhexatest.FaultNone, openhexatest.FaultDelay,
		openhexatest.FaultDropBeforeApply, openhexatest.FaultDropAfterApply, openhexatest.Fault503, openhexatest.FaultGraphQLError} {
		srv := openhexatest.Start(t)
		ran := 0
		srv.InjectFault("CreateConnection", openhexatest.Fault{Kind: kind, Delay: time.Millisecond, Before: func() {
			ran++
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("fault %d: Before ran after the request was recorded", kind)
			}
		}})
		_, _ = editorClient(t, srv).CreateConnection(context.Background(), openhexa.CreateConnectionInput{
			WorkspaceSlug: openhexatest.WorkspaceMain, Name: "Any", Type: openhexa.TypeCustom})
		if ran != 1 {
			t.Errorf("fault %d: Before ran %d times, want once", kind, ran)
		}
	}
}
