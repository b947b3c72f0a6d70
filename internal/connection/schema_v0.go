package connection

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The resource schemas of version 0, frozen: what the provider served until schema
// version 1 (commit 13e415c is the last of version 0), written out attribute by
// attribute as `providers schema -json` printed them then, so that no later change
// of the table or of today's schema changes what a version-0 state is read as.
// Only types and flags matter to the upgrade: descriptions, validators and plan
// modifiers are left out. testdata/state-v0 holds the schema as printed and states
// that provider wrote; TestStateV0SchemaIsTheOneServed holds this file to them.

var (
	v0Computed         = schema.StringAttribute{Computed: true}
	v0Required         = schema.StringAttribute{Required: true}
	v0OptionalComputed = schema.StringAttribute{Optional: true, Computed: true}
	v0Secret           = schema.StringAttribute{Optional: true, Sensitive: true}
	v0WriteOnly        = schema.StringAttribute{Optional: true, Sensitive: true, WriteOnly: true}
	v0WOVersion        = schema.Int64Attribute{Optional: true}
	v0Verify           = schema.BoolAttribute{Optional: true}
)

// schemaV0Attributes returns the version-0 attributes of the kind named name, nil
// for a kind that did not exist then.
func schemaV0Attributes(name string) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"id":          v0Computed,
		"workspace":   v0OptionalComputed,
		"name":        v0Required,
		"slug":        v0OptionalComputed,
		"description": v0OptionalComputed,
		"updated_at":  v0Computed,
	}
	var own map[string]schema.Attribute
	switch name {
	case "postgres":
		own = map[string]schema.Attribute{
			"host":                v0Required,
			"port":                schema.Int64Attribute{Optional: true, Computed: true},
			"db_name":             v0Required,
			"username":            v0Required,
			"password":            v0Secret,
			"password_wo":         v0WriteOnly,
			"password_wo_version": v0WOVersion,
			"verify":              v0Verify,
		}
	case "dhis2", "iaso":
		own = map[string]schema.Attribute{
			"url":                 v0Required,
			"username":            v0Required,
			"password":            v0Secret,
			"password_wo":         v0WriteOnly,
			"password_wo_version": v0WOVersion,
			"verify":              v0Verify,
		}
	case "s3":
		own = map[string]schema.Attribute{
			"bucket_name":                  v0Required,
			"access_key_id":                v0OptionalComputed,
			"access_key_secret":            v0Secret,
			"access_key_secret_wo":         v0WriteOnly,
			"access_key_secret_wo_version": v0WOVersion,
			"verify":                       v0Verify,
		}
	case "gcs":
		own = map[string]schema.Attribute{
			"bucket_name":                    v0Required,
			"service_account_key":            v0Secret,
			"service_account_key_wo":         v0WriteOnly,
			"service_account_key_wo_version": v0WOVersion,
			"verify":                         v0Verify,
		}
	case "custom":
		own = map[string]schema.Attribute{
			"fields":                   schema.MapAttribute{ElementType: types.StringType, Optional: true},
			"secret_fields":            schema.MapAttribute{ElementType: types.StringType, Optional: true, Sensitive: true},
			"secret_fields_wo":         schema.MapAttribute{ElementType: types.StringType, Optional: true, Sensitive: true, WriteOnly: true},
			"secret_fields_wo_version": v0WOVersion,
		}
	default:
		return nil
	}
	for n, a := range own {
		attrs[n] = a
	}
	return attrs
}
