package connection_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// writeOnly moves every secret of a sample to its write-only twin, with the given
// version (0: none), and marks each value with tag so tests can look for it.
func writeOnly(kind *connection.Kind, s sample, version int64) sample {
	out := sample{}
	for name, v := range s {
		out[name] = v
	}
	if kind.Custom {
		if secrets, ok := out["secret_fields"]; ok {
			delete(out, "secret_fields")
			out["secret_fields_wo"] = secrets
			if version > 0 {
				out["secret_fields_wo_version"] = version
			}
		}
		return out
	}
	for _, f := range kind.Fields {
		if v, ok := out[f.Code]; ok && f.Secret {
			delete(out, f.Code)
			out[f.Code+"_wo"] = v
			if version > 0 {
				out[f.Code+"_wo_version"] = version
			}
		}
	}
	return out
}

// secretValues lists the secret values of a sample (write-only or not).
func secretValues(kind *connection.Kind, s sample) []string {
	var out []string
	for name, v := range s {
		switch {
		case kind.Custom && strings.HasPrefix(name, "secret_fields") && !strings.HasSuffix(name, "version"):
			for _, e := range sampleValue[map[string]string](name, v) {
				out = append(out, e)
			}
		case !kind.Custom:
			for _, f := range kind.Fields {
				if f.Secret && (name == f.Code || name == f.Code+"_wo") {
					out = append(out, sampleValue[string](name, v))
				}
			}
		}
	}
	return out
}

// withoutWriteOnly drops write-only attributes, for state checks.
func withoutWriteOnly(s sample) sample {
	out := sample{}
	for name, v := range s {
		if !strings.HasSuffix(name, "_wo") {
			out[name] = v
		}
	}
	return out
}

// serverValues is what the server must hold for a write-only sample.
func serverValues(s sample) sample {
	out := sample{}
	for name, v := range s {
		switch {
		case strings.HasSuffix(name, "_wo_version"):
		case name == "secret_fields_wo":
			out["secret_fields"] = v
		case strings.HasSuffix(name, "_wo"):
			out[strings.TrimSuffix(name, "_wo")] = v
		default:
			out[name] = v
		}
	}
	return out
}

// modifySecrets changes every secret value of the connection out of band.
func (tg *target) modifySecrets(t *testing.T, slug string) func() {
	return func() {
		tg.modify(t, slug, func(c *openhexatest.StoredConnection) {
			for i := range c.Fields {
				if c.Fields[i].Secret {
					c.Fields[i].Value = "changed-out-of-band"
				}
			}
		})
	}
}

func modifySecrets(srv *openhexatest.Server, slug string) func() {
	return func() {
		conn, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, slug)
		srv.ModifyStored(conn.ID, func(c *openhexatest.StoredConnection) {
			for i := range c.Fields {
				if c.Fields[i].Secret {
					c.Fields[i].Value = "changed-out-of-band"
				}
			}
		})
	}
}

// TestAccWriteOnlyRotationByHash: write-only secrets without a version are tracked by
// a salted hash in private state. A changed value is planned as an update and sent;
// an out-of-band change is caught with an EDITOR token and never shown to a VIEWER.
func TestAccWriteOnlyRotationByHash(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			addr := kind.ResourceTypeName() + ".test"
			name, slug := tg.name("Rotating"), tg.slug("rotating")
			first := writeOnly(kind, kindSamples[kind.Name].create, 0)
			second := writeOnly(kind, kindSamples[kind.Name].update, 0)
			cfg := func(token string, s sample) string {
				return tg.config(token, kind, name, slug, "", s)
			}
			secrets := append(secretValues(kind, first), secretValues(kind, second)...)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				CheckDestroy:             tg.empty(t),
				Steps: []resource.TestStep{
					{
						Config:            cfg(tg.editor, first),
						ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noMarkerInPlan(secrets)}},
						ConfigStateChecks: tg.stateChecks(addr, name, slug, "", withoutWriteOnly(first)),
						Check: resource.ComposeTestCheckFunc(
							tg.holds(t, kind, name, slug, serverValues(first)), noMarkerInState(secrets...)),
					},
					{
						// A new value, same attributes otherwise: the plan says an update will happen.
						Config: cfg(tg.editor, second),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue(addr, tfjsonpath.New("updated_at")),
							noMarkerInPlan(secrets),
						}},
						Check: resource.ComposeTestCheckFunc(
							tg.holds(t, kind, name, slug, serverValues(second)), noMarkerInState(secrets...)),
					},
					{
						// Changed in the web app: a VIEWER cannot see it and plans nothing.
						PreConfig: tg.modifySecrets(t, slug),
						Config:    cfg(tg.viewer, second),
						PlanOnly:  true,
					},
					{
						// An EDITOR's refresh compares hashes and sends the value again.
						Config: cfg(tg.editor, second),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: tg.holds(t, kind, name, slug, serverValues(second)),
					},
				},
			})
		})
	}
}

// TestAccWriteOnlyRotationByVersion: with a version, the value is sent again only
// when the version changes.
func TestAccWriteOnlyRotationByVersion(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			addr := kind.ResourceTypeName() + ".test"
			name, slug := tg.name("Versioned"), tg.slug("versioned")
			v1 := writeOnly(kind, kindSamples[kind.Name].create, 1)
			// New secret values but the same version: nothing is sent.
			sameVersion := writeOnly(kind, withSecretsOf(kind, kindSamples[kind.Name].create, kindSamples[kind.Name].update), 1)
			v2 := writeOnly(kind, withSecretsOf(kind, kindSamples[kind.Name].create, kindSamples[kind.Name].update), 2)
			cfg := func(s sample) string {
				return tg.config(tg.editor, kind, name, slug, "", s)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				CheckDestroy:             tg.empty(t),
				Steps: []resource.TestStep{
					{
						Config:            cfg(v1),
						ConfigStateChecks: tg.stateChecks(addr, name, slug, "", withoutWriteOnly(v1)),
						Check:             tg.holds(t, kind, name, slug, serverValues(v1)),
					},
					{Config: cfg(sameVersion), PlanOnly: true},
					{
						Config: cfg(v2),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(addr, tfjsonpath.New(versionAttr(kind)), knownvalue.Int64Exact(2)),
						},
						Check: tg.holds(t, kind, name, slug, serverValues(v2)),
					},
				},
			})
		})
	}
}

// TestAccWriteOnlyCustomRotatesOneKey: changing one write-only key of a custom
// connection sends that key alone; the others go as null, which keeps them.
func TestAccWriteOnlyCustomRotatesOneKey(t *testing.T) {
	t.Parallel()
	kind := connection.KindByName("custom")
	tg := targetFor(t)
	addr := kind.ResourceTypeName() + ".test"
	name, slug := tg.name("Keys"), tg.slug("keys")
	values := func(b string) sample {
		return sample{"fields": map[string]string{"region": "north"}, "secret_fields_wo": map[string]string{"a": "secret-a", "b": b}}
	}
	cfg := func(s sample) string {
		return tg.config(tg.editor, kind, name, slug, "", s)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             tg.empty(t),
		Steps: []resource.TestStep{
			{Config: cfg(values("secret-b1"))},
			{
				PreConfig: func() {
					if !tg.real() {
						tg.srv.ResetRequests()
					}
				},
				Config: cfg(values("secret-b2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					// What was sent is in the test server's request log only; what the
					// server then holds is checked on every target.
					if !tg.real() {
						sent := sentFieldValues(tg.srv)
						if len(sent) == 0 {
							return fmt.Errorf("no UpdateConnection request recorded")
						}
						if sent["a"] != "null" || sent["b"] != "value" || sent["region"] != "value" {
							return fmt.Errorf("update sent %v; want a=null (kept), b and region with values", sent)
						}
					}
					conn, _ := tg.storedBySlug(t, slug)
					for _, f := range conn.Fields {
						if (f.Code == "a" && f.Value != "secret-a") || (f.Code == "b" && f.Value != "secret-b2") {
							return fmt.Errorf("server field %s does not hold the expected value", f.Code)
						}
					}
					return nil
				},
			},
		},
	})
}

// sentFieldValues tells, per code of the last UpdateConnection, whether a value or null was sent.
func sentFieldValues(srv *openhexatest.Server) map[string]string {
	out := map[string]string{}
	for _, req := range srv.Requests() {
		if req.OperationName != "UpdateConnection" {
			continue
		}
		input, _ := req.Variables["input"].(map[string]any)
		fields, _ := input["fields"].([]any)
		for _, f := range fields {
			field, _ := f.(map[string]any)
			code, _ := field["code"].(string)
			if field["value"] == nil {
				out[code] = "null"
			} else {
				out[code] = "value"
			}
		}
	}
	return out
}

// withSecretsOf returns base with the secret values of other.
func withSecretsOf(kind *connection.Kind, base, other sample) sample {
	out := sample{}
	for name, v := range base {
		out[name] = v
	}
	if kind.Custom {
		// Same keys, new values: adding a key is a layout change, always sent.
		changed := map[string]string{}
		for code, v := range base.stringMap("secret_fields") {
			changed[code] = v + "-rotated"
		}
		out["secret_fields"] = changed
		return out
	}
	for _, f := range kind.Fields {
		if f.Secret {
			if v, ok := other[f.Code]; ok {
				out[f.Code] = v
			}
		}
	}
	return out
}

func versionAttr(kind *connection.Kind) string {
	if kind.Custom {
		return "secret_fields_wo_version"
	}
	for _, f := range kind.Fields {
		if f.Secret {
			return f.Code + "_wo_version"
		}
	}
	return ""
}

// nullableSecretConfig is the configuration of a CI repository: the kind's secret
// write-only, from an ephemeral variable that defaults to null, with a version; the
// other values from the sample.
func nullableSecretConfig(tg *target, token string, kind *connection.Kind, name, slug string, values sample, version int64) string {
	plain := sample{}
	secret := ""
	for attr, v := range values {
		switch {
		case kind.Custom && attr == "secret_fields":
			var codes []string
			for code := range sampleValue[map[string]string](attr, v) {
				codes = append(codes, fmt.Sprintf("%q = var.secret", code))
			}
			secret = fmt.Sprintf("  secret_fields_wo = { %s }\n  secret_fields_wo_version = %d", strings.Join(codes, ", "), version)
		case isSecretCode(kind, attr):
			secret = fmt.Sprintf("  %s_wo = var.secret\n  %s_wo_version = %d", attr, attr, version)
		default:
			plain[attr] = v
		}
	}
	return tg.providerConfig(token) + fmt.Sprintf(`
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}

resource %q "test" {
  name = %q
  slug = %q
%s
%s
}
`, kind.ResourceTypeName(), name, slug, plain.hcl(), secret)
}

func isSecretCode(kind *connection.Kind, code string) bool {
	for _, f := range kind.Fields {
		if f.Code == code {
			return f.Secret
		}
	}
	return false
}

// withSecret returns the sample with its secret value replaced by value.
func withSecret(kind *connection.Kind, s sample, value string) sample {
	out := sample{}
	for attr, v := range s {
		switch {
		case kind.Custom && attr == "secret_fields":
			m := map[string]string{}
			for code := range sampleValue[map[string]string](attr, v) {
				m[code] = value
			}
			out[attr] = m
		case isSecretCode(kind, attr):
			out[attr] = value
		default:
			out[attr] = v
		}
	}
	return out
}

// TestAccWriteOnlyNullPlanInCI: the CI scenario through the CLI. An apply with the
// value and an ADMIN token; then a plan with a VIEWER token and the variable null
// shows no changes, and one with a new version shows the update; an apply of the new
// version without the value fails, OpenHEXA keeping its value; with it, it is sent.
func TestAccWriteOnlyNullPlanInCI(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tg := targetFor(t)
			name, slug := tg.name("CI"), tg.slug("ci")
			values := kindSamples[kind.Name].create
			first, rotated := withSecret(kind, values, "ci-secret-1"), withSecret(kind, values, "ci-secret-2")
			cfg := func(token string, version int64) string {
				return nullableSecretConfig(tg, token, kind, name, slug, values, version)
			}
			secret := func(v string) tfconfig.Variables { return tfconfig.Variables{"secret": tfconfig.StringVariable(v)} }
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				CheckDestroy:             tg.empty(t),
				Steps: []resource.TestStep{
					{
						Config:          cfg(tg.admin, 1),
						ConfigVariables: secret("ci-secret-1"),
						Check:           tg.holds(t, kind, name, slug, first),
					},
					// The pull request's plan: a VIEWER, no secret.
					{Config: cfg(tg.viewer, 1), PlanOnly: true},
					{Config: cfg(tg.viewer, 2), PlanOnly: true, ExpectNonEmptyPlan: true},
					{
						// An apply job without the secret fails before sending anything.
						Config:      cfg(tg.editor, 2),
						ExpectError: regexp.MustCompile(`Write-only secret missing`),
					},
					{
						PreConfig: func() {
							if err := tg.holds(t, kind, name, slug, first)(nil); err != nil {
								t.Errorf("after the failed apply: %v", err)
							}
						},
						Config:          cfg(tg.editor, 2),
						ConfigVariables: secret("ci-secret-2"),
						Check:           tg.holds(t, kind, name, slug, rotated),
					},
				},
			})
		})
	}
}
