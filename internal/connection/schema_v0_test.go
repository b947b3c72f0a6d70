package connection

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// servedAttribute is one attribute of `providers schema -json`.
type servedAttribute struct {
	Type      json.RawMessage `json:"type"`
	Required  bool            `json:"required"`
	Optional  bool            `json:"optional"`
	Computed  bool            `json:"computed"`
	Sensitive bool            `json:"sensitive"`
	WriteOnly bool            `json:"write_only"`
}

// schemasServedAtV0 reads the resource schemas the provider of schema version 0
// served (testdata/state-v0/providers-schema.json).
func schemasServedAtV0(t *testing.T) map[string]map[string]servedAttribute {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "state-v0", "providers-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ResourceSchemas map[string]struct {
			Version int `json:"version"`
			Block   struct {
				Attributes map[string]servedAttribute `json:"attributes"`
			} `json:"block"`
		} `json:"resource_schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]servedAttribute{}
	for name, s := range doc.ResourceSchemas {
		if s.Version != 0 {
			t.Fatalf("%s: the fixture's schema has version %d", name, s.Version)
		}
		out[name] = s.Block.Attributes
	}
	return out
}

// TestStateV0SchemaIsTheOneServed: the frozen schema of version 0 has, for every kind,
// the attributes, types and flags that the provider of version 0 served.
func TestStateV0SchemaIsTheOneServed(t *testing.T) {
	served := schemasServedAtV0(t)
	if len(served) != len(Kinds) {
		t.Errorf("the fixture has %d resource schemas, the table %d kinds", len(served), len(Kinds))
	}
	for _, k := range Kinds {
		want, ok := served[k.ResourceTypeName()]
		if !ok {
			t.Errorf("%s: not in the fixture", k.ResourceTypeName())
			continue
		}
		s, ok := k.schemaV0()
		if !ok {
			t.Errorf("%s: no schema of version 0", k.ResourceTypeName())
			continue
		}
		got := map[string]servedAttribute{}
		for name, a := range s.Attributes {
			typ, err := json.Marshal(a.GetType().TerraformType(context.Background()))
			if err != nil {
				t.Fatal(err)
			}
			got[name] = servedAttribute{Type: typ, Required: a.IsRequired(), Optional: a.IsOptional(),
				Computed: a.IsComputed(), Sensitive: a.IsSensitive(), WriteOnly: a.IsWriteOnly()}
		}
		for name := range want {
			w := want[name]
			w.Type = compactJSON(t, w.Type)
			want[name] = w
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the frozen schema of version 0 differs from the one served:\n got  %s\n want %s",
				k.ResourceTypeName(), describeServed(got), describeServed(want))
		}
	}
}

// TestStateV0SchemaIsFrozen: a change of a kind's fields (a new code, the port's type)
// leaves what a state of version 0 is read as unchanged.
func TestStateV0SchemaIsFrozen(t *testing.T) {
	pg := KindByName("postgres")
	before, _ := pg.schemaV0()
	changed := *pg
	changed.Fields = append([]FieldSpec{}, pg.Fields...)
	changed.Fields = append(changed.Fields, FieldSpec{Code: "sslmode", Default: "prefer"})
	for i := range changed.Fields {
		if changed.Fields[i].Code == "port" {
			changed.Fields[i].Type = fieldString
		}
	}
	after, _ := changed.schemaV0()
	ctx := context.Background()
	if !before.Type().TerraformType(ctx).Equal(after.Type().TerraformType(ctx)) {
		t.Errorf("a change of the table changed the schema of version 0:\n before %s\n after  %s",
			before.Type().TerraformType(ctx), after.Type().TerraformType(ctx))
	}
	if _, ok := after.Attributes["sslmode"]; ok {
		t.Error("a code added to the table today appears in the schema of version 0")
	}
	if port, ok := after.Attributes["port"].(schema.Int64Attribute); !ok || !port.Optional || !port.Computed {
		t.Errorf("the version-0 port is %#v, want the optional, computed number it was", after.Attributes["port"])
	}
	if obj, ok := after.Type().TerraformType(ctx).(tftypes.Object); !ok || !obj.AttributeTypes["port"].Is(tftypes.Number) {
		t.Error("the version-0 port is not a number")
	}
}

func compactJSON(t *testing.T, raw json.RawMessage) json.RawMessage {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return out
}

func describeServed(m map[string]servedAttribute) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	out := ""
	for _, n := range names {
		a := m[n]
		out += n + ":" + string(a.Type)
		for i, on := range []bool{a.Required, a.Optional, a.Computed, a.Sensitive, a.WriteOnly} {
			if on {
				out += string("ROCSW"[i])
			}
		}
		out += " "
	}
	return out
}
