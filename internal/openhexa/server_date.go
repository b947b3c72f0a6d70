package openhexa

import (
	"context"
	"net/http"
	"time"
)

// The server's clock, as its answers' Date header gives it (to the second): what a
// caller compares the server's own timestamps (createdAt) with, since the provider's
// clock may differ from the server's.

type serverDateKey struct{}

// withServerDate returns ctx with a place where the answer to a request made with
// it leaves its Date.
func withServerDate(ctx context.Context, at *time.Time) context.Context {
	return context.WithValue(ctx, serverDateKey{}, at)
}

// noteServerDate records an answer's Date where the request's context asks for it.
func noteServerDate(ctx context.Context, header http.Header) {
	at, ok := ctx.Value(serverDateKey{}).(*time.Time)
	if !ok || at == nil {
		return
	}
	if t, err := http.ParseTime(header.Get("Date")); err == nil {
		*at = t.UTC()
	}
}

// ConnectionBySlugAt is ConnectionBySlug, and when the server answered by its clock
// (its Date header, whole seconds); zero when the answer carries no date.
func (c *Client) ConnectionBySlugAt(ctx context.Context, workspace, slug string) (*Connection, time.Time, error) {
	var at time.Time
	conn, err := c.ConnectionBySlug(withServerDate(ctx, &at), workspace, slug)
	return conn, at, err
}
