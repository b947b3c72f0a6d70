package connection_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// words matches the words of a message across the CLI's line wrapping.
func words(msg string) string {
	parts := strings.Fields(msg)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, `\s+`)
}

// badInputCase is one configuration that the provider must refuse at plan time.
type badInputCase struct {
	name string
	kind string
	// set overrides sample attributes; a nil value removes the attribute.
	set map[string]any
	// attr is the attribute the CLI must point at ("" when it is absent from the
	// configuration and the CLI shows the resource block).
	attr string
	msg  string
}

var badInputCases = []badInputCase{
	{"name empty", "postgres", map[string]any{"name": ""}, "name", "UTF-8 character count must be between 1 and 255, got: 0"},
	{"name 256", "postgres", map[string]any{"name": strings.Repeat("n", 256)}, "name", "UTF-8 character count must be between 1 and 255, got: 256"},
	{"slug chars", "custom", map[string]any{"slug": "bad slug!"}, "slug", "A connection slug has 1 to 100 characters"},
	{"slug 101", "custom", map[string]any{"slug": strings.Repeat("s", 101)}, "slug", "A connection slug has 1 to 100 characters"},
	{"workspace shape", "custom", map[string]any{"workspace": "Bad_Workspace"}, "workspace", "A workspace slug has only lowercase letters, digits and '-'"},
	{"port 0", "postgres", map[string]any{"port": int64(0)}, "port", "value must be between 1 and 65535, got: 0"},
	{"port 65536", "postgres", map[string]any{"port": int64(65536)}, "port", "value must be between 1 and 65535, got: 65536"},
	{"dhis2 url /api", "dhis2", map[string]any{"url": "https://play.dhis2.org/40/api"}, "url", "drop the trailing /api"},
	{"dhis2 url /api/", "dhis2", map[string]any{"url": "https://play.dhis2.org/40/api/"}, "url", "drop the trailing /api"},
	{"dhis2 url not http", "dhis2", map[string]any{"url": "ftp://play.dhis2.org"}, "url", "must be an absolute URL starting with http:// or https://"},
	{"iaso url not a url", "iaso", map[string]any{"url": "iaso.example.org"}, "url", "must be an absolute URL starting with http:// or https://"},
	{"s3 bucket short", "s3", map[string]any{"bucket_name": "ab"}, "bucket_name", "An S3 bucket name has 3 to 63 characters."},
	{"s3 bucket long", "s3", map[string]any{"bucket_name": strings.Repeat("b", 64)}, "bucket_name", "An S3 bucket name has 3 to 63 characters."},
	{"s3 bucket chars", "s3", map[string]any{"bucket_name": "Bad_Bucket"}, "bucket_name", "An S3 bucket name has only lowercase letters"},
	{"s3 bucket periods", "s3", map[string]any{"bucket_name": "a..b"}, "bucket_name", "must not contain two adjacent periods"},
	{"s3 bucket ip", "s3", map[string]any{"bucket_name": "192.168.1.1"}, "bucket_name", "must not look like an IP address"},
	{"s3 bucket prefix", "s3", map[string]any{"bucket_name": "xn--bucket"}, "bucket_name", "must not start with xn--"},
	{"s3 bucket suffix", "s3", map[string]any{"bucket_name": "bucket-s3alias"}, "bucket_name", "suffix that Amazon reserves"},
	{"gcs key not JSON", "gcs", map[string]any{"service_account_key": "not json"}, "service_account_key", "this value is not valid JSON"},
	{"gcs key wrong type", "gcs", map[string]any{"service_account_key": `{"type":"authorized_user","client_email":"a@b","private_key":"k"}`}, "service_account_key", `must have "type": "service_account"`},
	{"gcs key no client_email", "gcs", map[string]any{"service_account_key": `{"type":"service_account","private_key":"k"}`}, "service_account_key", "is missing client_email"},
	{"custom code invalid", "custom", map[string]any{"fields": map[string]string{"bad code": "x"}}, "fields", `The field code "bad code" is not accepted by OpenHEXA`},
	{"custom code 31", "custom", map[string]any{"fields": map[string]string{strings.Repeat("c", 31): "x"}}, "fields", "a code has 1 to 30 characters"},
	{"custom secret code invalid", "custom", map[string]any{"secret_fields": map[string]string{"key!": "x"}}, "secret_fields", `The field code "key!" is not accepted`},
	{"custom code in both", "custom", map[string]any{"fields": map[string]string{"api_key": "x"}, "secret_fields": map[string]string{"api_key": "y"}}, "fields", `The field code "api_key" is in both`},
	{"password and password_wo", "postgres", map[string]any{"password_wo": "pw"}, "password", "2 attributes specified when one (and only one) of"},
	{"neither password", "postgres", map[string]any{"password": nil}, "", "No attribute specified when one (and only one) of"},
	{"access_key_secret and _wo", "s3", map[string]any{"access_key_secret_wo": "pw"}, "access_key_secret", "Invalid Attribute Combination"},
	{"wo_version without wo", "dhis2", map[string]any{"password_wo_version": int64(1)}, "password_wo_version", `Attribute "password_wo" must be specified when "password_wo_version" is specified`},
}

func badInputConfig(tg *target, c badInputCase) string {
	values := sample{"name": "Bad input"}
	for k, v := range kindSamples[c.kind].create {
		values[k] = v
	}
	for k, v := range c.set {
		if v == nil {
			delete(values, k)
		} else {
			values[k] = v
		}
	}
	return tg.providerConfig(tg.editor) +
		fmt.Sprintf("\nresource %q \"test\" {\n%s\n}\n", connection.KindByName(c.kind).ResourceTypeName(), values.hcl())
}

// TestAccBadInputRefusedAtPlan: every attribute rule refuses a bad value at plan
// time, on the attribute, with its message, and nothing but the token check
// reaches the server.
func TestAccBadInputRefusedAtPlan(t *testing.T) {
	for _, c := range badInputCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			kind := connection.KindByName(c.kind)
			pattern := `(?s)with\s+` + regexp.QuoteMeta(kind.ResourceTypeName()+".test") + `,`
			if c.attr != "" {
				pattern += `.*\d+:\s+` + regexp.QuoteMeta(c.attr) + `\s+=`
			}
			pattern += `.*` + words(c.msg)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      badInputConfig(tg, c),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(pattern),
				}},
			})
			if tg.real() {
				return // which requests were sent is in the test server's request log only
			}
			for _, r := range tg.srv.Requests() {
				if r.OperationName != "Me" {
					t.Fatalf("a refused configuration sent %s to the server; want only Me", r.OperationName)
				}
			}
		})
	}
}
