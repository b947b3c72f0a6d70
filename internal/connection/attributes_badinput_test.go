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
	{"custom code invalid", "custom", map[string]any{"fields": map[string]string{"bad code": "x"}}, "fields", `OpenHEXA refuses the field code "bad code"`},
	{"custom code 31", "custom", map[string]any{"fields": map[string]string{strings.Repeat("c", 31): "x"}}, "fields", "a code has 1 to 30 characters"},
	{"custom secret code invalid", "custom", map[string]any{"secret_fields": map[string]string{"key!": "x"}}, "secret_fields", `OpenHEXA refuses the field code "key!"`},
	{"custom code in both", "custom", map[string]any{"fields": map[string]string{"api_key": "x"}, "secret_fields": map[string]string{"api_key": "y"}}, "fields", `The field code "api_key" is in both`},
	{"password and password_wo", "postgres", map[string]any{"password_wo": "pw"}, "password", `Attribute "password_wo" cannot be specified when "password" is specified`},
	{"neither password", "postgres", map[string]any{"password": nil}, "", "To plan without it (a CI plan made without secrets), set `password_wo_version`"},
	{"access_key_secret and _wo", "s3", map[string]any{"access_key_secret_wo": "pw"}, "access_key_secret", "Invalid Attribute Combination"},
	{"password and wo_version", "dhis2", map[string]any{"password_wo_version": int64(1)}, "password", `Attribute "password_wo_version" cannot be specified when "password" is specified`},
	{"secret_fields_wo_version without codes", "custom", map[string]any{"secret_fields_wo_version": int64(1)}, "secret_fields_wo_version", "versions the write-only fields of `secret_fields_wo`, which is null"},
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
