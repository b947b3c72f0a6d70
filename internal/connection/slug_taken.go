package connection

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// slugTakenAt is what a slug-taken error knows beyond the holder: whether it is
// given at plan, and whether the holder could be the resource's own old object.
type slugTakenAt struct {
	// planning is set at plan time: a `destroy` then stops on the same error.
	planning bool
	// name is the planned name: a holder of this type with this name may be the
	// resource's own old object, which a create_before_destroy replacement meets
	// (the CLI asks a provider to plan the create of a tainted resource, and to
	// apply it with create_before_destroy, without telling it which object it replaces).
	name string
}

// addSlugTaken reports a slug held by another connection, on the attribute it comes
// from, with what to do: create the new object after the old one is destroyed when
// the holder may be this resource's own old object, import that connection, or
// choose another slug.
func (r *connectionResource) addSlugTaken(workspace, wanted string, holder *openhexa.Connection, configured bool, outcome string, at slugTakenAt, diags *diag.Diagnostics) {
	attr, origin := path.Root(attrSlug), ""
	if !configured {
		attr, origin = path.Root(attrName), ", derived from the name,"
	}
	by := "another connection"
	if holder != nil {
		by = describe(holder)
	}
	detail := fmt.Sprintf("The slug %q%s is already used in workspace %q by %s. %s\n\n", wanted, origin, workspace, by, outcome)
	resourceType := r.kind.ResourceTypeName()
	switch {
	case holder != nil && holder.Type != r.kind.APIType:
		other := "no resource of this provider"
		if k := KindByAPIType(holder.Type); k != nil {
			other = k.ResourceTypeName()
		}
		detail += fmt.Sprintf("That connection has another type (manage it with %s). ", other)
	default:
		mayBeOwn := holder != nil && holder.Name == at.name
		if mayBeOwn {
			detail += "If that connection is this resource's own old object (the resource is tainted, or replaced " +
				"while it has `create_before_destroy`): " + ownOldObject + "\n\n"
		}
		detail += importHint(resourceType, workspace, wanted, mayBeOwn) + "\n\n"
	}
	if at.planning {
		detail += "A `destroy` of this configuration stops on this error too, since the CLI plans the configuration " +
			"before it destroys anything; `destroy -refresh=false` skips that plan and is safe: each delete proves " +
			"on its own that its connection is gone, and deletes only what state holds.\n\n"
	}
	detail += "To create a separate connection, set `slug` to a free one: two connections whose names derive " +
		"the same slug need an explicit `slug` on one of them."
	diags.AddAttributeError(attr, "Connection slug already in use", detail)
}

// ownOldObject says why a resource cannot be re-created under the slug its own old
// object holds, and what to do instead.
const ownOldObject = "OpenHEXA keeps one connection per slug in a workspace, so a new object cannot take the " +
	"slug while the old one holds it: with `create_before_destroy` the CLI creates first, and a tainted " +
	"resource's plan cannot tell its old object from another connection. Give the new object another slug, or " +
	"drop `create_before_destroy` and replace the resource with `-replace=<address>` (`untaint <address>` first " +
	"if it is tainted), which destroys the old object before it creates the new one. A create_before_destroy " +
	"replacement that failed this way leaves the old object in state as deposed (the plan shows it \"will be " +
	"destroyed\"): another slug finishes the replacement; to keep the old object instead, `state rm <address>` " +
	"and import it with the block below. `adopt_identical` is no way out here: it would adopt the old object " +
	"instead of replacing it."
