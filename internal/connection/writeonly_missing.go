package connection

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A write-only value with a version may be null in a run (a CI plan made with a
// read-only token and no secrets): nothing compares it, and a plan that sends
// nothing needs none. When this run must send it (a create, a new version, a field
// OpenHEXA lacks, the credential check of verify), the plan warns on the attribute
// and the apply fails before any request that writes, so nothing is half-written;
// a replacement, whose delete would come first, fails at plan (in its create half
// too, the only half that sees a `-replace`).

// writeOnlyPath is where a write-only value is configured.
func (k *Kind) writeOnlyPath(code string) path.Path {
	if k.Custom {
		return path.Root(attrCustomSecretsWO).AtMapKey(code)
	}
	return path.Root(code + writeOnlySuffix)
}

// missingWriteOnly lists the write-only values left null (WONull) that a create needs:
// every one.
func missingWriteOnly(planned []plannedField) []pendingWriteOnly {
	var out []pendingWriteOnly
	for _, pf := range planned {
		if pf.WONull {
			out = append(out, pendingWriteOnly{Code: pf.Code, Reason: "the connection is created", Missing: true})
		}
	}
	return out
}

// missingOnUpdate keeps, of the values an update sends (writeOnlyPending), those the
// configuration leaves null.
func missingOnUpdate(pending []pendingWriteOnly) []pendingWriteOnly {
	var out []pendingWriteOnly
	for _, w := range pending {
		if w.Missing {
			out = append(out, w)
		}
	}
	return out
}

// verifies reports whether an apply runs OpenHEXA's credential check first.
func (k *Kind) verifies(ctx context.Context, config getter) bool {
	if k.Custom {
		return false // custom connections have no check, nor the attribute
	}
	var verify types.Bool
	return !config.GetAttribute(ctx, path.Root(attrVerify), &verify).HasError() && verify.ValueBool()
}

// refuseMissingWriteOnly fails an apply that needs write-only values the configuration
// leaves null, on each attribute, before anything is sent; false when none is missing.
func (k *Kind) refuseMissingWriteOnly(missing []pendingWriteOnly, diags *diag.Diagnostics) bool {
	for _, m := range missing {
		at := k.writeOnlyPath(m.Code)
		diags.AddAttributeError(at, "Write-only secret missing",
			fmt.Sprintf("This apply must send the write-only value of %s to OpenHEXA (%s), and the configuration "+
				"leaves it null. Nothing was sent to OpenHEXA. Give %s its value (in CI, the variable that feeds it, "+
				"in the apply job) and apply again.", at, m.Reason, at))
	}
	return len(missing) > 0
}

// refuseReplacementWithoutWriteOnly fails the plan of a replacement that leaves a
// write-only value null: the apply deletes the connection before the create that
// must send it, so a create refused then would leave no connection at all.
func (k *Kind) refuseReplacementWithoutWriteOnly(planned []plannedField, diags *diag.Diagnostics) bool {
	missing := missingWriteOnly(planned)
	for _, m := range missing {
		at := k.writeOnlyPath(m.Code)
		diags.AddAttributeError(at, "Write-only secret missing",
			fmt.Sprintf("This plan replaces the connection: the apply deletes it, then creates it anew, which must "+
				"send the write-only value of %s, and the configuration leaves it null. A create refused after the "+
				"delete would leave no connection, so the plan stops here. Give %s its value and plan again.", at, at))
	}
	return len(missing) > 0
}

// warnWriteOnlySent says, on the plan, which write-only values the apply sends and
// why (a write-only value never shows in a plan), and which of them this plan was
// made without.
func (k *Kind) warnWriteOnlySent(pending []pendingWriteOnly, diags *diag.Diagnostics) {
	for _, w := range pending {
		at := k.writeOnlyPath(w.Code)
		detail := fmt.Sprintf("Applying sends the write-only value of %s to OpenHEXA again: %s.", at, w.Reason)
		if w.Missing {
			detail = fmt.Sprintf("Applying sends the write-only value of %s to OpenHEXA: %s. This plan was made "+
				"without the value (it is null): the apply must be given it, or it fails before sending anything.",
				at, w.Reason)
		}
		diags.AddAttributeWarning(at, "Write-only secret will be sent", detail)
	}
}

// planCreateWriteOnly warns, on the plan of a create, about each versioned write-only
// value the configuration leaves null, which the create must send; the create half of
// a replacement (replacing) fails instead, since its delete comes first.
func (r *connectionResource) planCreateWriteOnly(ctx context.Context, v *planValues, replacing bool, resp *resource.ModifyPlanResponse) {
	if resp.Diagnostics.HasError() {
		return
	}
	planned, known, diags := v.createFields(ctx, r.kind)
	if !known || diags.HasError() {
		return
	}
	if replacing {
		r.kind.refuseReplacementWithoutWriteOnly(planned, &resp.Diagnostics)
		return
	}
	r.kind.warnWriteOnlySent(missingWriteOnly(planned), &resp.Diagnostics)
}
