package openhexa

import "context"

// ListedBySlug answers which connection of the workspace holds the slug, from the
// run's listing of the workspace (the one refreshes use: without fields, or with
// them when withFields is set), so that a plan checking the slugs of its creates
// costs no request per resource. conn is nil when no listed connection holds the
// slug. listed is false, with nothing sent, once this client has written: the
// listings are off then (see listing.go) and the caller decides without them.
func (c *Client) ListedBySlug(ctx context.Context, workspace, slug string, withFields bool) (conn *Connection, listed bool, err error) {
	if c.reads == nil || workspace == "" {
		return nil, false, nil
	}
	l := c.listingOf(ctx, workspace, !withFields)
	if l == nil {
		return nil, false, nil
	}
	op := OpListWorkspaceConnectionSummaries
	if withFields {
		op = OpListWorkspaceConnections
	}
	select {
	case <-l.done:
	case <-ctx.Done():
		return nil, true, canceled(op, ctx.Err())
	}
	if l.err != nil {
		return nil, true, l.err
	}
	for id, listed := range l.byID {
		if listed.Slug == slug {
			return l.lookup(id), true, nil
		}
	}
	return nil, true, nil
}
