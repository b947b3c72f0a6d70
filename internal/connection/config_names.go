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

// CreateDefault is the value a create sends for an optional field left out of the
// configuration; ok is false for a required field or a secret. It is not a schema
// default: left out on an existing connection, the field keeps what OpenHEXA holds.
func (f FieldSpec) CreateDefault() (value string, ok bool) {
	return f.Default, !f.Required && !f.Secret
}

// ResourceSchema is the schema of the kind's resource, as the provider serves it.
func (k *Kind) ResourceSchema() schema.Schema { return k.resourceSchema() }
