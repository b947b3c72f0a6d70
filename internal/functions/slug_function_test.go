package functions_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/functions"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// name60 is 60 characters long; its slug is cut at 40 right after a '-', which the
// server trims.
const name60 = "Malaria surveillance weekly report from the southern region!"

// slugCases are names whose slug is easy to get wrong, with the server's answer.
var slugCases = []struct{ name, want string }{
	{"Malaria data warehouse", "malaria-data-warehouse"},
	{"C'est déjà l'été.", "c-est-deja-l-ete"},
	{"Я ♥ борщ", "ia-borshch"},
	{"影師嗎", "ying-shi-ma"},
	{"ÜBER Über ", "uber-uber"},
	{"10 | 20 %", "10-20"},
	{"1,000 sites & more", "1000-sites-more"},
	{"Résumé &amp; café", "resume-cafe"},
	{"jaja---lol-méméméoo--a", "jaja-lol-mememeoo-a"},
	{"  --Data__Warehouse--  ", "data-warehouse"},
	{name60, "malaria-surveillance-weekly-report-from"},
}

// functionsOnly runs the provider's functions with no provider block: functions
// need no configured provider.
func functionsOnly(body string) string {
	return `
terraform {
  required_providers {
    openhexa = {
      source = "` + providerSource() + `"
    }
  }
}
` + body
}

// errorMatching matches a message the CLI may have wrapped over several lines.
func errorMatching(words string) *regexp.Regexp {
	return regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(words)), `\s+`))
}

// providerSource is the address plugin-testing serves the provider under.
func providerSource() string {
	if acctest.IsOpenTofu() {
		return "registry.opentofu.org/hashicorp/openhexa"
	}
	return "registry.terraform.io/hashicorp/openhexa"
}

func TestAccSlugFunction(t *testing.T) {
	if utf8.RuneCountInString(name60) != 60 {
		t.Fatalf("name60 has %d characters, want 60", utf8.RuneCountInString(name60))
	}
	var outputs strings.Builder
	var checks []statecheck.StateCheck
	for i, c := range slugCases {
		// The function must say exactly what the engine (and the server) derive.
		if got, ok := slug.Derive(c.name); !ok || got != c.want {
			t.Fatalf("slug.Derive(%q) = %q, %v; the table says %q", c.name, got, ok, c.want)
		}
		fmt.Fprintf(&outputs, "output \"s%d\" {\n  value = provider::openhexa::slug(%q)\n}\n", i, c.name)
		checks = append(checks, statecheck.ExpectKnownOutputValue(fmt.Sprintf("s%d", i), knownvalue.StringExact(c.want)))
	}
	steps := []resource.TestStep{{
		Config:            functionsOnly(outputs.String()),
		ConfigStateChecks: checks,
	}}
	for _, name := range []string{"!!! ???", "🦄", "", "'''"} {
		steps = append(steps, resource.TestStep{
			Config:      functionsOnly(fmt.Sprintf("output \"bad\" {\n  value = provider::openhexa::slug(%q)\n}\n", name)),
			ExpectError: errorMatching(`no letter or digit`),
		})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}

// TestSlugRun calls the function directly (no CLI), runnable without TF_ACC.
func TestSlugRun(t *testing.T) {
	ctx := context.Background()
	for _, c := range append(slugCases, struct{ name, want string }{"!!! ???", ""}, struct{ name, want string }{"🦄", ""}) {
		resp := &function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
		functions.NewSlugFunction().Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{
			types.StringValue(c.name),
		})}, resp)
		if c.want == "" {
			if resp.Error == nil {
				t.Errorf("slug(%q): no error", c.name)
			}
			continue
		}
		if resp.Error != nil {
			t.Errorf("slug(%q): %v", c.name, resp.Error)
			continue
		}
		result, ok := resp.Result.Value().(types.String)
		if !ok {
			t.Errorf("slug(%q): result is %T, not a string", c.name, resp.Result.Value())
			continue
		}
		if got := result.ValueString(); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
