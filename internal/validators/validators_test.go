package validators_test

import (
	"context"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// check runs v on value at the path "attr" and returns the detail of its one
// diagnostic, "" when the value passes, and whether that is a warning.
func check(t *testing.T, v validator.String, value types.String) (string, bool) {
	t.Helper()
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}, resp)
	switch {
	case resp.Diagnostics.HasError():
		d := resp.Diagnostics.Errors()[0]
		if d.Summary() != "Invalid value for attr" {
			t.Errorf("summary %q, want the attribute named", d.Summary())
		}
		return d.Detail(), false
	case resp.Diagnostics.WarningsCount() > 0:
		d := resp.Diagnostics.Warnings()[0]
		if d.Summary() != "Questionable value for attr" || !strings.Contains(d.Detail(), "OpenHEXA accepts") {
			t.Errorf("warning %q: %q, want the attribute named and what OpenHEXA does", d.Summary(), d.Detail())
		}
		return d.Detail(), true
	}
	return "", false
}

// TestStringRules runs every validator on values it accepts and values it refuses;
// a refusal must say what is wrong and never repeat the value (it may be a secret).
func TestStringRules(t *testing.T) {
	secretKey := `{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nSECRET\n"}`
	cases := []struct {
		name    string
		v       validator.String
		good    []string
		bad     map[string]string // value → words the detail must hold
		content string            // words of the description
		// warn: OpenHEXA accepts the value, so the rule only warns.
		warn bool
	}{
		{
			name: "NotBlank", v: validators.NotBlank(), content: "empty",
			good: []string{"x", " db "},
			bad:  map[string]string{"": "is empty", "  \t": "is empty"}, warn: true,
		},
		{
			name: "HTTPURL", v: validators.HTTPURL(), content: "http",
			good: []string{"https://play.dhis2.org/40", "http://localhost:8080"},
			bad: map[string]string{"dhis2.example.org": "absolute URL", "ftp://host": "http://", "https:///path": "naming a host",
				"://bad": "absolute URL"},
			warn: true,
		},
		{
			name: "NoAPISuffix", v: validators.NoAPISuffix(), content: "/api",
			good: []string{"https://play.dhis2.org/40", "https://apis.example.org"},
			bad: map[string]string{"https://play.dhis2.org/40/api": `"https://play.dhis2.org/40"`,
				"https://play.dhis2.org/API/": `"https://play.dhis2.org"`},
			warn: true,
		},
		{
			name: "NoCredentialsInURL", v: validators.NoCredentialsInURL("username", "password", "password_wo"),
			content: "user name or password",
			good:    []string{"https://play.dhis2.org/40", "https://dhis2.example.org/a@b", "not a url"},
			bad: map[string]string{"https://admin:district@play.dhis2.org/40": "`username` and the password in `password` (or `password_wo`)",
				"https://admin@dhis2.example.org": "is not secret"},
			warn: true,
		},
		{
			name: "S3BucketName", v: validators.S3BucketName(), content: "bucket",
			good: []string{"malaria-data", "a.b.c", "abc"},
			bad: map[string]string{
				"ab": "3 to 63", strings.Repeat("a", 64): "3 to 63", "Upper": "lowercase", "-start": "starts and ends",
				"a..b": "two adjacent periods", "192.168.1.1": "IP address", "xn--bucket": "xn--",
				"sthree-data": "sthree-", "data-s3alias": "-s3alias", "data--x-s3": "reserves",
			},
			warn: true,
		},
		{
			name: "ServiceAccountKey", v: validators.ServiceAccountKey(), content: "service-account",
			good: []string{secretKey},
			bad: map[string]string{
				"not json SECRET":            "not valid JSON",
				`{"type":"user"}`:            `"type": "service_account"`,
				`{"type":"service_account"}`: "missing client_email and private_key",
				`{"type":"service_account","client_email":"x","private_key":" "}`: "missing private_key",
			},
			warn: true,
		},
		{
			name: "PortNumber", v: validators.PortNumber(), content: "65535", warn: true,
			good: []string{"5432", "1", "65535"},
			bad:  map[string]string{"": "1 to 65535", "0": "1 to 65535", "65536": "1 to 65535", "54x": "1 to 65535", " 5432": "1 to 65535"},
		},
		{
			name: "ConnectionSlug", v: validators.ConnectionSlug(), content: "letters",
			good: []string{"warehouse", "My_DB-2"},
			bad:  map[string]string{"with space": "1 to 100 characters", "": "1 to 100", strings.Repeat("a", 101): "1 to 100", "é": "letter"},
		},
		{
			name: "WorkspaceSlug", v: validators.WorkspaceSlug(), content: "workspace slug",
			// The server's own rule, ^[-a-z0-9]+$: never stricter.
			good: []string{"malaria-surveillance", "ws1", "a--b", "-a", strings.Repeat("a", 101)},
			bad:  map[string]string{"Malaria": "lowercase", "a_b": "lowercase", "a b": "lowercase"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range []string{c.v.Description(context.Background()), c.v.MarkdownDescription(context.Background())} {
				if !strings.Contains(d, c.content) {
					t.Errorf("description %q does not mention %q", d, c.content)
				}
			}
			for _, value := range c.good {
				if detail, _ := check(t, c.v, types.StringValue(value)); detail != "" {
					t.Errorf("%q refused: %s", value, detail)
				}
			}
			for value, want := range c.bad {
				detail, warned := check(t, c.v, types.StringValue(value))
				if !strings.Contains(detail, want) {
					t.Errorf("%q: detail %q does not say %q", value, detail, want)
				}
				if warned != c.warn {
					t.Errorf("%q: a warning is %v, want %v (an error only for what OpenHEXA refuses)", value, warned, c.warn)
				}
				if len(value) > 3 && strings.Contains(detail, value) {
					t.Errorf("%q: the detail repeats the value", value)
				}
			}
			// Null and unknown values are checked later, when known.
			for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
				if detail, _ := check(t, c.v, v); detail != "" {
					t.Errorf("%v refused: %s", v, detail)
				}
			}
		})
	}
}

// TestNoAPISuffixNeverQuotesAPassword: the /api warning suggests the URL to use, but
// not one that holds a password.
func TestNoAPISuffixNeverQuotesAPassword(t *testing.T) {
	detail, warned := check(t, validators.NoAPISuffix(), types.StringValue("https://admin:district-PW@play.dhis2.org/40/api"))
	if !warned || !strings.Contains(detail, "drop the trailing /api") || strings.Contains(detail, "district-PW") {
		t.Errorf("warning %v: %q", warned, detail)
	}
}
