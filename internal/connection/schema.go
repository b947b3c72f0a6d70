package connection

import (
	"fmt"

	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Attribute names shared by every connection resource.
const (
	attrID          = "id"
	attrWorkspace   = "workspace"
	attrName        = "name"
	attrSlug        = "slug"
	attrDescription = "description"
	attrUpdatedAt   = "updated_at"
	attrVerify      = "verify"

	attrCustomFields       = "fields"
	attrCustomSecrets      = "secret_fields"
	attrCustomSecretsWO    = "secret_fields_wo"
	attrCustomSecretsWOVer = "secret_fields_wo_version"

	writeOnlySuffix = "_wo"
	versionSuffix   = "_wo_version"
)

// resourceSchema builds the schema of a kind's resource from the table.
func (k *Kind) resourceSchema() schema.Schema {
	attrs := commonAttributes()
	if k.Custom {
		for name, a := range customAttributes() {
			attrs[name] = a
		}
	} else {
		for _, f := range k.Fields {
			for name, a := range f.attributes() {
				attrs[name] = a
			}
		}
		attrs[attrVerify] = schema.BoolAttribute{
			MarkdownDescription: "When `true`, OpenHEXA tries the credentials (its `testConnection` check) with the " +
				"planned values before every create and update; if they do not work, the apply fails with the " +
				"server's message and nothing is created or changed. Defaults to `false`.",
			Optional: true,
		}
		for name, a := range extraFieldAttributes() {
			attrs[name] = a
		}
	}
	return schema.Schema{
		MarkdownDescription: k.resourceDescription(),
		Attributes:          attrs,
		Version:             schemaVersion,
	}
}

func (k *Kind) resourceDescription() string {
	if k.Custom {
		return "A custom connection of an OpenHEXA workspace: a free set of fields, each secret or not, that " +
			"notebooks and pipelines read through the OpenHEXA SDK by the connection's slug."
	}
	return fmt.Sprintf("A %s connection of an OpenHEXA workspace: the credentials that notebooks and pipelines "+
		"read through the OpenHEXA SDK by the connection's slug. A create sends every field code of the type, "+
		"with its secret flag, as the OpenHEXA web app does. What OpenHEXA holds beyond the configuration is "+
		"kept: fields of other codes (shown in `extra_fields` and `extra_secret_fields`), and a field of the type "+
		"that it lacks stays absent until the configuration sets it.", k.Title)
}

func commonAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		attrID: schema.StringAttribute{
			MarkdownDescription: "The connection's UUID, assigned by OpenHEXA.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		attrWorkspace: schema.StringAttribute{
			MarkdownDescription: "Slug of the workspace that holds the connection. Defaults to the provider's " +
				"`workspace`. Changing it replaces the connection.",
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{validators.WorkspaceSlug()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()},
		},
		attrName: schema.StringAttribute{
			MarkdownDescription: "Display name of the connection (1–255 characters).",
			Required:            true,
			Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 255)},
		},
		attrSlug: schema.StringAttribute{
			MarkdownDescription: "The identifier notebooks and pipelines use to find the connection. When left " +
				"out, OpenHEXA derives it from the name once and it stays stable across renames. When set, it is " +
				"kept as given (letters, digits, `-` and `_`, at most 100 characters; write it in lower case, since the " +
				"OpenHEXA SDK looks slugs up in lower case, and the plan warns otherwise). Either way the slug must be free " +
				"in the workspace: the provider never keeps another one (OpenHEXA would silently add a suffix), so a " +
				"create whose slug is taken fails, naming the connection that holds it and its import id. Two " +
				"connections whose names derive the same slug need an explicit `slug` on one of them. Changing it " +
				"breaks the pipelines that use the old one.",
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{validators.ConnectionSlug()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		attrDescription: schema.StringAttribute{
			MarkdownDescription: "Free-text description. Defaults to `\"\"`.",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
		},
		attrUpdatedAt: schema.StringAttribute{
			MarkdownDescription: "When OpenHEXA last changed the connection (ISO 8601). It is planned to change " +
				"whenever the provider will write the connection, including when only a write-only secret is " +
				"re-sent.",
			Computed: true,
		},
	}
}

// attributes returns the attributes of one typed field: the field itself and, for a
// secret, its write-only twin and that twin's version.
func (f FieldSpec) attributes() map[string]schema.Attribute {
	switch f.Type {
	case fieldPort:
		return map[string]schema.Attribute{f.Code: schema.StringAttribute{
			MarkdownDescription: f.Description + " A string, so that it holds whatever OpenHEXA holds; a value that " +
				"is not a number from 1 to 65535 gets a warning (the SDK and OpenHEXA's check need an integer). " +
				f.createDefaultDescription(),
			Optional:      true,
			Computed:      true,
			Validators:    append([]validator.String{validators.PortNumber()}, f.Validators...),
			PlanModifiers: []planmodifier.String{defaultOnCreate(f.Default)},
		}}
	case fieldString:
		// A string attribute, built below: plain, or a secret with its write-only twin.
	}
	if !f.Secret {
		a := schema.StringAttribute{MarkdownDescription: f.Description, Validators: f.Validators}
		if f.Required {
			a.Required = true
		} else {
			a.Optional, a.Computed = true, true
			a.PlanModifiers = []planmodifier.String{defaultOnCreate(f.Default)}
			a.MarkdownDescription += " " + f.createDefaultDescription()
		}
		return map[string]schema.Attribute{f.Code: a}
	}

	wo, version := f.Code+writeOnlySuffix, f.Code+versionSuffix
	// The sensitive attribute excludes the write-only twin and its version: a version
	// says the value comes through the twin, even in a run that leaves it null.
	codeValidators := []validator.String{stringvalidator.ConflictsWith(path.MatchRoot(wo), path.MatchRoot(version))}
	requirement := "Optional: left out (with `" + wo + "` and `" + version + "` too), a create sends `\"\"` and " +
		"an existing connection keeps what OpenHEXA holds."
	unversionedNull := "so every plan needs the value"
	var keep []planmodifier.String
	if f.Required {
		codeValidators = append(codeValidators, validators.RequiredSecret(path.MatchRoot(wo), path.MatchRoot(version)))
		requirement = fmt.Sprintf("One of `%s` and `%s` is required; with `%s` set, `%s` may be null in a plan "+
			"made without secrets.", f.Code, wo, version, wo)
	} else {
		unversionedNull = "and a null value counts as the secret left out"
		keep = []planmodifier.String{keepHeldSecret{writeOnly: wo, version: version}}
	}
	return map[string]schema.Attribute{
		f.Code: schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("%s Sensitive: stored in state, hidden in plans. %s Prefer `%s` to "+
				"keep it out of state.", f.Description, requirement, wo),
			Optional:      true,
			Computed:      !f.Required,
			Sensitive:     true,
			Validators:    append(codeValidators, f.Validators...),
			PlanModifiers: keep,
		},
		wo: schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("%s Write-only: sent to OpenHEXA, never stored in state or plan "+
				"(Terraform 1.11 and later, OpenTofu 1.11 and later). Without `%s`, a change of the value is "+
				"detected through a salted hash kept in private state, %s; with it, the value is sent again only "+
				"when the version changes, and a plan may leave it null (a plan made without secrets): such a plan "+
				"warns where the apply must send the value, and an apply without it fails before sending anything.",
				f.Description, version, unversionedNull),
			Optional:   true,
			Sensitive:  true,
			WriteOnly:  true,
			Validators: append([]validator.String{stringvalidator.ConflictsWith(path.MatchRoot(f.Code))}, f.Validators...),
		},
		version: schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Version of `%s`: change it to send the write-only value again. Set, "+
				"it says the secret is managed through `%s`, whose value a plan may then leave null.", wo, wo),
			Optional: true,
		},
	}
}

func customAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		attrCustomFields: schema.MapAttribute{
			MarkdownDescription: "Non-secret fields, by code. A code has 1–30 letters, digits, `-` or `_`; the " +
				"SDK exposes each field as an attribute, so prefer Python identifiers.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Map{
				validators.FieldCodes(),
				validators.DisjointKeys(path.MatchRoot(attrCustomSecrets), path.MatchRoot(attrCustomSecretsWO)),
			},
		},
		attrCustomSecrets: schema.MapAttribute{
			MarkdownDescription: "Secret fields, by code. Sensitive: stored in state, hidden in plans. Prefer " +
				"`secret_fields_wo` to keep them out of state.",
			ElementType: types.StringType,
			Optional:    true,
			Sensitive:   true,
			Validators: []validator.Map{
				validators.FieldCodes(),
				validators.DisjointKeys(path.MatchRoot(attrCustomSecretsWO)),
			},
		},
		attrCustomSecretsWO: schema.MapAttribute{
			MarkdownDescription: "Secret fields, by code, write-only: sent to OpenHEXA, never stored in state or " +
				"plan. Without `secret_fields_wo_version`, each key's value is tracked through a salted hash in " +
				"private state and only the keys that changed are sent again, so every plan needs the values; with " +
				"it, a value may be null in a plan made without secrets.",
			ElementType: types.StringType,
			Optional:    true,
			Sensitive:   true,
			WriteOnly:   true,
			Validators:  []validator.Map{validators.WriteOnlyFieldCodes(path.MatchRoot(attrCustomSecretsWOVer))},
		},
		attrCustomSecretsWOVer: schema.Int64Attribute{
			MarkdownDescription: "Version of `secret_fields_wo`: change it to send every write-only field again. " +
				"Set, a plan may leave values of `secret_fields_wo` null (a plan made without secrets; the codes " +
				"stay listed): such a plan warns where the apply must send a value, and an apply without it fails " +
				"before sending anything.",
			Optional:   true,
			Validators: []validator.Int64{validators.VersionNeedsCodes(path.MatchRoot(attrCustomSecretsWO))},
		},
	}
}

// identitySchema is the same for every kind: the two things that never change.
func identitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			attrWorkspace: identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Slug of the workspace that holds the connection.",
			},
			attrID: identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The connection's UUID.",
			},
		},
	}
}

// identityModel is the identity's value.
type identityModel struct {
	Workspace types.String `tfsdk:"workspace"`
	ID        types.String `tfsdk:"id"`
}
