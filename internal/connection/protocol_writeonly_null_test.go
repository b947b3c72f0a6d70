package connection_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// A CI plan made with a read-only token and no secrets leaves every write-only
// variable null. With a `_wo_version`, such a plan must work: clean when nothing is
// to be sent, a warning on the attribute when the apply must send the value, and an
// apply that fails on the attribute before any request that writes.

// withNullWriteOnly is writeOnly(kind, s, version) with every write-only value null,
// as a configuration gives it whose variables default to null.
func withNullWriteOnly(kind *connection.Kind, s sample, version int64) sample {
	out := writeOnly(kind, s, version)
	if kind.Custom {
		nulls := map[string]any{}
		for code := range out.stringMap("secret_fields_wo") {
			nulls[code] = nil
		}
		out["secret_fields_wo"] = nulls
		return out
	}
	for _, f := range kind.Fields {
		if f.Secret {
			delete(out, f.Code+"_wo")
		}
	}
	return out
}

// writeOnlyAttrs lists where the sample's write-only values are configured, as
// attrPath prints them.
func writeOnlyAttrs(kind *connection.Kind, s sample) []string {
	var out []string
	if kind.Custom {
		for code := range s.stringMap("secret_fields") {
			out = append(out, `secret_fields_wo["`+code+`"]`)
		}
		slices.Sort(out)
		return out
	}
	for _, f := range kind.Fields {
		if _, ok := s[f.Code]; ok && f.Secret {
			out = append(out, f.Code+"_wo")
		}
	}
	return out
}

// mutationsSent lists the requests since the last reset that change OpenHEXA or need
// the right to (testConnection).
func mutationsSent(srv *openhexatest.Server) []string {
	var out []string
	for _, req := range srv.Requests() {
		switch req.OperationName {
		case "CreateConnection", "UpdateConnection", "DeleteConnection", "TestConnection":
			out = append(out, req.OperationName)
		}
	}
	return out
}

// wantDiagsOn fails unless diags hold a diagnostic of this severity and summary on
// each attribute of at, each detail holding every part of want; for warnings, also
// unless diags hold no error.
func wantDiagsOn(t *testing.T, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, summary string, at []string, want ...string) {
	t.Helper()
	if severity == tfprotov6.DiagnosticSeverityWarning && hasError(diags) {
		t.Fatalf("the plan failed: %s", diagText(diags))
	}
	for _, attr := range at {
		var found *tfprotov6.Diagnostic
		for _, d := range diags {
			if d.Severity == severity && d.Summary == summary && attrPath(d.Attribute) == attr {
				found = d
			}
		}
		if found == nil {
			t.Errorf("no %s %q on %s; got: %s", severity, summary, attr, diagText(diags))
			continue
		}
		for _, w := range want {
			if !strings.Contains(found.Detail, w) {
				t.Errorf("%s on %s lacks %q: %s", severity, attr, w, found.Detail)
			}
		}
	}
}

const (
	warning = tfprotov6.DiagnosticSeverityWarning
	failure = tfprotov6.DiagnosticSeverityError
)

// TestProtocolWriteOnlyNullWithVersion: for every kind with a secret, a versioned
// write-only value left null plans no change on an applied connection (with an ADMIN
// and a VIEWER token); a create, a new version or a field OpenHEXA lacks warns at
// plan and fails at apply before any request that writes; a replacement, whose delete
// comes first, fails at plan, forced (-replace) or not; an unversioned null is
// refused at plan, saying how to plan without it.
func TestProtocolWriteOnlyNullWithVersion(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			values := kindSamples[kind.Name].create
			typeName := kind.ResourceTypeName()
			attrs := writeOnlyAttrs(kind, values)
			applied := func(t *testing.T) (*openhexatest.Server, *instance) {
				srv := openhexatest.Start(t)
				inst := newHarness(t, srv, openhexatest.TokenAdmin).create(typeName, config("WO", "wo", "", writeOnly(kind, values, 1)))
				return srv, inst
			}

			t.Run("applied plans clean", func(t *testing.T) {
				srv, inst := applied(t)
				for _, token := range []string{openhexatest.TokenAdmin, openhexatest.TokenViewer} {
					srv.ResetRequests()
					h := newHarness(t, srv, token) // a later run: refresh, then plan
					current := h.read(inst)
					c := h.plan(typeName, current, config("WO", "wo", "", withNullWriteOnly(kind, values, 1)))
					if len(c.Diagnostics) > 0 {
						t.Errorf("token %s: the plan has diagnostics: %s", token, diagText(c.Diagnostics))
					}
					if hasError(c.Diagnostics) {
						continue
					}
					if planned := h.decodeState(typeName, c.resp.PlannedState); !planned.Equal(current.State) {
						t.Errorf("token %s: the plan changes the connection:\nprior   %v\nplanned %v", token, current.State, planned)
					}
					if _, diags := h.apply(c); hasError(diags) {
						t.Errorf("token %s: applying the empty plan: %s", token, diagText(diags))
					}
					if sent := mutationsSent(srv); len(sent) != 0 {
						t.Errorf("token %s: sent %v", token, sent)
					}
				}
				if err := serverHolds(srv, kind, "WO", "wo", values)(nil); err != nil {
					t.Error(err)
				}
			})

			t.Run("create warns, then fails before writing", func(t *testing.T) {
				srv := openhexatest.Start(t)
				h := newHarness(t, srv, openhexatest.TokenAdmin)
				cfg := config("WO", "wo", "", withNullWriteOnly(kind, values, 1))
				if !kind.Custom {
					cfg["verify"] = true // the credential check is no way around it either
				}
				c := h.plan(typeName, nil, cfg)
				wantDiagsOn(t, c.Diagnostics, warning, "Write-only secret will be sent", attrs, "the connection is created",
					"This plan was made without the value")
				srv.ResetRequests()
				_, diags := h.apply(c)
				wantDiagsOn(t, diags, failure, "Write-only secret missing", attrs, "the connection is created", "Nothing was sent")
				if sent := mutationsSent(srv); len(sent) != 0 {
					t.Errorf("the failed create sent %v", sent)
				}
				if held := srv.AllConnections(); len(held) != 0 {
					t.Errorf("the failed create left %d connection(s)", len(held))
				}
			})

			t.Run("new version warns, then fails before writing", func(t *testing.T) {
				srv, inst := applied(t)
				for _, token := range []string{openhexatest.TokenViewer, openhexatest.TokenAdmin} {
					h := newHarness(t, srv, token)
					c := h.plan(typeName, h.read(inst), config("WO", "wo", "", withNullWriteOnly(kind, values, 2)))
					wantDiagsOn(t, c.Diagnostics, warning, "Write-only secret will be sent", attrs, "its version changed",
						"This plan was made without the value")
					if token != openhexatest.TokenAdmin {
						continue // a VIEWER reviews the plan; the apply job has the write token
					}
					srv.ResetRequests()
					_, diags := h.apply(c)
					wantDiagsOn(t, diags, failure, "Write-only secret missing", attrs, "its version changed")
					if sent := mutationsSent(srv); len(sent) != 0 {
						t.Errorf("the failed update sent %v", sent)
					}
				}
				if err := serverHolds(srv, kind, "WO", "wo", values)(nil); err != nil {
					t.Error(err)
				}
			})

			t.Run("field OpenHEXA lacks warns, then fails before writing", func(t *testing.T) {
				srv, inst := applied(t)
				conn, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "wo")
				srv.ModifyStored(conn.ID, func(c *openhexatest.StoredConnection) {
					c.Fields = slices.DeleteFunc(c.Fields, func(f openhexatest.Field) bool { return f.Secret })
				})
				h := newHarness(t, srv, openhexatest.TokenAdmin)
				c := h.plan(typeName, h.read(inst), config("WO", "wo", "", withNullWriteOnly(kind, values, 1)))
				wantDiagsOn(t, c.Diagnostics, warning, "Write-only secret will be sent", attrs, "OpenHEXA does not hold the field")
				srv.ResetRequests()
				_, diags := h.apply(c)
				wantDiagsOn(t, diags, failure, "Write-only secret missing", attrs, "OpenHEXA does not hold the field")
				if sent := mutationsSent(srv); len(sent) != 0 {
					t.Errorf("the failed update sent %v", sent)
				}
			})

			t.Run("replacement refused at plan", func(t *testing.T) {
				// Its delete would come before the create that needs the value.
				srv, inst := applied(t)
				elsewhere := newHarnessConfig(t, map[string]any{"url": srv.URL(), "token": openhexatest.TokenAdmin,
					"workspace": openhexatest.WorkspaceOther})
				c := elsewhere.plan(typeName, inst, config("WO", "wo", "", withNullWriteOnly(kind, values, 1)))
				wantDiagsOn(t, c.Diagnostics, failure, "Write-only secret missing", attrs, "This plan replaces the connection")
				if c := elsewhere.plan(typeName, inst, config("WO", "wo", "", writeOnly(kind, values, 1))); hasError(c.Diagnostics) || len(c.requiresReplace()) == 0 {
					t.Errorf("with the value, the replacement is not planned: %s", diagText(c.Diagnostics))
				}
			})

			t.Run("forced replacement refused at plan", func(t *testing.T) {
				// -replace: the first half plans no change, the create half (with its
				// note) must refuse, or the delete half deletes what the create cannot
				// make again.
				srv, inst := applied(t)
				h := newHarness(t, srv, openhexatest.TokenAdmin)
				createHalf := h.planReplacement(h.read(inst), config("WO", "wo", "", withNullWriteOnly(kind, values, 1)))
				wantDiagsOn(t, createHalf.Diagnostics, failure, "Write-only secret missing", attrs, "This plan replaces the connection")
				if createHalf := h.planReplacement(h.read(inst), config("WO", "wo", "", writeOnly(kind, values, 1))); hasError(createHalf.Diagnostics) {
					t.Errorf("with the value, the replacement is refused: %s", diagText(createHalf.Diagnostics))
				}
				if _, ok := srv.Connection(inst.str(t, "id")); !ok {
					t.Error("the connection left OpenHEXA")
				}
			})

			t.Run("unversioned null refused at plan", func(t *testing.T) {
				srv, inst := applied(t)
				h := newHarness(t, srv, openhexatest.TokenAdmin)
				c := h.plan(typeName, h.read(inst), config("WO", "wo", "", withNullWriteOnly(kind, values, 0)))
				switch {
				case kind.Custom:
					wantDiagsOn(t, c.Diagnostics, failure, "Field without a value", []string{`secret_fields_wo["api_key"]`},
						"set `secret_fields_wo_version`")
				case kind.Name == "s3":
					// S3's secret is optional (public buckets): null and no version is the
					// secret left out, which keeps what OpenHEXA holds.
					if hasError(c.Diagnostics) || plansWrite(t, c) {
						t.Errorf("an optional secret left out plans a write or fails: %s", diagText(c.Diagnostics))
					}
				default:
					code := strings.TrimSuffix(attrs[0], "_wo")
					wantDiagsOn(t, c.Diagnostics, failure, "Missing "+code, []string{code}, "set `"+code+"_wo_version`")
				}
			})
		})
	}
}

// TestProtocolWriteOnlyNullLayoutRepair: a secret code held without its secret flag
// is repaired with the value left null: the update sends the flag with value null,
// which keeps what OpenHEXA holds, so no value is needed.
func TestProtocolWriteOnlyNullLayoutRepair(t *testing.T) {
	kind := connection.KindByName("dhis2")
	values := kindSamples[kind.Name].create
	srv := openhexatest.Start(t)
	inst := newHarness(t, srv, openhexatest.TokenAdmin).create(kind.ResourceTypeName(), config("WO", "wo", "", writeOnly(kind, values, 1)))
	conn, _ := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "wo")
	srv.ModifyStored(conn.ID, func(c *openhexatest.StoredConnection) {
		for i := range c.Fields {
			c.Fields[i].Secret = false
		}
	})
	h := newHarness(t, srv, openhexatest.TokenAdmin)
	c := h.plan(kind.ResourceTypeName(), h.read(inst), config("WO", "wo", "", withNullWriteOnly(kind, values, 1)))
	if findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Secret flag to set") == nil || !plansWrite(t, c) {
		t.Fatalf("no repair planned: %s", diagText(c.Diagnostics))
	}
	if d := findDiag(c.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Write-only secret will be sent"); d != nil {
		t.Errorf("the repair says the secret will be sent: %s", d.Detail)
	}
	if _, diags := h.apply(c); hasError(diags) {
		t.Fatal(diagText(diags))
	}
	if err := serverHolds(srv, kind, "WO", "wo", values)(nil); err != nil {
		t.Error(err) // the value kept, and every secret flag as the type has it
	}
}

// TestProtocolWriteOnlyNullVerify: an update with `verify = true` needs every value for
// the credential check, even one it does not send: a warning at plan, and the apply
// fails before the check.
func TestProtocolWriteOnlyNullVerify(t *testing.T) {
	kind := connection.KindByName("postgres")
	values := kindSamples[kind.Name].create
	srv := openhexatest.Start(t)
	h := newHarness(t, srv, openhexatest.TokenAdmin)
	inst := h.create(kind.ResourceTypeName(), config("WO", "wo", "", writeOnly(kind, values, 1)))
	cfg := config("WO", "wo", "A new description", withNullWriteOnly(kind, values, 1))
	cfg["verify"] = true
	c := h.plan(kind.ResourceTypeName(), inst, cfg)
	wantDiagsOn(t, c.Diagnostics, warning, "Write-only secret will be sent", []string{"password_wo"}, "`verify = true`")
	srv.ResetRequests()
	_, diags := h.apply(c)
	wantDiagsOn(t, diags, failure, "Write-only secret missing", []string{"password_wo"}, "`verify = true`")
	if sent := mutationsSent(srv); len(sent) != 0 {
		t.Errorf("the failed update sent %v", sent)
	}
	// Without verify, the same change needs no value.
	delete(cfg, "verify")
	next := h.update(inst, cfg)
	if got := next.str(t, "description"); got != "A new description" {
		t.Errorf("description %q after the update", got)
	}
	if err := serverHolds(srv, kind, "WO", "wo", values)(nil); err != nil {
		t.Error(err) // the password kept, with every other field
	}
}

// TestProtocolWriteOnlyVersionRules: the configuration rules of the version and the
// sensitive attribute.
func TestProtocolWriteOnlyVersionRules(t *testing.T) {
	h := newUnconfiguredHarness(t)
	postgres := kindSamples["postgres"].create
	t.Run("version alone satisfies a required secret", func(t *testing.T) {
		cfg := withNullWriteOnly(connection.KindByName("postgres"), postgres, 1)
		cfg["name"] = "WO"
		if diags := h.validate("openhexa_postgres_connection", cfg); len(diags) > 0 {
			t.Errorf("refused: %s", diagText(diags))
		}
	})
	t.Run("the sensitive attribute conflicts with the version", func(t *testing.T) {
		cfg := config("WO", "", "", postgres)
		cfg["password_wo_version"] = int64(1)
		wantError(t, h.validate("openhexa_postgres_connection", cfg), "Invalid Attribute Combination", "password")
	})
	t.Run("custom version without the map of codes", func(t *testing.T) {
		cfg := config("WO", "", "", sample{"secret_fields_wo_version": int64(1)})
		d := wantError(t, h.validate("openhexa_custom_connection", cfg), "Missing secret_fields_wo", "secret_fields_wo_version")
		if !strings.Contains(d.Detail, "api_key = var.api_key") {
			t.Errorf("the error does not show how to list the codes: %s", d.Detail)
		}
	})
	t.Run("custom null value beside a version", func(t *testing.T) {
		cfg := config("WO", "", "", sample{"secret_fields_wo": map[string]any{"api_key": nil, "token": "t"}, "secret_fields_wo_version": int64(1)})
		if diags := h.validate("openhexa_custom_connection", cfg); len(diags) > 0 {
			t.Errorf("refused: %s", diagText(diags))
		}
	})
}
