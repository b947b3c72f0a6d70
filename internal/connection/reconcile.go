package connection

import (
	"context"
	"errors"
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A mutation that failed ambiguously (the network dropped, a 5xx, a top-level error)
// may or may not have been applied. It is never sent again blindly: the provider
// looks at the server first, and only re-sends what it can prove is missing or what
// is idempotent (an update with the full field list, a delete).

func ambiguous(err error) bool {
	var apiErr *openhexa.Error
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.Ambiguous || apiErr.Kind == openhexa.KindGraphQL
}

// slugTakenError is a create refused before anything was written: the slug it would
// use is held by another connection of the workspace.
type slugTakenError struct {
	slug   string
	holder *openhexa.Connection
	// What became of a copy this attempt may have made under a suffixed slug when
	// the slug was taken in a race (race.go); all zero when nothing was created.
	race raceOutcome
	// refusal says why adopt_identical did not adopt the holder (adopt.go); "" when
	// it was off or did not apply.
	refusal string
}

func (e *slugTakenError) Error() string {
	return fmt.Sprintf("the slug %q is already used by %s", e.slug, describe(e.holder))
}

// createReconciled creates the connection under the slug it asks for (input.Slug is
// set on every create the plan allows). It first checks that the slug is free: a
// connection already there was not made by this attempt, so it is reported, never
// adopted. That check is also the proof reconcile needs: after an ambiguous failure,
// a connection that holds the slug with the content sent, created (by the server's
// clock) no earlier than that check, is this attempt's when no copy with that content
// sits under the slug with a suffix (ownCopy); it is adopted. When none holds it, the
// create did not happen and is sent once more.
func (r *connectionResource) createReconciled(ctx context.Context, input openhexa.CreateConnectionInput) (*openhexa.Connection, error) {
	if input.Slug == nil {
		return r.data.Client.CreateConnection(ctx, input)
	}
	holder, began, err := r.data.Client.ConnectionBySlugAt(ctx, input.WorkspaceSlug, *input.Slug)
	if err != nil {
		return nil, err
	}
	if holder != nil {
		return nil, &slugTakenError{slug: *input.Slug, holder: holder}
	}
	conn, err := r.data.Client.CreateConnection(ctx, input)
	for resent := 0; err != nil && ambiguous(err) && resent < maxCreateResends; resent++ {
		tflog.Warn(ctx, "create failed ambiguously; looking for the connection it may have created",
			map[string]any{"workspace": input.WorkspaceSlug, "slug": *input.Slug})
		found, lookupErr := r.data.Client.ConnectionBySlug(ctx, input.WorkspaceSlug, *input.Slug)
		switch {
		case lookupErr != nil:
			return nil, err
		case found == nil:
			// Proven absent: sending again cannot duplicate it.
			conn, err = r.data.Client.CreateConnection(ctx, input)
		case sameContent(found, input.Type, input.Name, input.Description, input.Fields) && r.ownCopy(ctx, input, found, began):
			tflog.Info(ctx, "adopting the connection the failed create made", map[string]any{"id": found.ID})
			return found, nil
		default:
			// Someone else took the slug meanwhile; this attempt, if applied, got a
			// suffixed slug: find that copy and undo it (race.go).
			return nil, &slugTakenError{slug: *input.Slug, holder: found, race: r.undoRacedCopy(ctx, input, found, began)}
		}
	}
	return conn, err
}

// maxCreateResends bounds the creates sent again after ambiguous failures, each only
// once the connection is proven absent.
const maxCreateResends = 3

// sameContent reports whether conn holds what was sent. Secret values the token may
// not read, and values sent as null (kept), are not compared.
func sameContent(conn *openhexa.Connection, t openhexa.ConnectionType, name, description string, fields []openhexa.FieldInput) bool {
	if conn.Type != t || conn.Name != name || conn.DescriptionOrEmpty() != description || len(conn.Fields) != len(fields) {
		return false
	}
	for _, want := range fields {
		got, ok := conn.Field(want.Code)
		if !ok || got.Secret != want.Secret {
			return false
		}
		if want.Value != nil && got.Value != nil && *got.Value != *want.Value {
			return false
		}
	}
	return true
}

// updateReconciled updates the connection; an update carries the full desired state,
// so after an ambiguous failure it is re-sent once unless the server already holds it.
func (r *connectionResource) updateReconciled(ctx context.Context, input openhexa.UpdateConnectionInput, t openhexa.ConnectionType) (*openhexa.Connection, error) {
	conn, err := r.data.Client.UpdateConnection(ctx, input)
	if err == nil || !ambiguous(err) {
		return conn, err
	}
	current, readErr := r.data.Client.Connection(ctx, input.ID)
	if readErr != nil || current == nil {
		return nil, err
	}
	if current.Name == *input.Name && current.DescriptionOrEmpty() == *input.Description &&
		(input.Slug == nil || current.Slug == *input.Slug) &&
		(!input.SendsFields() || sameContent(current, t, *input.Name, *input.Description, input.Fields)) {
		tflog.Info(ctx, "the failed update was applied", map[string]any{"id": input.ID})
		return current, nil
	}
	tflog.Warn(ctx, "update failed ambiguously and is not on the server; sending it again", map[string]any{"id": input.ID})
	return r.data.Client.UpdateConnection(ctx, input)
}

// deleteReconciled deletes the connection. NOT_FOUND is success only once a listing
// of the workspace proves the connection gone (absence.go): OpenHEXA answers it
// alike for a workspace the token cannot see. After an ambiguous failure the
// connection is looked up the same way and the delete re-sent if it remains.
func (r *connectionResource) deleteReconciled(ctx context.Context, workspace, id string) error {
	err := r.data.Client.DeleteConnection(ctx, id)
	if err == nil {
		return nil
	}
	if openhexa.IsKind(err, openhexa.KindNotFound) {
		_, err = r.provenGone(ctx, workspace, id, err)
		return err
	}
	if !ambiguous(err) {
		return err
	}
	current, readErr := r.data.Client.ConnectionInWorkspace(ctx, workspace, id)
	if readErr != nil {
		return err
	}
	if current == nil {
		return nil
	}
	err = r.data.Client.DeleteConnection(ctx, id)
	if err == nil {
		return nil
	}
	_, err = r.provenGone(ctx, workspace, id, err)
	return err
}
