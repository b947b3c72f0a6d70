package connection

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// The OpenHEXA SDK builds a built-in type's connection from exactly the type's codes:
// every one is a required argument of its dataclass (openhexa-sdk 2.22.7,
// workspaces/connection.py), and the fields are passed as keyword arguments
// (current_workspace.py, get_connection). OpenHEXA holds connections with a code
// missing or an extra one, and the provider keeps them as they are; a notebook or
// pipeline cannot read them through the typed call, so the plan says so.

// sdkShape returns the codes of the type OpenHEXA lacks and the codes it holds beyond
// the type's, from the server's layout (code → secret flag).
func (k *Kind) sdkShape(server map[string]bool) (missing, extra []string) {
	if k.Custom || server == nil {
		return nil, nil
	}
	known := map[string]bool{}
	for _, spec := range k.Fields {
		known[spec.Code] = true
		if _, held := server[spec.Code]; !held {
			missing = append(missing, spec.Code)
		}
	}
	for code := range server {
		if !known[code] {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	return missing, extra
}

// warnSDKShape warns when the typed SDK call cannot build this connection.
func (r *connectionResource) warnSDKShape(server map[string]bool, diags *diag.Diagnostics) {
	missing, extra := r.kind.sdkShape(server)
	if len(missing) == 0 && len(extra) == 0 {
		return
	}
	var held []string
	if len(extra) > 0 {
		held = append(held, "fields its type does not have ("+Enumerate(extra, "`", "and")+")")
	}
	if len(missing) > 0 {
		held = append(held, "no "+Enumerate(missing, "`", "or")+" field")
	}
	call := "workspace." + strings.ToLower(string(r.kind.APIType)) + "_connection(...)"
	diags.AddWarning("The OpenHEXA SDK cannot read this connection",
		fmt.Sprintf("OpenHEXA holds this %s connection with %s. The OpenHEXA SDK builds a %s connection from "+
			"exactly its type's fields, so `%s` raises an error for it (checked with openhexa-sdk 2.22.7) and "+
			"notebooks and pipelines cannot use it that way. The provider keeps the fields as OpenHEXA holds "+
			"them; to make the connection readable, set the missing fields here and remove the extra ones in "+
			"OpenHEXA.", r.kind.Title, strings.Join(held, " and "), r.kind.Title, call))
}
