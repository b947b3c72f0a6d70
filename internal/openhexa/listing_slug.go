package openhexa

import (
	"context"
	"sort"

	"github.com/blsq/terraform-provider-openhexa/internal/slug"
)

// ListedBySlug answers which connection of the workspace holds connSlug, from the
// run's listing of the workspace (the one refreshes use), so that a plan checking the
// slugs of its creates costs no request per resource: with fields when withFields is
// set, else the listing the run has already (the one with fields first), or the
// summaries, listed now. conn is nil when no listed connection holds the slug. listed
// is false, with nothing sent, once this client has written: the listings are off
// then (see listing.go) and the caller decides without them.
func (c *Client) ListedBySlug(ctx context.Context, workspace, connSlug string, withFields bool) (conn *Connection, listed bool, err error) {
	l, op := c.slugListing(ctx, workspace, withFields, true)
	if l == nil {
		return nil, false, nil
	}
	if _, err := l.wait(ctx, op, ""); err != nil {
		return nil, true, err
	}
	for _, id := range l.slugKin(connSlug) {
		if l.byID[id].Slug == connSlug {
			return l.lookup(id), true, nil
		}
	}
	return nil, true, nil
}

// ListedSlugKin returns the connections of the workspace's run listing whose slug
// names the same environment variables as connSlug (slug.ConstantCase: equal but for
// case, and '-', '.' and white space against '_'), a holder of connSlug itself
// included, sorted by slug: the connections the OpenHEXA SDK may take for one
// another. It answers from the listing the run read (with fields or without), at no
// request of its own; without one, it lists the workspace's summaries only when fetch
// is set. listed is false, with nothing sent, when there is no listing to answer
// from: this client has written, or fetch is false and the run has listed nothing.
func (c *Client) ListedSlugKin(ctx context.Context, workspace, connSlug string, fetch bool) (kin []Connection, listed bool, err error) {
	l, op := c.slugListing(ctx, workspace, false, fetch)
	if l == nil {
		return nil, false, nil
	}
	if _, err := l.wait(ctx, op, ""); err != nil {
		return nil, true, err
	}
	for _, id := range l.slugKin(connSlug) {
		kin = append(kin, *l.lookup(id))
	}
	sort.Slice(kin, func(i, j int) bool { return kin[i].Slug < kin[j].Slug })
	return kin, true, nil
}

// slugListing returns the run's listing of the workspace that slug questions are
// answered from, and its operation: with fields when withFields is set (started on
// first use); otherwise the one the run has asked for already, the one with fields
// first, or, when fetch is set, the summaries, started now. nil once this client has
// written, or when the run has listed nothing and fetch is not set.
func (c *Client) slugListing(ctx context.Context, workspace string, withFields, fetch bool) (*listing, string) {
	if c.reads == nil || workspace == "" {
		return nil, ""
	}
	if withFields {
		return c.listingOf(ctx, workspace, false), OpListWorkspaceConnections
	}
	if l, op := c.reads.existing(workspace); l != nil || !fetch {
		return l, op
	}
	return c.listingOf(ctx, workspace, true), OpListWorkspaceConnectionSummaries
}

// slugKin returns the ids of the listed connections whose slug names the same
// environment variables as connSlug, from an index built on first use; the listing
// must have arrived.
func (l *listing) slugKin(connSlug string) []string {
	l.kinOnce.Do(func() {
		l.kin = map[string][]string{}
		for id, conn := range l.byID {
			key := slug.ConstantCase(conn.Slug)
			l.kin[key] = append(l.kin[key], id)
		}
	})
	return l.kin[slug.ConstantCase(connSlug)]
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
