package validators_test

import (
	"context"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/validators"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// mapConfig is a configuration with two string maps, "fields" and "secret_fields";
// a nil map is null.
func mapConfig(fields, secrets map[string]string) tfsdk.Config {
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"fields":        schema.MapAttribute{ElementType: types.StringType, Optional: true},
		"secret_fields": schema.MapAttribute{ElementType: types.StringType, Optional: true},
	}}
	mapType := tftypes.Map{ElementType: tftypes.String}
	toValue := func(m map[string]string) tftypes.Value {
		if m == nil {
			return tftypes.NewValue(mapType, nil)
		}
		elems := map[string]tftypes.Value{}
		for k, v := range m {
			elems[k] = tftypes.NewValue(tftypes.String, v)
		}
		return tftypes.NewValue(mapType, elems)
	}
	objectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"fields": mapType, "secret_fields": mapType}}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(objectType, map[string]tftypes.Value{
		"fields": toValue(fields), "secret_fields": toValue(secrets),
	})}
}

// validateFields runs v on the "fields" map of config.
func validateFields(t *testing.T, v validator.Map, config tfsdk.Config) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	var value types.Map
	if d := config.GetAttribute(ctx, path.Root("fields"), &value); d.HasError() {
		t.Fatal(d)
	}
	resp := &validator.MapResponse{}
	v.ValidateMap(ctx, validator.MapRequest{
		Path: path.Root("fields"), PathExpression: path.MatchRoot("fields"), Config: config, ConfigValue: value,
	}, resp)
	return resp.Diagnostics
}

// TestFieldCodes: a code the server refuses is a warning on its key (OpenHEXA may
// hold it already; the plan refuses it where it would be sent); a code the SDK cannot
// expose as an attribute is a warning; a null value is an error; a null map passes.
func TestFieldCodes(t *testing.T) {
	v := validators.FieldCodes()
	if d := v.Description(context.Background()); !strings.Contains(d, "field codes") || v.MarkdownDescription(context.Background()) != d {
		t.Errorf("description %q", d)
	}
	diags := validateFields(t, v, mapConfig(map[string]string{"api_url": "x", "has space": "y", "base-url": "z"}, nil))
	if diags.HasError() {
		t.Errorf("errors %v, want none", diags.Errors())
	}
	summaries := map[string]bool{}
	for _, w := range diags.Warnings() {
		summaries[w.Summary()] = true
		if w.Summary() == "Field code refused by OpenHEXA" && !onPath(w, path.Root("fields").AtMapKey("has space")) {
			t.Errorf("refused code warned on the wrong path: %v", w)
		}
		if w.Summary() == "Field code is not a Python identifier" && (!strings.Contains(w.Detail(), `"base-url"`) ||
			!strings.Contains(w.Detail(), "raises TypeError (Field names must be valid identifiers: 'base-url')") ||
			!strings.Contains(w.Detail(), `Spell it "base_url" instead`)) {
			t.Errorf("identifier warning %v, want one about base-url", w)
		}
	}
	if diags.WarningsCount() != 2 || !summaries["Field code refused by OpenHEXA"] || !summaries["Field code is not a Python identifier"] {
		t.Errorf("warnings %v, want one refused code and one non-identifier", diags.Warnings())
	}
	for code, want := range map[string]string{
		"2fa": `'2fa') … "_2fa"`, "for": `Field names must not be keywords: 'for') … "for_"`, "x-1-y": `'x-1-y') … "x_1_y"`,
	} {
		diags := validateFields(t, v, mapConfig(map[string]string{code: "v"}, nil))
		before, after, _ := strings.Cut(want, " … ")
		if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), before) ||
			!strings.Contains(diags.Warnings()[0].Detail(), "Spell it "+after) {
			t.Errorf("%s: warnings %v, want %s", code, diags.Warnings(), want)
		}
	}
	if diags := validateFields(t, v, mapConfig(nil, nil)); diags.HasError() {
		t.Errorf("a null map refused: %v", diags)
	}
}

// TestDisjointKeys: a code in both maps is an error on its key in the validated map.
// The other map named from the root or relative to this one, alike.
func TestDisjointKeys(t *testing.T) {
	for name, other := range map[string]path.Expression{
		"root":     path.MatchRoot("secret_fields"),
		"relative": path.MatchRelative().AtParent().AtName("secret_fields"),
	} {
		t.Run(name, func(t *testing.T) { testDisjointKeys(t, validators.DisjointKeys(other)) })
	}
}

func testDisjointKeys(t *testing.T, v validator.Map) {
	if d := v.Description(context.Background()); !strings.Contains(d, "only one") || v.MarkdownDescription(context.Background()) != d {
		t.Errorf("description %q", d)
	}
	diags := validateFields(t, v, mapConfig(map[string]string{"api_key": "a", "region": "b"}, map[string]string{"api_key": "s"}))
	if diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Field code used twice" ||
		!onPath(diags.Errors()[0], path.Root("fields").AtMapKey("api_key")) {
		t.Fatalf("errors %v, want one Field code used twice on fields[\"api_key\"]", diags.Errors())
	}
	if detail := diags.Errors()[0].Detail(); !strings.Contains(detail, "secret_fields") || strings.Contains(detail, `"s"`) {
		t.Errorf("detail %q: must name the other map, not a value", detail)
	}
	for name, c := range map[string]tfsdk.Config{
		"disjoint":    mapConfig(map[string]string{"region": "b"}, map[string]string{"api_key": "s"}),
		"other null":  mapConfig(map[string]string{"region": "b"}, nil),
		"this null":   mapConfig(nil, map[string]string{"api_key": "s"}),
		"both absent": mapConfig(nil, nil),
	} {
		if diags := validateFields(t, v, c); diags.HasError() {
			t.Errorf("%s: refused: %v", name, diags)
		}
	}
}

// onPath reports whether d is a diagnostic on the attribute at p.
func onPath(d diag.Diagnostic, p path.Path) bool {
	withPath, ok := d.(diag.DiagnosticWithPath)
	return ok && withPath.Path().Equal(p)
}

// TestFieldCodesTheSDKCannotRead: a code the SDK's class has already (identifier, a
// name of the form __name__), a code that local runs read under another name (capitals)
// or that only one of the two ways refuses, each warns with what Python raises and the
// spelling to use; a code both read as written does not.
func TestFieldCodesTheSDKCannotRead(t *testing.T) {
	v := validators.FieldCodes()
	for code, want := range map[string][]string{
		"identifier": {"Field code the OpenHEXA SDK reserves", "non-default argument '<the next field>' follows default argument",
			"got multiple values for keyword argument 'identifier'", "through the API and in local runs alike", `Spell it "identifier_"`},
		"__init__": {"Field code the OpenHEXA SDK reserves", "follows default argument", `Spell it "init"`},
		"IDENTIFIER": {"Field code the OpenHEXA SDK reserves", "local runs", `get the field as "identifier"`,
			"works in OpenHEXA and not on a laptop", `Spell it "identifier_"`},
		"Class": {"Field code is not a Python identifier", "Field names must not be keywords: 'class'", `Spell it "class_"`},
		"apiKey": {"Field code read under another name in local runs", "`apiKey` through the API", "`apikey`",
			"AttributeError", `Spell it "api_key"`},
		"api-key": {"Field code is not a Python identifier", "Field names must be valid identifiers: 'api-key'",
			"through the API", "get the field as `api_key`", `Spell it "api_key"`},
	} {
		diags := validateFields(t, v, mapConfig(map[string]string{code: "v", "other": "w"}, nil))
		if diags.HasError() || diags.WarningsCount() != 1 {
			t.Errorf("%s: %v, want one warning", code, diags)
			continue
		}
		w := diags.Warnings()[0]
		text := w.Summary() + " " + w.Detail()
		for _, part := range want {
			if !strings.Contains(text, part) {
				t.Errorf("%s: the warning lacks %q:\n%s", code, part, text)
			}
		}
		if !strings.Contains(w.Detail(), "openhexa-sdk 2.22.7") || !onPath(w, path.Root("fields").AtMapKey(code)) {
			t.Errorf("%s: %v", code, w)
		}
	}
	for _, code := range []string{"api_key", "base_url", "_private", "match", "url", "__x", "a1"} {
		if diags := validateFields(t, v, mapConfig(map[string]string{code: "v"}, nil)); diags.WarningsCount() != 0 {
			t.Errorf("%s: %v, want no warning", code, diags.Warnings())
		}
	}
}
