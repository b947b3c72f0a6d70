package openhexa

import (
	"context"
	"sort"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

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

// ListedSlugKin returns the connections of the workspace's run listing whose slug
// names the same environment variables as connSlug (slug.ConstantCase: equal but for
// case, and '-', '.' and white space against '_'), a holder of connSlug itself
// included, sorted by slug: the connections the OpenHEXA SDK may take for one
// another. It answers from the listing the run read (with fields or without),
// indexed once, at no request of its own; without one, it lists the workspace's
// summaries only when fetch is set. listed is false, with nothing sent, when there is
// no listing to answer from: this client has written, or fetch is false and the run
// has listed nothing.
func (c *Client) ListedSlugKin(ctx context.Context, workspace, connSlug string, fetch bool) (kin []Connection, listed bool, err error) {
	if c.reads == nil || workspace == "" {
		return nil, false, nil
	}
	l, op := c.reads.existing(workspace)
	if l == nil && fetch {
		l, op = c.listingOf(ctx, workspace, true), OpListWorkspaceConnectionSummaries
	}
	if l == nil {
		return nil, false, nil
	}
	if _, err := l.wait(ctx, op, ""); err != nil {
		return nil, true, err
	}
	l.kinOnce.Do(func() {
		l.kin = map[string][]string{}
		for id, conn := range l.byID {
			key := slug.ConstantCase(conn.Slug)
			l.kin[key] = append(l.kin[key], id)
		}
	})
	for _, id := range l.kin[slug.ConstantCase(connSlug)] {
		kin = append(kin, *l.lookup(id))
	}
	sort.Slice(kin, func(i, j int) bool { return kin[i].Slug < kin[j].Slug })
	return kin, true, nil
}

// existing returns the run's listing of the workspace that has been asked for
// already, the one with fields first; nil when there is none or listings are off.
func (r *listings) existing(workspace string) (*listing, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.wrote {
		return nil, ""
	}
	if l := r.byWS[workspace]; l != nil {
		return l, OpListWorkspaceConnections
	}
	if l := r.summaries[workspace]; l != nil {
		return l, OpListWorkspaceConnectionSummaries
	}
	return nil, ""
}
