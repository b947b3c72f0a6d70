package connection

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// ImportNotes says, one sentence per change, what the first apply after importing
// conn into a configuration that matches it will change in OpenHEXA, and why; nil
// when that plan shows no change. Everything else OpenHEXA holds (extra fields,
// missing optional fields, empty values, a port that is not a number, codes the
// provider would not create) is kept as it is, so it needs no note. The exporter
// puts these sentences in its summary and above the resource.
func ImportNotes(conn openhexa.Connection) []string {
	k := KindByAPIType(conn.Type)
	if k == nil || k.Custom {
		return nil
	}
	var notes []string
	for _, spec := range k.Fields {
		f, held := conn.Field(spec.Code)
		switch {
		case held && spec.Secret && !f.Secret:
			notes = append(notes, fmt.Sprintf("The first apply sets the secret flag of the field %q: OpenHEXA holds "+
				"it without one, so anyone who can see the workspace (viewers too) can read its value; the value "+
				"itself is unchanged.", spec.Code))
		case !held && spec.Required:
			notes = append(notes, fmt.Sprintf("OpenHEXA holds no field %q, which %s requires: the first apply adds "+
				"it with the value the configuration gives.", spec.Code, k.ResourceTypeName()))
		}
	}
	return notes
}
