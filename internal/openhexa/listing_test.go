package openhexa_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

func newTestClient(t *testing.T, srv *openhexatest.Server, token string) *openhexa.Client {
	t.Helper()
	c, err := openhexa.NewClient(openhexa.Config{URL: srv.URL(), Token: token, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func seedConnections(srv *openhexatest.Server, workspace string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = srv.CreateStored(openhexatest.StoredConnection{
			Workspace: workspace, Name: fmt.Sprintf("conn %d", i), Slug: fmt.Sprintf("conn-%d", i),
			Type: string(openhexa.TypeCustom),
		}).ID
	}
	return ids
}

// readAll starts one goroutine per id, all released together, and returns what each read gave.
func readAll(ids []string, read func(id string) (*openhexa.Connection, error)) ([]*openhexa.Connection, []error) {
	conns, errs := make([]*openhexa.Connection, len(ids)), make([]error, len(ids))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range ids {
		wg.Go(func() {
			<-start
			conns[i], errs[i] = read(id)
		})
	}
	close(start)
	wg.Wait()
	return conns, errs
}

func TestReadByIDUsesGetConnection(t *testing.T) {
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 1)
	c := newTestClient(t, srv, openhexatest.TokenEditor)
	srv.ResetRequests()
	conn, err := c.Connection(context.Background(), ids[0])
	if err != nil || conn == nil || conn.ID != ids[0] {
		t.Fatalf("got %+v, %v", conn, err)
	}
	if srv.RequestCount(openhexa.OpGetConnection) != 1 || srv.TotalRequests() != 1 {
		t.Fatalf("want one GetConnection: %+v", srv.Requests())
	}
	// An id that is not a UUID fails with the server's coercion error.
	if _, err := c.Connection(context.Background(), "not-a-uuid"); !openhexa.IsKind(err, openhexa.KindGraphQL) {
		t.Fatalf("a malformed id must fail with a GraphQL error, got %v", err)
	}
}

func TestWorkspaceReadsShareOneListing(t *testing.T) {
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 60)
	other := seedConnections(srv, openhexatest.WorkspaceOther, 1)[0]
	c := newTestClient(t, srv, openhexatest.TokenAdmin)
	srv.ResetRequests()

	all := append(append([]string{}, ids...), other, strings.ToUpper(ids[3]))
	conns, errs := readAll(all, func(id string) (*openhexa.Connection, error) {
		return c.ConnectionInWorkspace(context.Background(), openhexatest.WorkspaceMain, id)
	})
	for i, id := range all {
		if errs[i] != nil {
			t.Fatalf("read %s: %v", id, errs[i])
		}
		switch {
		case id == other:
			if conns[i] != nil {
				t.Fatal("a connection absent from the workspace listing must read as nil")
			}
		case conns[i] == nil || !strings.EqualFold(conns[i].ID, id):
			t.Fatalf("read %s gave %+v", id, conns[i])
		}
	}
	if got := srv.TotalRequests(); got != 1 || srv.RequestCount(openhexa.OpListWorkspaceConnections) != 1 {
		t.Fatalf("want one listing request, got %d: %+v", got, srv.Requests())
	}
	// Later reads of the run are served from it; callers get their own copies.
	conns[0].Name = "changed by the caller"
	again, err := c.ConnectionInWorkspace(context.Background(), openhexatest.WorkspaceMain, ids[0])
	if err != nil || again.Name != "conn 0" || srv.TotalRequests() != 1 {
		t.Fatalf("second read: %+v, %v, %d requests", again, err, srv.TotalRequests())
	}
}

func TestReadAfterWriteIsFresh(t *testing.T) {
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 3)
	c := newTestClient(t, srv, openhexatest.TokenEditor)
	ctx := context.Background()
	ws := openhexatest.WorkspaceMain

	if conn, err := c.ConnectionInWorkspace(ctx, ws, ids[0]); err != nil || conn.Name != "conn 0" {
		t.Fatalf("first read: %+v, %v", conn, err)
	}
	// Changed by someone else: the listing may still answer until this client writes.
	srv.ModifyStored(ids[1], func(sc *openhexatest.StoredConnection) { sc.Name = "changed out of band" })

	name := "renamed"
	if _, err := c.UpdateConnection(ctx, openhexa.UpdateConnectionInput{ID: ids[0], Name: &name}); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	if conn, err := c.ConnectionInWorkspace(ctx, ws, ids[0]); err != nil || conn.Name != "renamed" {
		t.Fatalf("read after update: %+v, %v", conn, err)
	}
	if conn, err := c.ConnectionInWorkspace(ctx, ws, ids[1]); err != nil || conn.Name != "changed out of band" {
		t.Fatalf("read after a write must not come from an older listing: %+v, %v", conn, err)
	}
	if srv.RequestCount(openhexa.OpListWorkspaceConnections) != 0 || srv.RequestCount(openhexa.OpGetConnection) != 2 {
		t.Fatalf("reads after a write go by id: %+v", srv.Requests())
	}

	// Delete, then read both ways: absent.
	if err := c.DeleteConnection(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	for _, read := range []func() (*openhexa.Connection, error){
		func() (*openhexa.Connection, error) { return c.ConnectionInWorkspace(ctx, ws, ids[2]) },
		func() (*openhexa.Connection, error) { return c.Connection(ctx, ids[2]) },
	} {
		if conn, err := read(); err != nil || conn != nil {
			t.Fatalf("read after delete: %+v, %v", conn, err)
		}
	}

	// A create on a fresh client also turns the listing off.
	c2 := newTestClient(t, srv, openhexatest.TokenEditor)
	if _, err := c2.ConnectionInWorkspace(ctx, ws, ids[0]); err != nil {
		t.Fatal(err)
	}
	created, err := c2.CreateConnection(ctx, openhexa.CreateConnectionInput{WorkspaceSlug: ws, Name: "new one", Type: openhexa.TypeCustom})
	if err != nil {
		t.Fatal(err)
	}
	if conn, err := c2.ConnectionInWorkspace(ctx, ws, created.ID); err != nil || conn == nil || conn.ID != created.ID {
		t.Fatalf("read after create: %+v, %v", conn, err)
	}
}

// TestIntegrityConnectionInWorkspaceNeverTakesInvisibleForAbsent: a workspace the
// token cannot see is an error, before and after a write; only a listing the token
// can read proves a connection absent.
func TestIntegrityConnectionInWorkspaceNeverTakesInvisibleForAbsent(t *testing.T) {
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 2)
	ctx := context.Background()

	outsider := newTestClient(t, srv, openhexatest.TokenOutsider)
	if conn, err := outsider.ConnectionInWorkspace(ctx, openhexatest.WorkspaceMain, ids[0]); !openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) {
		t.Fatalf("before a write: want WORKSPACE_NOT_FOUND, got %v, %v", conn, err)
	}
	if err := outsider.DeleteConnection(ctx, "00000000-0000-4000-8000-000000000000"); err == nil {
		t.Fatal("the outsider's delete must fail")
	}
	if conn, err := outsider.ConnectionInWorkspace(ctx, openhexatest.WorkspaceMain, ids[0]); !openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) {
		t.Fatalf("after a write: want WORKSPACE_NOT_FOUND, got %v, %v", conn, err)
	}

	editor := newTestClient(t, srv, openhexatest.TokenEditor)
	if err := editor.DeleteConnection(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	if conn, err := editor.ConnectionInWorkspace(ctx, openhexatest.WorkspaceMain, ids[1]); err != nil || conn != nil {
		t.Fatalf("a deleted connection is proven absent by the listing: got %v, %v", conn, err)
	}
	if conn, err := editor.ConnectionInWorkspace(ctx, openhexatest.WorkspaceMain, ids[0]); err != nil || conn == nil {
		t.Fatalf("want the connection, got %v, %v", conn, err)
	}
}

// TestConnectionIfChanged: concurrent reads of unchanged connections share one listing
// without fields; one changed connection adds one listing with fields; an unknown
// since, another spelling of the same instant, a deleted connection and a read after
// a write each take the path their doc comment gives.
func TestConnectionIfChanged(t *testing.T) {
	ctx := context.Background()
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 12)
	for _, id := range ids {
		srv.ModifyStored(id, func(c *openhexatest.StoredConnection) {
			c.Fields = []openhexatest.Field{{Code: "api_url", Value: "https://api.example.org"}}
		})
	}
	stamps := map[string]string{}
	for _, conn := range mustList(t, newTestClient(t, srv, openhexatest.TokenEditor)) {
		stamps[conn.ID] = *conn.UpdatedAt
	}
	srv.ModifyStored(ids[3], func(c *openhexatest.StoredConnection) { c.Description = "moved" })

	srv.ResetRequests()
	c := newTestClient(t, srv, openhexatest.TokenEditor)
	unchangedByID := map[string]bool{}
	var mu sync.Mutex
	conns, errs := readAll(ids, func(id string) (*openhexa.Connection, error) {
		conn, unchanged, err := c.ConnectionIfChanged(ctx, openhexatest.WorkspaceMain, id, stamps[id])
		mu.Lock()
		unchangedByID[id] = unchanged
		mu.Unlock()
		return conn, err
	})
	for i, id := range ids {
		if errs[i] != nil || conns[i] == nil {
			t.Fatalf("%s: %v %v", id, conns[i], errs[i])
		}
		if changed := i == 3; unchangedByID[id] == changed {
			t.Errorf("%s: unchanged = %v", id, unchangedByID[id])
		}
		if !unchangedByID[id] == (conns[i].Fields == nil) {
			t.Errorf("%s: fields %v for unchanged = %v", id, conns[i].Fields, unchangedByID[id])
		}
	}
	if conns[3].DescriptionOrEmpty() != "moved" {
		t.Errorf("the changed connection reads %+v", conns[3])
	}
	if s, f := srv.RequestCount(openhexa.OpListWorkspaceConnectionSummaries), srv.RequestCount(openhexa.OpListWorkspaceConnections); s != 1 || f != 1 || srv.TotalRequests() != 2 {
		t.Errorf("sent %d listings without fields and %d with, %d requests in all; want 1, 1, 2", s, f, srv.TotalRequests())
	}

	// The same instant written otherwise is unchanged; no since reads fields.
	other := strings.Replace(stamps[ids[0]], "Z", "+00:00", 1)
	if _, unchanged, err := c.ConnectionIfChanged(ctx, openhexatest.WorkspaceMain, ids[0], other); err != nil || !unchanged {
		t.Errorf("%q against %q: unchanged %v, %v", other, stamps[ids[0]], unchanged, err)
	}
	if conn, unchanged, err := c.ConnectionIfChanged(ctx, openhexatest.WorkspaceMain, ids[0], ""); err != nil || unchanged || conn.Fields == nil {
		t.Errorf("no since: %+v, unchanged %v, %v", conn, unchanged, err)
	}

	// Deleted: proven absent by the listing without fields.
	srv.DeleteStored(ids[5])
	fresh := newTestClient(t, srv, openhexatest.TokenEditor)
	if conn, _, err := fresh.ConnectionIfChanged(ctx, openhexatest.WorkspaceMain, ids[5], stamps[ids[5]]); conn != nil || err != nil {
		t.Errorf("deleted: %+v, %v", conn, err)
	}

	// After a write, reads go by id with fields.
	if err := fresh.DeleteConnection(ctx, ids[6]); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	if conn, unchanged, err := fresh.ConnectionIfChanged(ctx, openhexatest.WorkspaceMain, ids[0], stamps[ids[0]]); err != nil || unchanged || conn == nil {
		t.Errorf("after a write: %+v, unchanged %v, %v", conn, unchanged, err)
	}
	if srv.RequestCount(openhexa.OpGetConnection) != 1 || srv.TotalRequests() != 1 {
		t.Errorf("after a write, want one GetConnection: %+v", srv.Requests())
	}
}

func mustList(t *testing.T, c *openhexa.Client) []openhexa.Connection {
	t.Helper()
	conns, err := c.WorkspaceConnections(context.Background(), openhexatest.WorkspaceMain)
	if err != nil {
		t.Fatal(err)
	}
	return conns
}

// TestListedSlugKin: the connections whose slug names the same environment variables
// come from the run's listing, the one with fields when the run read it, without a
// request of their own; without a listing, the summaries are listed only when told
// to fetch; never after a write.
func TestListedSlugKin(t *testing.T) {
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 2)
	for _, s := range []string{"DB", "db", "d-b", "d_b"} {
		srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: s, Slug: s, Type: string(openhexa.TypeCustom)})
	}
	ctx := context.Background()
	slugs := func(conns []openhexa.Connection) string {
		var out []string
		for _, c := range conns {
			out = append(out, c.Slug)
		}
		return strings.Join(out, " ")
	}

	c := newTestClient(t, srv, openhexatest.TokenEditor)
	srv.ResetRequests()
	if kin, listed, err := c.ListedSlugKin(ctx, openhexatest.WorkspaceMain, "db", false); listed || err != nil || kin != nil || srv.TotalRequests() != 0 {
		t.Fatalf("without a listing nor fetch: %v %v %v, %d requests", kin, listed, err, srv.TotalRequests())
	}
	kin, listed, err := c.ListedSlugKin(ctx, openhexatest.WorkspaceMain, "Db", true)
	if !listed || err != nil || slugs(kin) != "DB db" ||
		srv.RequestCount(openhexa.OpListWorkspaceConnectionSummaries) != 1 || srv.TotalRequests() != 1 {
		t.Fatalf("fetch: %q %v %v, requests %+v", slugs(kin), listed, err, srv.Requests())
	}
	if kin, _, _ := c.ListedSlugKin(ctx, openhexatest.WorkspaceMain, "D-b", true); slugs(kin) != "d-b d_b" || srv.TotalRequests() != 1 {
		t.Errorf("'-' and '_': %q, %d requests", slugs(kin), srv.TotalRequests())
	}

	c = newTestClient(t, srv, openhexatest.TokenEditor)
	if _, err := c.ConnectionInWorkspace(ctx, openhexatest.WorkspaceMain, ids[0]); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	kin, listed, err = c.ListedSlugKin(ctx, openhexatest.WorkspaceMain, "conn-1", true)
	if !listed || err != nil || slugs(kin) != "conn-1" || srv.TotalRequests() != 0 {
		t.Fatalf("after a read: %q %v %v, %d requests", slugs(kin), listed, err, srv.TotalRequests())
	}
	if _, listed, err := c.ListedSlugKin(ctx, "no-such-workspace", "x", true); !listed || !openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) {
		t.Errorf("a workspace the token cannot see: listed %v, %v", listed, err)
	}

	if err := c.DeleteConnection(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	if _, listed, _ := c.ListedSlugKin(ctx, openhexatest.WorkspaceMain, "db", true); listed || srv.TotalRequests() != 0 {
		t.Errorf("after a write: listed %v, %d requests", listed, srv.TotalRequests())
	}
}

// TestListedBySlug: the holder of exactly that slug (never one that differs by case
// or by '-' against '_'), from the listing the run has already, with fields when
// asked; the summaries are listed only when the run has listed nothing; nothing after
// a write.
func TestListedBySlug(t *testing.T) {
	srv := openhexatest.Start(t)
	ids := seedConnections(srv, openhexatest.WorkspaceMain, 1)
	for _, s := range []string{"DB", "d-b", "d_b"} {
		srv.CreateStored(openhexatest.StoredConnection{Workspace: openhexatest.WorkspaceMain, Name: s, Slug: s, Type: string(openhexa.TypeCustom)})
	}
	ctx := context.Background()

	c := newTestClient(t, srv, openhexatest.TokenEditor)
	srv.ResetRequests()
	if conn, listed, err := c.ListedBySlug(ctx, openhexatest.WorkspaceMain, "d_b", false); !listed || err != nil || conn == nil || conn.Slug != "d_b" ||
		srv.RequestCount(openhexa.OpListWorkspaceConnectionSummaries) != 1 || srv.TotalRequests() != 1 {
		t.Fatalf("no listing yet: %+v %v %v, requests %+v", conn, listed, err, srv.Requests())
	}
	if conn, listed, err := c.ListedBySlug(ctx, openhexatest.WorkspaceMain, "db", false); !listed || err != nil || conn != nil || srv.TotalRequests() != 1 {
		t.Errorf("a free slug whose kin are held: %+v %v %v, %d requests", conn, listed, err, srv.TotalRequests())
	}

	c = newTestClient(t, srv, openhexatest.TokenEditor)
	if _, err := c.ConnectionInWorkspace(ctx, openhexatest.WorkspaceMain, ids[0]); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	conn, listed, err := c.ListedBySlug(ctx, openhexatest.WorkspaceMain, "DB", false)
	if !listed || err != nil || conn == nil || conn.Slug != "DB" || srv.TotalRequests() != 0 {
		t.Fatalf("after a read with fields: %+v %v %v, %d requests", conn, listed, err, srv.TotalRequests())
	}
	if conn, _, err := c.ListedBySlug(ctx, openhexatest.WorkspaceMain, "conn-0", true); err != nil || conn == nil || srv.TotalRequests() != 0 {
		t.Errorf("with fields: %+v %v, %d requests", conn, err, srv.TotalRequests())
	}

	if err := c.DeleteConnection(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	if _, listed, _ := c.ListedBySlug(ctx, openhexatest.WorkspaceMain, "DB", false); listed || srv.TotalRequests() != 0 {
		t.Errorf("after a write: listed %v, %d requests", listed, srv.TotalRequests())
	}
}
