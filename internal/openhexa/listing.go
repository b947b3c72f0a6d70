package openhexa

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Per-run workspace listings. A refresh reads every managed connection, up to ten at
// a time; one request per read costs one round trip each (and, on the real server,
// about 0.15 s each). ConnectionInWorkspace answers them all from one listing of the
// workspace (ListWorkspaceConnections), fetched on first use. ConnectionIfChanged
// answers first from a listing without fields (ListWorkspaceConnectionSummaries):
// the real server spends most of a listing on the fields, one database query per
// connection, and a connection whose updatedAt has not moved has the fields it had.
// As soon as this client starts any write (create, update, delete), listings are
// dropped and never used again: reads go by id from then on, so a read never
// returns data older than a write this client made. A connection absent from a
// listing is absent (nil); a failed listing fails the read: it never falls back to
// reads by id, which cannot tell "deleted" from "not visible".

// uuidKey is the form of a UUID used to match ids: lower case, no hyphens.
func uuidKey(id string) string { return strings.ToLower(strings.ReplaceAll(id, "-", "")) }

// SameID reports whether two connection ids name one connection, whatever their case
// and hyphens.
func SameID(a, b string) bool { return uuidKey(a) == uuidKey(b) }

// listings holds the workspace listings of one Client.
type listings struct {
	mu        sync.Mutex
	wrote     bool // a write went through this client: listings are off
	byWS      map[string]*listing
	summaries map[string]*listing
}

func newListings() *listings {
	return &listings{byWS: map[string]*listing{}, summaries: map[string]*listing{}}
}

// listing is one listing request and its answer by id.
type listing struct {
	done chan struct{}
	byID map[string]*Connection
	err  error
	// kin indexes the ids by their slug's environment prefix, built on first use
	// (slugKin).
	kinOnce sync.Once
	kin     map[string][]string
}

// noteWrite is called before every create, update and delete: from then on no
// listing serves a read.
func (r *listings) noteWrite() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.wrote = true
	r.byWS = nil
	r.summaries = nil
}

// ConnectionInWorkspace returns the connection with that id in that workspace. nil
// means proven absent: a listing of the workspace that this token can read does not
// hold it. A workspace the token cannot see is an error of kind KindWorkspaceNotFound,
// never nil: `connection(id)` answers null for "not visible" as for "deleted", so a
// null by id is never taken as proof. Until this client makes a write, it answers
// from one listing of the workspace fetched on first use (one request however many
// connections are read); after a write it reads by id, and proves a null answer
// with a fresh listing.
func (c *Client) ConnectionInWorkspace(ctx context.Context, workspace, id string) (*Connection, error) {
	r := c.reads
	if r == nil || workspace == "" {
		return nil, &Error{Kind: KindDecode, Operation: OpListWorkspaceConnections, Message: "no workspace to look the connection up in"}
	}
	l := c.listingOf(ctx, workspace, false)
	if l == nil {
		return c.connectionProven(ctx, workspace, id)
	}
	return l.wait(ctx, OpListWorkspaceConnections, id)
}

// ConnectionIfChanged is ConnectionInWorkspace for a caller that already holds the
// connection's fields as they were when its updatedAt was since. When the
// workspace's listing without fields shows that updatedAt unchanged, it returns
// that listing's connection, without fields, and unchanged true; otherwise it
// returns what ConnectionInWorkspace does. OpenHEXA moves updatedAt on every
// update that succeeds; see the provider's documentation of `full_refresh` for the
// writes that do not move it.
func (c *Client) ConnectionIfChanged(ctx context.Context, workspace, id, since string) (conn *Connection, unchanged bool, err error) {
	if since == "" || c.reads == nil || workspace == "" {
		conn, err = c.ConnectionInWorkspace(ctx, workspace, id)
		return conn, false, err
	}
	l := c.listingOf(ctx, workspace, true)
	if l == nil {
		conn, err = c.connectionProven(ctx, workspace, id)
		return conn, false, err
	}
	summary, err := l.wait(ctx, OpListWorkspaceConnectionSummaries, id)
	if err != nil || summary == nil {
		return nil, false, err
	}
	if summary.UpdatedAt != nil && sameInstant(*summary.UpdatedAt, since) {
		return summary, true, nil
	}
	conn, err = c.ConnectionInWorkspace(ctx, workspace, id)
	return conn, false, err
}

// sameInstant compares two API timestamps as instants, as strings when either
// does not parse.
func sameInstant(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ta.Equal(tb)
}

// listingOf returns the run's listing of the workspace, with fields or without,
// starting its request on first use; nil once this client has written.
func (c *Client) listingOf(ctx context.Context, workspace string, summaries bool) *listing {
	r := c.reads
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.wrote {
		return nil
	}
	byWS, list := r.byWS, c.WorkspaceConnections
	if summaries {
		byWS, list = r.summaries, c.WorkspaceConnectionSummaries
	}
	l := byWS[workspace]
	if l == nil {
		l = &listing{done: make(chan struct{})}
		byWS[workspace] = l
		go l.fetch(context.WithoutCancel(ctx), workspace, list)
	}
	return l
}

// wait returns the listed connection with that id once the listing has arrived.
func (l *listing) wait(ctx context.Context, op, id string) (*Connection, error) {
	select {
	case <-l.done:
	case <-ctx.Done():
		return nil, canceled(op, ctx.Err())
	}
	if l.err != nil {
		return nil, l.err
	}
	return l.lookup(id), nil
}

// connectionProven reads by id; a null answer is checked against a fresh listing.
func (c *Client) connectionProven(ctx context.Context, workspace, id string) (*Connection, error) {
	conn, err := c.Connection(ctx, id)
	if err != nil || conn != nil {
		return conn, err
	}
	conns, err := c.WorkspaceConnections(ctx, workspace)
	if err != nil {
		return nil, err
	}
	for i := range conns {
		if uuidKey(conns[i].ID) == uuidKey(id) {
			return &conns[i], nil
		}
	}
	return nil, nil
}

// lookup returns a copy of the listed connection with that id, nil when not listed.
func (l *listing) lookup(id string) *Connection {
	conn := l.byID[uuidKey(id)]
	if conn == nil {
		return nil
	}
	cp := *conn
	cp.Fields = append([]ConnectionField(nil), conn.Fields...)
	return &cp
}

func (l *listing) fetch(ctx context.Context, workspace string, list func(context.Context, string) ([]Connection, error)) {
	defer close(l.done)
	conns, err := list(ctx, workspace)
	if err != nil {
		l.err = err
		return
	}
	l.byID = make(map[string]*Connection, len(conns))
	for i := range conns {
		l.byID[uuidKey(conns[i].ID)] = &conns[i]
	}
}

// canceled is the error of a read whose own context ended while it waited.
func canceled(op string, err error) *Error {
	return &Error{Kind: KindTransport, Operation: op, Message: "the read was cancelled: " + transportMessage(err), Err: err}
}
