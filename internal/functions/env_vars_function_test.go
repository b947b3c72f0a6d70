package functions_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/functions"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestAccEnvVarsFunction(t *testing.T) {
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: functionsOnly(`
output "dhis2" {
  value = provider::openhexa::env_vars("my-dhis2", "DHIS2", {
    url      = "https://play.dhis2.example.org"
    username = "admin"
    password = "district"
  })
}

output "postgres" {
  value = provider::openhexa::env_vars("db.main v2", "postgresql", {
    host     = "db.example.org"
    port     = "5432"
    db_name  = "surveillance"
    username = "hexa"
    password = "s3cret"
  })
}

output "custom_mixed_case" {
  value = provider::openhexa::env_vars("api_keys", "Custom", {
    "api-Key" = "k"
  })
}

output "no_fields" {
  value = provider::openhexa::env_vars("bucket", "s3", {})
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("dhis2", knownvalue.MapExact(map[string]knownvalue.Check{
						"MY_DHIS2":          knownvalue.StringExact("dhis2"),
						"MY_DHIS2_URL":      knownvalue.StringExact("https://play.dhis2.example.org"),
						"MY_DHIS2_USERNAME": knownvalue.StringExact("admin"),
						"MY_DHIS2_PASSWORD": knownvalue.StringExact("district"),
						"MY_DHIS2_API_URL":  knownvalue.StringExact("https://play.dhis2.example.org"),
					})),
					statecheck.ExpectKnownOutputValue("postgres", knownvalue.MapExact(map[string]knownvalue.Check{
						"DB_MAIN_V2":          knownvalue.StringExact("postgresql"),
						"DB_MAIN_V2_HOST":     knownvalue.StringExact("db.example.org"),
						"DB_MAIN_V2_PORT":     knownvalue.StringExact("5432"),
						"DB_MAIN_V2_DB_NAME":  knownvalue.StringExact("surveillance"),
						"DB_MAIN_V2_USERNAME": knownvalue.StringExact("hexa"),
						"DB_MAIN_V2_PASSWORD": knownvalue.StringExact("s3cret"),
						"DB_MAIN_V2_URL":      knownvalue.StringExact("postgresql://hexa:s3cret@db.example.org:5432/surveillance"),
						"DB_MAIN_V2_DATABASE": knownvalue.StringExact("surveillance"),
					})),
					statecheck.ExpectKnownOutputValue("custom_mixed_case", knownvalue.MapExact(map[string]knownvalue.Check{
						"API_KEYS":         knownvalue.StringExact("custom"),
						"API_KEYS_API_KEY": knownvalue.StringExact("k"),
					})),
					statecheck.ExpectKnownOutputValue("no_fields", knownvalue.MapExact(map[string]knownvalue.Check{
						"BUCKET": knownvalue.StringExact("s3"),
					})),
				},
			},
			{
				// The resource kind's name is not the API type the SDK reads.
				Config:      functionsOnly(`output "bad" { value = provider::openhexa::env_vars("db", "postgres", {}) }`),
				ExpectError: errorMatching(`is not an OpenHEXA connection type`),
			},
			{
				Config:      functionsOnly(`output "bad" { value = provider::openhexa::env_vars(" ", "S3", {}) }`),
				ExpectError: errorMatching(`identifier is empty`),
			},
			{
				Config:      functionsOnly(`output "bad" { value = provider::openhexa::env_vars("x", "CUSTOM", { a = "1", A = "2" }) }`),
				ExpectError: errorMatching(`both give the variable`),
			},
			{
				Config:      functionsOnly(`output "bad" { value = provider::openhexa::env_vars("x", "CUSTOM", { "api-key" = "1", api_key = "2" }) }`),
				ExpectError: errorMatching(`"api-key" and "api_key" both give the variable X_API_KEY`),
			},
			{
				Config:      functionsOnly(`output "bad" { value = provider::openhexa::env_vars("x", "CUSTOM", { a = null }) }`),
				ExpectError: errorMatching(`is null`),
			},
		},
	})
}

// TestEnvVarsRun calls the function directly (no CLI): the cases the CLI tests cover,
// runnable without TF_ACC.
func TestEnvVarsRun(t *testing.T) {
	ctx := context.Background()
	run := func(identifier, typ string, fields map[string]attr.Value) (map[string]string, *function.FuncError) {
		m, diags := types.MapValue(types.StringType, fields)
		if diags.HasError() {
			t.Fatal(diags)
		}
		resp := &function.RunResponse{Result: function.NewResultData(types.MapUnknown(types.StringType))}
		functions.NewEnvVarsFunction().Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{
			types.StringValue(identifier), types.StringValue(typ), m,
		})}, resp)
		if resp.Error != nil {
			return nil, resp.Error
		}
		result, ok := resp.Result.Value().(types.Map)
		if !ok {
			t.Fatalf("result is %T, not a map", resp.Result.Value())
		}
		var out map[string]string
		if d := result.ElementsAs(ctx, &out, false); d.HasError() {
			t.Fatal(d)
		}
		return out, nil
	}
	got, err := run("my-dhis2", "DHIS2", map[string]attr.Value{
		"url": types.StringValue("https://x"), "password": types.StringValue("p"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"MY_DHIS2": "dhis2", "MY_DHIS2_URL": "https://x", "MY_DHIS2_PASSWORD": "p", "MY_DHIS2_API_URL": "https://x"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []struct {
		identifier, typ string
		fields          map[string]attr.Value
		argument        int64
	}{
		{"x", "postgres", nil, 1},
		{"", "S3", nil, 0},
		{"x", "CUSTOM", map[string]attr.Value{"a": types.StringValue("1"), "A": types.StringValue("2")}, 2},
		{"x", "CUSTOM", map[string]attr.Value{"a": types.StringNull()}, 2},
	} {
		_, err := run(bad.identifier, bad.typ, bad.fields)
		if err == nil || err.FunctionArgument == nil || *err.FunctionArgument != bad.argument {
			t.Errorf("env_vars(%q, %q, %v): error %v, want one on argument %d", bad.identifier, bad.typ, bad.fields, err, bad.argument)
		}
	}
}
