package connection

import (
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// fieldType is how a field's wire string is represented in Terraform.
type fieldType int

const (
	fieldString fieldType = iota
	// fieldPort is a TCP port: a string, as on the wire, so that it holds whatever
	// OpenHEXA holds; a value that is not a port gets a warning.
	fieldPort
)

// FieldSpec describes one field of a built-in connection type. The Terraform
// attribute is named after the field code.
type FieldSpec struct {
	Code   string
	Secret bool
	Type   fieldType
	// Required fields must be configured (a secret through its attribute or its
	// write-only twin); the others take Default when left out.
	Required    bool
	Default     string
	Description string
	Validators  []validator.String
}

// Kind is one connection type: everything the engine needs to serve its resource.
type Kind struct {
	// Name is the resource's middle name: openhexa_<Name>_connection.
	Name string
	// Title is the type's name in prose.
	Title   string
	APIType openhexa.ConnectionType
	// Fields are the built-in codes, in the order the web app sends them. Empty for
	// the custom kind, whose fields are free.
	Fields []FieldSpec
	// Custom marks the kind with free fields (two maps instead of typed attributes).
	Custom bool
}

// urlWithoutCredentials warns about a DHIS2 or IASO url holding what username and
// password are for.
var urlWithoutCredentials = validators.NoCredentialsInURL("username", "password", "password"+writeOnlySuffix)

// Kinds is the table of every connection type the provider manages. Every list of
// types the provider shows (schema descriptions, messages, the env_vars function) is
// derived from it; what cannot be (the client's enum, the test server's rules, the
// docs' prose) is listed in ARCHITECTURE.md under "Where things go", and
// TestKindsTableIsComplete fails when one of those is missing for an entry.
var Kinds = []*Kind{
	{
		Name: "postgres", Title: "PostgreSQL", APIType: openhexa.TypePostgreSQL,
		Fields: []FieldSpec{
			{Code: "host", Required: true, Description: "Host name or address of the PostgreSQL server.",
				Validators: []validator.String{validators.NotBlank()}},
			{Code: "port", Type: fieldPort, Default: "5432", Description: "TCP port of the PostgreSQL server (1–65535)."},
			{Code: "db_name", Required: true, Description: "Name of the database.",
				Validators: []validator.String{validators.NotBlank()}},
			{Code: "username", Required: true, Description: "User name to connect with.",
				Validators: []validator.String{validators.NotBlank()}},
			{Code: "password", Secret: true, Required: true, Description: "Password of that user."},
		},
	},
	{
		Name: "dhis2", Title: "DHIS2", APIType: openhexa.TypeDHIS2,
		Fields: []FieldSpec{
			{Code: "url", Required: true, Description: "Base URL of the DHIS2 instance, without `/api` " +
				"(for example `https://play.dhis2.org/40`).",
				Validators: []validator.String{validators.HTTPURL(), validators.NoAPISuffix(), urlWithoutCredentials}},
			{Code: "username", Required: true, Description: "DHIS2 user name.",
				Validators: []validator.String{validators.NotBlank()}},
			{Code: "password", Secret: true, Required: true, Description: "Password of that DHIS2 user."},
		},
	},
	{
		Name: "iaso", Title: "IASO", APIType: openhexa.TypeIASO,
		Fields: []FieldSpec{
			{Code: "url", Required: true, Description: "Base URL of the IASO instance (for example `https://iaso.bluesquare.org`).",
				Validators: []validator.String{validators.HTTPURL(), urlWithoutCredentials}},
			{Code: "username", Required: true, Description: "IASO user name.",
				Validators: []validator.String{validators.NotBlank()}},
			{Code: "password", Secret: true, Required: true, Description: "Password of that IASO user."},
		},
	},
	{
		Name: "s3", Title: "Amazon S3", APIType: openhexa.TypeS3,
		Fields: []FieldSpec{
			{Code: "bucket_name", Required: true, Description: "Name of the S3 bucket.",
				Validators: []validator.String{validators.S3BucketName()}},
			{Code: "access_key_id", Description: "Access key id; leave it out for a public bucket."},
			{Code: "access_key_secret", Secret: true, Description: "Secret access key; leave it out for a public bucket."},
		},
	},
	{
		Name: "gcs", Title: "Google Cloud Storage", APIType: openhexa.TypeGCS,
		Fields: []FieldSpec{
			{Code: "bucket_name", Required: true, Description: "Name of the GCS bucket.",
				Validators: []validator.String{validators.NotBlank()}},
			{Code: "service_account_key", Secret: true, Required: true,
				Description: "Service-account key: the JSON document Google Cloud issues for a service account.",
				Validators:  []validator.String{validators.ServiceAccountKey()}},
		},
	},
	{
		Name: "custom", Title: "custom", APIType: openhexa.TypeCustom, Custom: true,
	},
}

// KindByName returns the kind served as openhexa_<name>_connection.
func KindByName(name string) *Kind {
	for _, k := range Kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// KindByAPIType returns the kind of an API connection type, nil for an unknown one.
func KindByAPIType(t openhexa.ConnectionType) *Kind {
	for _, k := range Kinds {
		if k.APIType == t {
			return k
		}
	}
	return nil
}

// ResourceTypeName is the Terraform type name of the kind's resource.
func (k *Kind) ResourceTypeName() string {
	return "openhexa_" + k.Name + "_connection"
}

// APITypes lists the API type of every kind, in the table's order.
func APITypes() []string {
	out := make([]string, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, string(k.APIType))
	}
	return out
}

// Titles lists the prose name of every kind, in the table's order.
func Titles() []string {
	out := make([]string, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, k.Title)
	}
	return out
}

// Enumerate joins items as prose, "a, b or c" (last is the final conjunction, "or"
// or "and"), each wrapped in quote ("`" for Markdown code, "" for plain text).
func Enumerate(items []string, quote, last string) string {
	q := quoted(items, quote)
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + last + " " + q[len(q)-1]
}

// quoted wraps every item in quote.
func quoted(items []string, quote string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = quote + it + quote
	}
	return out
}
