package connection

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// addAPIError reports an API failure; the client's messages say what to do already,
// except for a workspace the token cannot see, which gets the full explanation.
func addAPIError(diags *diag.Diagnostics, data *providerdata.Data, summary, workspace string, err error) {
	if openhexa.IsKind(err, openhexa.KindWorkspaceNotFound) && workspace != "" {
		diags.AddError(summary, providerdata.WorkspaceNotVisible(data, workspace))
		return
	}
	diags.AddError(summary, err.Error())
}

// importHint tells how to bring an existing connection under management: a `moved`
// block when this configuration already manages it under another address, else an
// `import` block (Terraform from 1.5, OpenTofu from 1.6; moved since 1.1), or
// adopt_identical for a connection an interrupted apply left behind. A provider sees
// one resource at a time and cannot learn addresses, so the blocks carry placeholders
// and the text says where to find the address. mayBeOwn says that the connection may
// be the resource's own old object, which adopt_identical must not be offered for.
func importHint(resourceType, workspace, slug string, mayBeOwn bool) string {
	adopt := "If an interrupted apply of this configuration left that connection behind, the provider setting " +
		"`adopt_identical = true` (or OPENHEXA_ADOPT_IDENTICAL=true for one run) adopts it when its content is " +
		"identical to the configuration."
	if mayBeOwn {
		adopt = "If it is no object of this resource but one an interrupted apply of this configuration left behind, " +
			"in no state, the provider setting `adopt_identical = true` (or OPENHEXA_ADOPT_IDENTICAL=true for one " +
			"run) adopts it when its content is identical to the configuration."
	}
	return fmt.Sprintf("If this configuration already manages that connection under another address (a renamed "+
		"resource, a changed `count` or `for_each` key), tell the CLI it moved rather than create another one:\n\n"+
		"  moved {\n    from = <the address that manages it now>\n    to   = %[1]s.<name>\n  }\n\n"+
		"where %[1]s.<name> stands for this resource's address, the one in this diagnostic's \"with\" line. "+
		"Otherwise, bring it under management with an import block:\n\n"+
		"  import {\n    to = %[1]s.<name>\n    id = %[2]q\n  }\n\n", resourceType, workspace+"/"+slug) + adopt
}

// describe names a connection for a message: type, name, slug and id.
func describe(c *openhexa.Connection) string {
	return fmt.Sprintf("the %s connection %q (slug %q, id %s)", c.Type, c.Name, c.Slug, c.ID)
}
