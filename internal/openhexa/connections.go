package openhexa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Me returns who the token belongs to; Me.User is nil when the token was not accepted.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var out struct {
		Me Me `json:"me"`
	}
	if err := c.call(ctx, OpMe, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out.Me, nil
}

// Workspace returns the workspace, or nil when it does not exist or is not visible.
func (c *Client) Workspace(ctx context.Context, slug string) (*Workspace, error) {
	var out struct {
		Workspace *Workspace `json:"workspace"`
	}
	if err := c.call(ctx, OpGetWorkspace, map[string]any{"slug": slug}, nil, &out); err != nil {
		return nil, err
	}
	return out.Workspace, nil
}

// workspacesPerPage is the page size asked of the workspaces query (the server's
// default is 15).
const workspacesPerPage = 100

// maxWorkspacePages bounds the listing, so a server that never reports its last
// page cannot keep the client asking forever.
const maxWorkspacePages = 1000

// Workspaces lists every workspace the token can see (slug and name only), page by
// page, in the server's order.
func (c *Client) Workspaces(ctx context.Context) ([]Workspace, error) {
	var all []Workspace
	seen := map[string]bool{}
	for page := 1; page <= maxWorkspacePages; page++ {
		var out struct {
			Workspaces struct {
				PageNumber int         `json:"pageNumber"`
				TotalPages int         `json:"totalPages"`
				Items      []Workspace `json:"items"`
			} `json:"workspaces"`
		}
		if err := c.call(ctx, OpListWorkspaces, map[string]any{"page": page, "perPage": workspacesPerPage}, nil, &out); err != nil {
			return nil, err
		}
		for _, ws := range out.Workspaces.Items {
			// A workspace updated while paging may move to an earlier page and
			// show twice; keep its first appearance.
			if !seen[ws.Slug] {
				seen[ws.Slug] = true
				all = append(all, ws)
			}
		}
		if len(out.Workspaces.Items) == 0 || page >= out.Workspaces.TotalPages {
			return all, nil
		}
	}
	return nil, &Error{Kind: KindDecode, Operation: OpListWorkspaces,
		Message: fmt.Sprintf("the server still reports more workspaces after %d pages", maxWorkspacePages)}
}

// WorkspaceConnections lists a workspace's connections, most recently updated first.
func (c *Client) WorkspaceConnections(ctx context.Context, workspace string) ([]Connection, error) {
	return c.listConnections(ctx, OpListWorkspaceConnections, workspace)
}

// WorkspaceConnectionSummaries lists the workspace's connections without their
// fields (Fields is nil).
func (c *Client) WorkspaceConnectionSummaries(ctx context.Context, workspace string) ([]Connection, error) {
	return c.listConnections(ctx, OpListWorkspaceConnectionSummaries, workspace)
}

// listConnections sends a listing operation, which selects workspace(slug).connections.
func (c *Client) listConnections(ctx context.Context, op, workspace string) ([]Connection, error) {
	var out struct {
		Workspace *struct {
			Connections []Connection `json:"connections"`
		} `json:"workspace"`
	}
	if err := c.call(ctx, op, map[string]any{"slug": workspace}, nil, &out); err != nil {
		return nil, err
	}
	if out.Workspace == nil {
		return nil, WorkspaceNotFound(op, workspace)
	}
	return out.Workspace.Connections, nil
}

// Connection returns the connection with that id, or nil when it does not exist or
// is not visible (the API does not tell which: see ConnectionInWorkspace).
func (c *Client) Connection(ctx context.Context, id string) (*Connection, error) {
	var out struct {
		Connection *Connection `json:"connection"`
	}
	if err := c.call(ctx, OpGetConnection, map[string]any{"id": id}, nil, &out); err != nil {
		return nil, err
	}
	return out.Connection, nil
}

// ConnectionBySlug returns the connection with that slug in that workspace, or nil.
func (c *Client) ConnectionBySlug(ctx context.Context, workspace, slug string) (*Connection, error) {
	var out struct {
		Connection *Connection `json:"connectionBySlug"`
	}
	vars := map[string]any{"workspaceSlug": workspace, "connectionSlug": slug}
	if err := c.call(ctx, OpGetConnectionBySlug, vars, nil, &out); err != nil {
		return nil, err
	}
	return out.Connection, nil
}

type mutationResult struct {
	Success    bool        `json:"success"`
	Errors     []string    `json:"errors"`
	Connection *Connection `json:"connection"`
}

// CreateConnection creates a connection and returns it as the server stored it (the
// slug may differ from the one asked for: read it back).
func (c *Client) CreateConnection(ctx context.Context, input CreateConnectionInput) (*Connection, error) {
	c.reads.noteWrite() // no cached listing may answer a read from now on (listing.go)
	var out struct {
		Result mutationResult `json:"createConnection"`
	}
	if err := c.call(ctx, OpCreateConnection, map[string]any{"input": input}, secretValues(input.Fields), &out); err != nil {
		return nil, err
	}
	return mutationConnection(OpCreateConnection, input.WorkspaceSlug, out.Result)
}

// SendsFields reports whether the update sends the field list, which replaces every
// field the connection has.
func (in UpdateConnectionInput) SendsFields() bool { return in.Fields != nil || in.ReplaceFields }

// MarshalJSON leaves fields out unless they are to be replaced.
func (in UpdateConnectionInput) MarshalJSON() ([]byte, error) {
	type plain UpdateConnectionInput
	if in.SendsFields() {
		fields := in.Fields
		if fields == nil {
			fields = []FieldInput{}
		}
		return json.Marshal(struct {
			plain
			Fields []FieldInput `json:"fields"`
		}{plain(in), fields})
	}
	return json.Marshal(plain(in))
}

// UpdateConnection updates a connection. Updates are not atomic on the server: after
// any failure, re-read the connection before deciding what to do.
func (c *Client) UpdateConnection(ctx context.Context, input UpdateConnectionInput) (*Connection, error) {
	c.reads.noteWrite() // no cached listing may answer a read from now on (listing.go)
	var out struct {
		Result mutationResult `json:"updateConnection"`
	}
	if err := c.call(ctx, OpUpdateConnection, map[string]any{"input": input}, secretValues(input.Fields), &out); err != nil {
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.Kind == KindGraphQL && strings.Contains(apiErr.Message, "WORKSPACE_CONNECTION_NOT_FOUND") {
			// Not ambiguous: the server found nothing to update, so it changed nothing.
			return nil, &Error{Kind: KindNotFound, Operation: OpUpdateConnection, Code: "WORKSPACE_CONNECTION_NOT_FOUND",
				Message: msgConnectionGone, Err: err}
		}
		return nil, err
	}
	return mutationConnection(OpUpdateConnection, "", out.Result)
}

// DeleteConnection deletes a connection. A connection that does not exist gives an
// error of kind KindNotFound, which callers usually treat as done.
func (c *Client) DeleteConnection(ctx context.Context, id string) error {
	c.reads.noteWrite() // no cached listing may answer a read from now on (listing.go)
	var out struct {
		Result mutationResult `json:"deleteConnection"`
	}
	if err := c.call(ctx, OpDeleteConnection, map[string]any{"input": map[string]any{"id": id}}, nil, &out); err != nil {
		return err
	}
	if !out.Result.Success {
		return businessError(OpDeleteConnection, firstOr(out.Result.Errors, "UNKNOWN"), "")
	}
	return nil
}

// TestConnection asks the server to try the credentials. ok=false with the server's
// message when they do not work. When the token may not test there at all, the
// server answers a bare code instead of a message: that is an error, of kind
// KindPermissionDenied (may not manage connections in the workspace) or
// KindWorkspaceNotFound (cannot see the workspace), not bad credentials.
func (c *Client) TestConnection(ctx context.Context, input TestConnectionInput) (ok bool, message string, err error) {
	var out struct {
		Result struct {
			Success bool    `json:"success"`
			Errors  *string `json:"errors"`
		} `json:"testConnection"`
	}
	secrets := secretValues(input.Fields)
	if err := c.call(ctx, OpTestConnection, map[string]any{"input": input}, secrets, &out); err != nil {
		return false, "", err
	}
	if out.Result.Errors != nil {
		if !out.Result.Success {
			if err := testRightsError(*out.Result.Errors, input.WorkspaceSlug); err != nil {
				return false, "", err
			}
		}
		message = scrub(*out.Result.Errors, secrets, c.token)
	}
	return out.Result.Success, message, nil
}

func mutationConnection(op, workspace string, result mutationResult) (*Connection, error) {
	if !result.Success || len(result.Errors) > 0 {
		return nil, businessError(op, firstOr(result.Errors, "UNKNOWN"), workspace)
	}
	if result.Connection == nil {
		return nil, &Error{Kind: KindDecode, Operation: op, Message: "the server reported success but returned no connection"}
	}
	return result.Connection, nil
}

func secretValues(fields []FieldInput) []string {
	var out []string
	for _, f := range fields {
		if f.Secret && f.Value != nil {
			out = append(out, *f.Value)
		}
	}
	return out
}

func firstOr(list []string, fallback string) string {
	if len(list) > 0 {
		return list[0]
	}
	return fallback
}
