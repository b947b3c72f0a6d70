package validators_test

import (
	"context"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// secretConfig is a configuration with a secret, its write-only twin and version,
// and a map of write-only fields with its version; values are Go values (nil: null,
// "?": unknown for strings, -1: unknown for versions).
type secretConfig struct {
	password, passwordWO        any
	passwordVersion, mapVersion any
	fieldsWO                    map[string]any // nil: null map
}

func (c secretConfig) build(t *testing.T) tfsdk.Config {
	t.Helper()
	mapType := tftypes.Map{ElementType: tftypes.String}
	str := func(v any) tftypes.Value {
		switch v {
		case nil:
			return tftypes.NewValue(tftypes.String, nil)
		case "?":
			return tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
		}
		return tftypes.NewValue(tftypes.String, v)
	}
	num := func(v any) tftypes.Value {
		switch v {
		case nil:
			return tftypes.NewValue(tftypes.Number, nil)
		case -1:
			return tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
		}
		return tftypes.NewValue(tftypes.Number, v)
	}
	fields := tftypes.NewValue(mapType, nil)
	if c.fieldsWO != nil {
		elems := map[string]tftypes.Value{}
		for k, v := range c.fieldsWO {
			elems[k] = str(v)
		}
		fields = tftypes.NewValue(mapType, elems)
	}
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"password":                 schema.StringAttribute{Optional: true},
		"password_wo":              schema.StringAttribute{Optional: true},
		"password_wo_version":      schema.Int64Attribute{Optional: true},
		"secret_fields_wo":         schema.MapAttribute{ElementType: types.StringType, Optional: true},
		"secret_fields_wo_version": schema.Int64Attribute{Optional: true},
	}}
	objectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"password": tftypes.String, "password_wo": tftypes.String, "password_wo_version": tftypes.Number,
		"secret_fields_wo": mapType, "secret_fields_wo_version": tftypes.Number,
	}}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(objectType, map[string]tftypes.Value{
		"password": str(c.password), "password_wo": str(c.passwordWO), "password_wo_version": num(c.passwordVersion),
		"secret_fields_wo": fields, "secret_fields_wo_version": num(c.mapVersion),
	})}
}

func get[T attr.Value](t *testing.T, config tfsdk.Config, name string) T {
	t.Helper()
	var v T
	if d := config.GetAttribute(context.Background(), path.Root(name), &v); d.HasError() {
		t.Fatal(d)
	}
	return v
}

// TestRequiredSecret: a required secret is given by the attribute, its write-only
// twin or the twin's version; with none, an error on the attribute that says how to
// plan without the value.
func TestRequiredSecret(t *testing.T) {
	v := validators.RequiredSecret(path.MatchRoot("password_wo"), path.MatchRoot("password_wo_version"))
	validate := func(c secretConfig) diag.Diagnostics {
		config := c.build(t)
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("password"),
			PathExpression: path.MatchRoot("password"), Config: config,
			ConfigValue: get[types.String](t, config, "password")}, resp)
		return resp.Diagnostics
	}
	for name, c := range map[string]secretConfig{
		"attribute":         {password: "s"},
		"write-only":        {passwordWO: "s"},
		"version alone":     {passwordVersion: 1},
		"write-only later":  {passwordWO: "?"},
		"version later":     {passwordVersion: -1},
		"unknown attribute": {password: "?"},
	} {
		if diags := validate(c); diags.HasError() {
			t.Errorf("%s: refused: %v", name, diags)
		}
	}
	diags := validate(secretConfig{})
	if diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Missing password" || !onPath(diags.Errors()[0], path.Root("password")) {
		t.Fatalf("errors %v, want Missing password on password", diags.Errors())
	}
	if detail := diags.Errors()[0].Detail(); !strings.Contains(detail, "set `password_wo_version`") || !strings.Contains(detail, "`password_wo`") {
		t.Errorf("the error does not say how to plan without the value: %s", detail)
	}
}

// TestWriteOnlyFieldCodes: a null value is refused, saying how to plan without it,
// unless the version is set (or unknown).
func TestWriteOnlyFieldCodes(t *testing.T) {
	v := validators.WriteOnlyFieldCodes(path.MatchRoot("secret_fields_wo_version"))
	validate := func(c secretConfig) diag.Diagnostics {
		config := c.build(t)
		resp := &validator.MapResponse{}
		v.ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("secret_fields_wo"),
			PathExpression: path.MatchRoot("secret_fields_wo"), Config: config,
			ConfigValue: get[types.Map](t, config, "secret_fields_wo")}, resp)
		return resp.Diagnostics
	}
	for name, version := range map[string]any{"version": 2, "version later": -1} {
		if diags := validate(secretConfig{fieldsWO: map[string]any{"api_key": nil}, mapVersion: version}); diags.HasError() {
			t.Errorf("%s: refused: %v", name, diags)
		}
	}
	diags := validate(secretConfig{fieldsWO: map[string]any{"api_key": nil, "token": "t"}})
	if diags.ErrorsCount() != 1 || !onPath(diags.Errors()[0], path.Root("secret_fields_wo").AtMapKey("api_key")) ||
		!strings.Contains(diags.Errors()[0].Detail(), "set `secret_fields_wo_version`") {
		t.Errorf("errors %v, want one on api_key that names the version", diags.Errors())
	}
	if diags := validate(secretConfig{fieldsWO: map[string]any{"for bad": nil}, mapVersion: 1}); diags.HasError() || diags.WarningsCount() != 1 {
		t.Errorf("a code outside OpenHEXA's rule beside a version: %v, want one warning", diags)
	}
}

// TestVersionNeedsCodes: a version of the map of write-only fields needs that map,
// whose codes may hold null values.
func TestVersionNeedsCodes(t *testing.T) {
	v := validators.VersionNeedsCodes(path.MatchRoot("secret_fields_wo"))
	validate := func(c secretConfig) diag.Diagnostics {
		config := c.build(t)
		resp := &validator.Int64Response{}
		v.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root("secret_fields_wo_version"),
			PathExpression: path.MatchRoot("secret_fields_wo_version"), Config: config,
			ConfigValue: get[types.Int64](t, config, "secret_fields_wo_version")}, resp)
		return resp.Diagnostics
	}
	for name, c := range map[string]secretConfig{
		"no version":    {},
		"codes, null":   {mapVersion: 1, fieldsWO: map[string]any{"api_key": nil}},
		"codes, values": {mapVersion: 1, fieldsWO: map[string]any{"api_key": "k"}},
		"unknown codes": {mapVersion: 1, fieldsWO: map[string]any{"api_key": "?"}},
		"empty map":     {mapVersion: 3, fieldsWO: map[string]any{}},
	} {
		if diags := validate(c); diags.HasError() {
			t.Errorf("%s: refused: %v", name, diags)
		}
	}
	for _, version := range []any{1, -1} {
		diags := validate(secretConfig{mapVersion: version})
		if diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Missing secret_fields_wo" ||
			!onPath(diags.Errors()[0], path.Root("secret_fields_wo_version")) {
			t.Errorf("version %v: errors %v, want Missing secret_fields_wo on the version", version, diags.Errors())
		}
	}
}
