package connection

import (
	"context"
	"fmt"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// With the provider setting adopt_identical (off by default), a create whose slug
// is taken adopts the connection there instead of failing, when that connection has
// the resource's type and exactly the planned content. It is how an interrupted
// apply is finished in one step: OpenHEXA made the connections, the CLI never saved
// them. Off by default, because two configurations must never manage one
// connection without knowing it.

// contentDiffers lists, in the user's words and without any value, what differs
// between the connection and the planned content: name, description, and every
// field's code, secret flag and value (the configured write-only value for a
// write-only field). A secret whose value the token may not read counts as
// different: it cannot be proven identical. unknown is true when a planned value is
// known only at apply, so that nothing can be decided yet.
func contentDiffers(conn *openhexa.Connection, name, description types.String, planned []plannedField) (diffs []string, unknown bool) {
	switch {
	case name.IsUnknown():
		unknown = true
	case conn.Name != name.ValueString():
		diffs = append(diffs, "name")
	}
	switch {
	case description.IsUnknown():
		unknown = true
	case conn.DescriptionOrEmpty() != description.ValueString():
		diffs = append(diffs, "description")
	}
	want := map[string]bool{}
	for _, pf := range planned {
		want[pf.Code] = true
		value := pf.Value
		if pf.WriteOnly {
			value = pf.WOValue
		}
		got, ok := conn.Field(pf.Code)
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("field %q (OpenHEXA does not hold it)", pf.Code))
		case got.Secret != pf.Secret:
			diffs = append(diffs, fmt.Sprintf("field %q (secret flag)", pf.Code))
		case value == nil:
			unknown = true
		case got.Value == nil:
			diffs = append(diffs, fmt.Sprintf("field %q (its secret value cannot be read with this token)", pf.Code))
		case *got.Value != *value:
			diffs = append(diffs, fmt.Sprintf("field %q (value)", pf.Code))
		}
	}
	for _, f := range conn.Fields {
		if !want[f.Code] {
			diffs = append(diffs, fmt.Sprintf("field %q (not in the configuration)", f.Code))
			want[f.Code] = true // a code held twice is named once
		}
	}
	return diffs, unknown
}

// adoptRefusal is the sentence that explains why adopt_identical did not adopt.
func adoptRefusal(diffs []string) string {
	return fmt.Sprintf("`adopt_identical` is on, but that connection differs from the configuration in: %s; "+
		"it adopts only an identical connection, so it did not adopt this one.", strings.Join(diffs, ", "))
}

// adoptOnCreate adopts the holder of a taken slug when adopt_identical is on and its
// content is the planned one; it reports whether it did (state and warning set).
// Otherwise it notes in taken why not, for the error the caller gives.
func (r *connectionResource) adoptOnCreate(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse, planned []plannedField, p *privateData, sentWO map[string]string, taken *slugTakenError) bool {
	holder := taken.holder
	if r.data == nil || !r.data.AdoptIdentical || holder == nil || holder.Type != r.kind.APIType || taken.race.raced {
		return false
	}
	plan, diags := getCommon(ctx, req.Plan)
	if diags.HasError() {
		return false
	}
	if diffs, unknown := contentDiffers(holder, plan.Name, plan.Description, planned); unknown || len(diffs) > 0 {
		if len(diffs) > 0 {
			taken.refusal = adoptRefusal(diffs)
		}
		return false
	}
	workspace := plan.Workspace.ValueString()
	tflog.Info(ctx, "adopting the identical connection that holds the slug", map[string]any{"id": holder.ID, "slug": holder.Slug})
	r.data.NoteAdopted(workspace, holder.Slug, holder.ID)
	p.settleWriteOnly(planned, sentWO, r.versioned(ctx, req.Config))
	resp.Diagnostics.Append(r.setFromServer(ctx, workspace, holder, req.Plan.Raw, &resp.State, p)...)
	resp.Diagnostics.Append(p.save(ctx, resp.Private)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, workspace, holder.ID)...)
	resp.Diagnostics.AddWarning("Existing connection adopted",
		fmt.Sprintf("The slug %q was already used in workspace %q by %s, whose content is identical to the "+
			"configuration, so `adopt_identical` adopted it into state instead of creating another one.",
			holder.Slug, workspace, describe(holder)))
	return true
}
