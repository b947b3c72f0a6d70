package openhexa

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// Read coalescing. A refresh reads every managed connection, up to ten at a time;
// one request per read costs one round trip each. The client answers reads two
// cheaper ways:
//
//   - Connection(ctx, id): reads that arrive within DefaultBatchWindow of each
//     other are answered by ONE request, GetConnectionsBatch<n>, with one aliased
//     connection(id:) field per distinct id (c0, c1, …), at most MaxBatchSize ids.
//     A batch whose window ends while another is in flight waits for that one
//     and keeps collecting. A read joins only a batch that has not been sent, so
//     it never gets an answer older than itself. A lone read is sent as GetConnection.
//   - ConnectionInWorkspace(ctx, workspace, id): the first read of a workspace
//     fetches its whole listing (ListWorkspaceConnections) once; every later read
//     of that workspace is served from it. As soon as this client starts any
//     write (create, update, delete), listings are dropped and never used again:
//     reads go by id (batched) from then on, so a read never returns data older
//     than a write this client made. A connection absent from the listing is
//     absent (nil). A failed listing fails the read: it never falls back to reads
//     by id, which cannot tell "deleted" from "not visible".

// DefaultBatchWindow is how long the first read of a batch waits for others.
const DefaultBatchWindow = 3 * time.Millisecond

// MaxBatchSize caps the ids of one GetConnectionsBatch request.
const MaxBatchSize = 100

// OpGetConnectionsBatchPrefix is the name of the batched read operations without
// their size: the request for n ids is BatchOperationName(n).
const OpGetConnectionsBatchPrefix = "GetConnectionsBatch"

// BatchOperationName is the name of the operation that reads n connections by id
// (2 ≤ n ≤ MaxBatchSize). Each size is its own named, static document, registered
// with the others so that documents_test validates every one against the schema.
func BatchOperationName(n int) string { return fmt.Sprintf("%s%d", OpGetConnectionsBatchPrefix, n) }

// init adds the batch documents to documents (package variables are set before any init).
func init() { registerBatchDocuments() }

func registerBatchDocuments() {
	docs, err := batchDocuments(documents[OpGetConnection])
	if err != nil {
		panic(fmt.Sprintf("openhexa: cannot build the batch documents: %v", err))
	}
	for name, doc := range docs {
		documents[name] = doc
	}
}

// batchDocuments builds the GetConnectionsBatch<n> documents from the fragments that
// GetConnection uses, so that both select exactly the same fields.
func batchDocuments(getConnection string) (map[string]string, error) {
	parsed, err := parser.ParseQuery(&ast.Source{Name: OpGetConnection, Input: getConnection})
	if err != nil {
		return nil, err
	}
	if len(parsed.Fragments) == 0 {
		return nil, fmt.Errorf("%s uses no fragment", OpGetConnection)
	}
	var frag strings.Builder
	formatter.NewFormatter(&frag, formatter.WithIndent("  ")).FormatQueryDocument(&ast.QueryDocument{Fragments: parsed.Fragments})
	spread := parsed.Fragments[0].Name
	out := make(map[string]string, MaxBatchSize-1)
	for n := 2; n <= MaxBatchSize; n++ {
		var sb strings.Builder
		fmt.Fprintf(&sb, "query %s(", BatchOperationName(n))
		for i := range n {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "$id%d: UUID!", i)
		}
		sb.WriteString(") {\n")
		for i := range n {
			fmt.Fprintf(&sb, "  c%d: connection(id: $id%d) {\n    ...%s\n  }\n", i, i, spread)
		}
		sb.WriteString("}\n")
		sb.WriteString(frag.String())
		out[BatchOperationName(n)] = sb.String()
	}
	return out, nil
}

// uuidPattern matches what the server accepts as a UUID. Any other id is read on its
// own, so that its coercion error fails only that read.
var uuidPattern = regexp.MustCompile(`^(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)

// uuidKey is the form of a UUID used to match ids: lower case, no hyphens.
func uuidKey(id string) string { return strings.ToLower(strings.ReplaceAll(id, "-", "")) }

// readCoalescer holds the pending batch and the workspace listings of one Client.
type readCoalescer struct {
	mu       sync.Mutex
	window   time.Duration
	pending  *idBatch
	inflight int  // batches sent and not answered yet
	wrote    bool // a write went through this client: listings are off
	listings map[string]*listing
}

func newReadCoalescer() *readCoalescer {
	return &readCoalescer{window: DefaultBatchWindow, listings: map[string]*listing{}}
}

// idBatch is one GetConnectionsBatch request: collected, sent once, answered once.
type idBatch struct {
	ids    []string
	index  map[string]bool
	live   int // waiters still waiting
	sent   bool
	ready  bool // its window ended while another batch was in flight
	ctx    context.Context
	cancel context.CancelFunc
	timer  *time.Timer
	done   chan struct{}
	found  map[string]*Connection
	err    error
}

// listing is one ListWorkspaceConnections request and its answer by id.
type listing struct {
	done chan struct{}
	byID map[string]*Connection
	err  error
}

// SetReadBatchWindow sets how long the first read of a batch waits for others
// (DefaultBatchWindow unless set). Zero still batches reads that arrive together.
func (c *Client) SetReadBatchWindow(d time.Duration) {
	if c.reads == nil {
		return
	}
	c.reads.mu.Lock()
	defer c.reads.mu.Unlock()
	c.reads.window = d
}

// noteWrite is called before every create, update and delete: from then on no
// listing serves a read.
func (r *readCoalescer) noteWrite() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.wrote = true
	r.listings = nil
}

// getConnection reads one connection by id with its own request.
func (c *Client) getConnection(ctx context.Context, id string) (*Connection, error) {
	var out struct {
		Connection *Connection `json:"connection"`
	}
	if err := c.call(ctx, OpGetConnection, map[string]any{"id": id}, nil, &out); err != nil {
		return nil, err
	}
	return out.Connection, nil
}

// batchedConnection is Connection: it joins the pending batch, or starts one.
func (c *Client) batchedConnection(ctx context.Context, id string) (*Connection, error) {
	r := c.reads
	if r == nil || !uuidPattern.MatchString(id) {
		return c.getConnection(ctx, id)
	}
	if err := ctx.Err(); err != nil {
		return nil, canceled(OpGetConnection, err)
	}
	r.mu.Lock()
	b := r.pending
	if b == nil {
		bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		b = &idBatch{index: map[string]bool{}, ctx: bctx, cancel: cancel, done: make(chan struct{})}
		r.pending = b
		b.timer = time.AfterFunc(r.window, func() { r.flush(c, b) })
	}
	if !b.index[id] {
		b.index[id] = true
		b.ids = append(b.ids, id)
	}
	b.live++
	if len(b.ids) >= MaxBatchSize {
		r.pending = nil
		b.sent = true
		b.timer.Stop()
		r.inflight++
		go r.send(c, b)
	}
	r.mu.Unlock()

	select {
	case <-b.done:
		if b.err != nil {
			return nil, b.err
		}
		if conn, ok := b.found[id]; ok {
			return conn, nil
		}
		return nil, &Error{Kind: KindDecode, Operation: BatchOperationName(len(b.ids)), Message: "the server's answer lacks a requested connection"}
	case <-ctx.Done():
		r.leave(b)
		return nil, canceled(OpGetConnection, ctx.Err())
	}
}

// flush sends the batch when its window ends, unless it was sent or abandoned. While
// another batch is in flight it waits for that one's answer and keeps collecting
// reads: the CLI then gets one request per round of reads instead of several.
func (r *readCoalescer) flush(c *Client, b *idBatch) {
	r.mu.Lock()
	if b.sent {
		r.mu.Unlock()
		return
	}
	if r.inflight > 0 && r.pending == b {
		b.ready = true
		r.mu.Unlock()
		return
	}
	if r.pending == b {
		r.pending = nil
	}
	b.sent = true
	r.inflight++
	r.mu.Unlock()
	r.send(c, b)
}

// send sends a batch, then a batch that was held back while it was in flight.
func (r *readCoalescer) send(c *Client, b *idBatch) {
	c.sendBatch(b)
	r.mu.Lock()
	r.inflight--
	next := r.pending
	if next == nil || !next.ready || next.sent {
		r.mu.Unlock()
		return
	}
	r.pending = nil
	next.sent = true
	r.inflight++
	r.mu.Unlock()
	go r.send(c, next)
}

// leave is a waiter giving up: the last one to leave abandons the batch (and
// cancels its request), the others are unaffected.
func (r *readCoalescer) leave(b *idBatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b.live--
	if b.live > 0 {
		return
	}
	if r.pending == b {
		r.pending = nil
		b.timer.Stop()
		b.sent = true
	}
	b.cancel()
}

func (c *Client) sendBatch(b *idBatch) {
	defer close(b.done)
	defer b.cancel()
	if len(b.ids) == 1 {
		conn, err := c.getConnection(b.ctx, b.ids[0])
		b.found, b.err = map[string]*Connection{b.ids[0]: conn}, err
		return
	}
	vars := make(map[string]any, len(b.ids))
	for i, id := range b.ids {
		vars[fmt.Sprintf("id%d", i)] = id
	}
	var out map[string]*Connection
	if err := c.call(b.ctx, BatchOperationName(len(b.ids)), vars, nil, &out); err != nil {
		b.err = err
		return
	}
	b.found = make(map[string]*Connection, len(b.ids))
	for i, id := range b.ids {
		if conn, ok := out[fmt.Sprintf("c%d", i)]; ok {
			b.found[id] = conn
		}
	}
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
	r.mu.Lock()
	if r.wrote {
		r.mu.Unlock()
		return c.connectionProven(ctx, workspace, id)
	}
	l := r.listings[workspace]
	if l == nil {
		l = &listing{done: make(chan struct{})}
		r.listings[workspace] = l
		go c.fetchListing(context.WithoutCancel(ctx), workspace, l)
	}
	r.mu.Unlock()

	select {
	case <-l.done:
	case <-ctx.Done():
		return nil, canceled(OpListWorkspaceConnections, ctx.Err())
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

func (c *Client) fetchListing(ctx context.Context, workspace string, l *listing) {
	defer close(l.done)
	conns, err := c.WorkspaceConnections(ctx, workspace)
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
