package connection_test

// The upgrade from schema version 0, tested on states that the provider of version 0
// wrote (testdata/state-v0, see its README): through the protocol, and through the
// CLI that wrote each of them.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const v0FixtureDir = "testdata/state-v0"

// v0Instance is one resource instance of a fixture state.
type v0Instance struct {
	TypeName, Name string
	Attributes     json.RawMessage
	Private        []byte
}

// v0Fixture reads the state written by the CLI (tofu or terraform) of the fixture.
func v0Fixture(t *testing.T, cli string) []v0Instance {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(v0FixtureDir, cli, "v0.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				SchemaVersion int             `json:"schema_version"`
				Attributes    json.RawMessage `json:"attributes"`
				Private       string          `json:"private"`
			}
		}
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	var out []v0Instance
	for _, r := range state.Resources {
		for _, inst := range r.Instances {
			if inst.SchemaVersion != 0 {
				t.Fatalf("%s.%s: schema version %d in the fixture", r.Type, r.Name, inst.SchemaVersion)
			}
			private, err := base64.StdEncoding.DecodeString(inst.Private)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v0Instance{TypeName: r.Type, Name: r.Name, Attributes: inst.Attributes, Private: private})
		}
	}
	return out
}

// seedV0Server puts into srv the connections the fixture's server held, ids and
// times included.
func seedV0Server(t *testing.T, srv *openhexatest.Server) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(v0FixtureDir, "openhexa.json"))
	if err != nil {
		t.Fatal(err)
	}
	var conns []struct {
		ID, Name, Slug, Description, Type string
		CreatedAt, UpdatedAt              time.Time
		Fields                            []struct {
			Code, Value string
			Secret      bool
		}
	}
	if err := json.Unmarshal(raw, &conns); err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		stored := openhexatest.StoredConnection{ID: c.ID, Workspace: openhexatest.WorkspaceMain, Name: c.Name,
			Slug: c.Slug, Description: c.Description, Type: c.Type, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
		for _, f := range c.Fields {
			stored.Fields = append(stored.Fields, openhexatest.Field{Code: f.Code, Value: f.Value, Secret: f.Secret})
		}
		if got := srv.CreateStored(stored); got.Slug != c.Slug {
			t.Fatalf("seeding %s: the test server stored slug %q", c.Slug, got.Slug)
		}
	}
}

// TestProtocolStateUpgradeFromV0Fixture upgrades every instance of both fixture
// states: every attribute keeps its value, `port` becomes its string, the extra-field
// attributes start null; then a read against a server holding what the fixture's
// server held succeeds without a diagnostic and changes nothing but those.
func TestProtocolStateUpgradeFromV0Fixture(t *testing.T) {
	for _, cli := range []string{"tofu", "terraform"} {
		t.Run(cli, func(t *testing.T) {
			srv := openhexatest.Start(t)
			seedV0Server(t, srv)
			h := newHarness(t, srv, openhexatest.TokenEditor)
			for _, fx := range v0Fixture(t, cli) {
				t.Run(fx.TypeName+"."+fx.Name, func(t *testing.T) {
					var old map[string]any
					if err := json.Unmarshal(fx.Attributes, &old); err != nil {
						t.Fatal(err)
					}
					resp, err := h.server.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
						TypeName: fx.TypeName, Version: 0, RawState: &tfprotov6.RawState{JSON: fx.Attributes},
					})
					if err != nil || len(resp.Diagnostics) > 0 {
						t.Fatalf("UpgradeResourceState: %v %s", err, diagText(resp.Diagnostics))
					}
					upgraded := &instance{TypeName: fx.TypeName, State: h.decodeState(fx.TypeName, resp.UpgradedState), Private: fx.Private}
					got := stateAsJSONValues(t, upgraded.State)
					for name, v := range old {
						want := v
						if n, isNumber := v.(float64); isNumber && name == "port" {
							want = fmt.Sprint(n)
						}
						if !reflect.DeepEqual(got[name], want) {
							t.Errorf("%s: %#v after the upgrade, was %#v", name, got[name], v)
						}
					}
					for name, v := range got {
						if _, was := old[name]; !was && v != nil {
							t.Errorf("%s: new attribute %#v, want null until a read", name, v)
						}
					}

					read, diags := h.tryRead(upgraded)
					if len(diags) > 0 {
						t.Fatalf("read after the upgrade: %s", diagText(diags))
					}
					after := stateAsJSONValues(t, read.State)
					for name, v := range got {
						if name != "extra_fields" && name != "extra_secret_fields" && !reflect.DeepEqual(after[name], v) {
							t.Errorf("%s: %#v after the read, %#v upgraded", name, after[name], v)
						}
					}
				})
			}
		})
	}
}

// stateAsJSONValues decodes a state into the values JSON would give (numbers as
// float64, maps as map[string]any), as the fixture's attributes are read.
func stateAsJSONValues(t *testing.T, v tftypes.Value) map[string]any {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for name, a := range attrs {
		out[name] = jsonValue(t, a)
	}
	return out
}

func jsonValue(t *testing.T, v tftypes.Value) any {
	t.Helper()
	if v.IsNull() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case v.Type().Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		f, _ := n.Float64()
		return f
	case v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = jsonValue(t, e)
		}
		return out
	case v.Type().Is(tftypes.Set{}), v.Type().Is(tftypes.List{}):
		var l []tftypes.Value
		_ = v.As(&l)
		out := []any{}
		for _, e := range l {
			out = append(out, jsonValue(t, e))
		}
		return out
	}
	t.Fatalf("unexpected type %s", v.Type())
	return nil
}

// TestAccStateUpgradeFromV0Fixture runs the CLI of the tests on the state its own
// kind wrote with the provider of schema version 0, and the configuration that wrote
// it (unchanged: the port a number, which Terraform converts to today's string),
// against a server holding what that server held: the plan shows no change, with
// refresh and without; an apply writes the state at version 1 with the port a string.
func TestAccStateUpgradeFromV0Fixture(t *testing.T) {
	needsTestServer(t, "a server holding the fixture's connections, ids and times included")
	cli := requireCLI(t)
	fixture := "tofu"
	if !acctest.IsOpenTofu() {
		fixture = "terraform"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv := openhexatest.Start(t)
	seedV0Server(t, srv)
	tf := newTofuCLI(t, cli, buildProvider(ctx, t, t.TempDir()))
	mainTF, err := os.ReadFile(filepath.Join(v0FixtureDir, fixture, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	config := strings.Replace(string(mainTF), `"http://127.0.0.1:8911"`, fmt.Sprintf("%q", srv.URL()), 1)
	writeFile(t, filepath.Join(tf.work, "main.tf"), config)
	state, err := os.ReadFile(filepath.Join(v0FixtureDir, fixture, "v0.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tf.work, "terraform.tfstate"), string(state))

	for _, args := range [][]string{
		{"plan", "-detailed-exitcode", "-input=false", "-no-color"},
		{"plan", "-refresh=false", "-detailed-exitcode", "-input=false", "-no-color"},
	} {
		if out, code := tf.run(ctx, openhexatest.TokenEditor, args...); code != 0 {
			t.Fatalf("%s on the state of version 0: exit %d, want 0 (no change):\n%s", strings.Join(args, " "), code, tail(out))
		}
	}
	out, code := tf.run(ctx, openhexatest.TokenEditor, "apply", "-auto-approve", "-input=false", "-no-color")
	if code != 0 || !strings.Contains(out, "0 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply on the state of version 0 (exit %d):\n%s", code, tail(out))
	}
	raw, err := os.ReadFile(filepath.Join(tf.work, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var written struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				SchemaVersion int            `json:"schema_version"`
				Attributes    map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal(raw, &written); err != nil {
		t.Fatal(err)
	}
	ports := map[string]any{}
	for _, r := range written.Resources {
		for _, inst := range r.Instances {
			if inst.SchemaVersion != 1 {
				t.Errorf("%s.%s: schema version %d after the apply, want 1", r.Type, r.Name, inst.SchemaVersion)
			}
			if p, ok := inst.Attributes["port"]; ok {
				ports[r.Name] = p
			}
		}
	}
	if want := map[string]any{"warehouse": "6543", "default_port": "5432"}; !reflect.DeepEqual(ports, want) {
		t.Errorf("ports after the apply: %#v, want %#v", ports, want)
	}
	if out, code := tf.run(ctx, openhexatest.TokenEditor, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("plan after the upgrade's apply: exit %d, want 0:\n%s", code, tail(out))
	}
}
