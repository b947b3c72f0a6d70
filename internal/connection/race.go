package connection

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A create races another client for its slug when the slug is taken between the
// provider's free-slug check and the create. OpenHEXA then stores the create under
// the slug with a "-xxxx" suffix; when the answer reaches the provider,
// refuseSuffixedSlug undoes it. When the answer is lost, the provider finds the slug
// held by another's content and must look for the copy itself: a connection under
// the suffixed slug, with the content this attempt sent, created no earlier than
// the holder (the holder appeared after the free-slug check, and the suffix was
// given because the holder was there) and no earlier than the attempt began, is this
// attempt's own and is deleted; when it cannot be deleted, it goes to state with the
// error (tainted), so nothing is left that no state knows of. Its content alone does
// not make a holder this attempt's: another client may have made the same at the
// same moment, so ownCopy asks for the holder's date and the absence of such a copy.

// raceOutcome is what became of the copy an ambiguous create may have made.
type raceOutcome struct {
	raced     bool // the slug was found taken after an ambiguous create
	workspace string
	slug      string
	listErr   error                // the workspace could not be listed to look for the copy
	copy      *openhexa.Connection // this attempt's copy; nil when the listing shows none
	deleteErr error                // why the copy could not be deleted; nil when it was
}

// outcome says truthfully what this attempt left in OpenHEXA, and why the holder was
// not adopted when adopt_identical is on.
func (e *slugTakenError) outcome() string {
	if e.refusal != "" {
		return e.raceOutcome() + " " + e.refusal
	}
	return e.raceOutcome()
}

func (e *slugTakenError) raceOutcome() string {
	o := e.race
	switch {
	case !o.raced:
		return "Nothing was created."
	case o.listErr != nil:
		return fmt.Sprintf("The create was sent but its answer was lost, and the workspace could not be listed to "+
			"look for what it made (%s): look in workspace %q for a connection named like this one whose slug is "+
			"%q followed by a dash and four characters, and delete it.", o.listErr, o.workspace, o.slug)
	case o.copy == nil:
		return "The create was sent but its answer was lost; a listing of the workspace shows that it created " +
			"nothing. Nothing was created."
	case o.deleteErr == nil:
		return fmt.Sprintf("The create was sent but its answer was lost; OpenHEXA had stored this attempt's "+
			"connection under the slug %q (id %s), and the provider deleted it, so nothing of this attempt is left.",
			o.copy.Slug, o.copy.ID)
	default:
		return fmt.Sprintf("The create was sent but its answer was lost; OpenHEXA stored this attempt's connection "+
			"under the slug %q (id %s), and the provider could not delete it (%s): it is saved in state as tainted, "+
			"and the next apply deletes it.", o.copy.Slug, o.copy.ID, o.deleteErr)
	}
}

// undoRacedCopy looks for the copy this attempt made under a suffixed slug, after
// an ambiguous create found its slug held by holder, and deletes it. began is when
// the attempt began, by the server's clock.
func (r *connectionResource) undoRacedCopy(ctx context.Context, input openhexa.CreateConnectionInput, holder *openhexa.Connection, began time.Time) raceOutcome {
	o := raceOutcome{raced: true, workspace: input.WorkspaceSlug, slug: *input.Slug}
	conns, err := r.data.Client.WorkspaceConnections(ctx, input.WorkspaceSlug)
	if err != nil {
		o.listErr = err
		return o
	}
	o.copy = suffixedCopy(conns, input, holder, began)
	if o.copy == nil {
		return o
	}
	tflog.Warn(ctx, "the slug was taken in a race; deleting the copy this create made", map[string]any{"id": o.copy.ID, "slug": o.copy.Slug})
	if err := r.data.Client.DeleteConnection(ctx, o.copy.ID); err != nil {
		if gone, proveErr := r.provenGone(ctx, input.WorkspaceSlug, o.copy.ID, err); !gone {
			o.deleteErr = proveErr
		}
	}
	return o
}

// suffixedCopy returns, among conns, the copy an attempt that began at began made
// under its slug with a suffix, because holder took the slug meanwhile: the content
// sent, created no earlier than the holder and than the attempt (when its beginning
// is known); nil when there is none.
func suffixedCopy(conns []openhexa.Connection, input openhexa.CreateConnectionInput, holder *openhexa.Connection, began time.Time) *openhexa.Connection {
	suffixed := regexp.MustCompile(`^` + regexp.QuoteMeta(*input.Slug) + `-[0-9a-f]{4}$`)
	for i := range conns {
		c := &conns[i]
		if suffixed.MatchString(c.Slug) && sameContent(c, input.Type, input.Name, input.Description, input.Fields) &&
			createdNoEarlier(c, holder) && (began.IsZero() || createdSince(c, began)) {
			return c
		}
	}
	return nil
}

// ownCopy reports whether holder, which holds the slug with the content an ambiguous
// create sent, is that create's: created no earlier than the attempt began, and no
// copy of the attempt sits under a suffixed slug (then the holder is another's, made
// at the same moment). Nothing unproven counts: a listing that fails, a date missing.
func (r *connectionResource) ownCopy(ctx context.Context, input openhexa.CreateConnectionInput, holder *openhexa.Connection, began time.Time) bool {
	if !createdSince(holder, began) {
		return false
	}
	conns, err := r.data.Client.WorkspaceConnections(ctx, input.WorkspaceSlug)
	return err == nil && suffixedCopy(conns, input, holder, began) == nil
}

// createdNoEarlier reports whether a was created no earlier than b, by the server's
// clock; false when either time does not parse (nothing is proven then).
func createdNoEarlier(a, b *openhexa.Connection) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a.CreatedAt)
	tb, errB := time.Parse(time.RFC3339Nano, b.CreatedAt)
	return errA == nil && errB == nil && !ta.Before(tb)
}

// createdSince reports whether c was created at or after t (the server's Date, whole
// seconds); false when t is unknown or createdAt does not parse.
func createdSince(c *openhexa.Connection, t time.Time) bool {
	created, err := time.Parse(time.RFC3339Nano, c.CreatedAt)
	return !t.IsZero() && err == nil && !created.Before(t)
}

// keepRacedCopy saves in state a copy of this attempt that could not be deleted:
// with the create's error, the CLI marks it tainted and the next apply deletes it.
func (r *connectionResource) keepRacedCopy(ctx context.Context, workspace string, taken *slugTakenError, planRaw tftypes.Value, resp *resource.CreateResponse) {
	if taken.race.copy == nil || taken.race.deleteErr == nil {
		return
	}
	p := &privateData{}
	resp.Diagnostics.Append(r.setFromServer(ctx, workspace, taken.race.copy, planRaw, &resp.State, p)...)
	resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, workspace, taken.race.copy.ID)...)
}
