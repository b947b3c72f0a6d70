package connection

import "github.com/hashicorp/terraform-plugin-framework/resource/schema"

// Names for code outside the engine that writes configuration of connection
// resources (the export command), so that only this package spells them.
const (
	AttrWorkspace       = attrWorkspace
	AttrName            = attrName
	AttrSlug            = attrSlug
	AttrDescription     = attrDescription
	AttrCustomFields    = attrCustomFields
	AttrCustomSecrets   = attrCustomSecrets
	AttrCustomSecretsWO = attrCustomSecretsWO
)

// WriteOnlyAttribute is the name of the write-only twin of a secret field.
func (f FieldSpec) WriteOnlyAttribute() string { return f.Code + writeOnlySuffix }

// Numeric reports whether the field is a number in Terraform (a string on the wire).
func (f FieldSpec) Numeric() bool { return f.Type == fieldPort }

// ResourceSchema is the schema of the kind's resource, as the provider serves it.
func (k *Kind) ResourceSchema() schema.Schema { return k.resourceSchema() }
