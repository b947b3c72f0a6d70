package connection_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// leakMarker is the secret value a test configures: it must never show up where
// secrets do not belong.
func leakMarker(kind *connection.Kind, n string) string { return "LEAKMARKER-" + kind.Name + "-" + n }

// markedSample is the kind's create sample with every secret set to a marker; with
// writeOnly the secrets go to the write-only attributes instead.
func markedSample(kind *connection.Kind, marker string, writeOnlySecrets bool) sample {
	out := sample{}
	for k, v := range kindSamples[kind.Name].create {
		out[k] = v
	}
	if kind.Custom {
		out["secret_fields"] = map[string]string{"api_key": marker}
	}
	for _, f := range kind.Fields {
		if !f.Secret {
			continue
		}
		out[f.Code] = marker
		if f.Code == "service_account_key" {
			out[f.Code] = fmt.Sprintf(`{"type":"service_account","client_email":"etl@p.iam.gserviceaccount.com","private_key":%q}`, marker)
		}
	}
	if writeOnlySecrets {
		return writeOnly(kind, out, 0)
	}
	return out
}

// noMarkerInState fails when a marker is in any attribute of the state.
func noMarkerInState(markers ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		raw, err := json.Marshal(s)
		if err != nil {
			return err
		}
		for _, m := range markers {
			if strings.Contains(string(raw), m) {
				return fmt.Errorf("the state holds the write-only value %s", m)
			}
		}
		return nil
	}
}

// noMarkerInPlan is a plan check that marshals the JSON plan: planned values,
// resource changes, prior state, everything the provider contributes to. The
// `configuration` section is left out: the CLI copies literal expressions of the
// configuration there (`constant_value`), write-only ones included, whatever the
// provider does; real configurations feed write-only values from ephemeral
// sources, which have no constant value.
type noMarkerInPlan []string

func (m noMarkerInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	plan.Config = nil
	raw, err := json.Marshal(plan)
	if err != nil {
		resp.Error = err
		return
	}
	for _, marker := range m {
		if i := strings.Index(string(raw), marker); i >= 0 {
			resp.Error = fmt.Errorf("the JSON plan holds the write-only value %s: …%s…", marker, excerpt(string(raw), i))
			return
		}
	}
}

// noMarkerOnServerLog fails when a marker is in the variables the server logged
// (the log redacts secret:true values: a marker there was sent as not secret).
func noMarkerOnServerLog(srv *openhexatest.Server, markers ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range srv.Requests() {
			raw, _ := json.Marshal(r.Variables)
			for _, m := range markers {
				if strings.Contains(string(raw), m) {
					return fmt.Errorf("request %s sent %s as a value not marked secret", r.OperationName, m)
				}
			}
		}
		return nil
	}
}

// TestAccLeakNoSecretInTraceLogs applies, imports, updates and destroys every kind
// with marker secrets under TF_LOG=TRACE, then looks for the markers (and the
// token) in the log file, the server's request log, the errors, and — for
// write-only secrets — the state and the JSON plan.
func TestAccLeakNoSecretInTraceLogs(t *testing.T) {
	needsTestServer(t, "the request log and a fault that echoes secrets")
	for _, kind := range connection.Kinds {
		t.Run(kind.Name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "trace.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_LOG_PATH", logFile)
			t.Setenv("TF_ACC_LOG_PATH", logFile)

			srv := openhexatest.Start(t)
			addr := kind.ResourceTypeName() + ".test"
			m1, m2, mEcho := leakMarker(kind, "1"), leakMarker(kind, "2"), leakMarker(kind, "echo")
			wo1, wo2 := leakMarker(kind, "wo1"), leakMarker(kind, "wo2")
			cfg := func(name string, values sample) string {
				return connectionConfig(srv, openhexatest.TokenEditor, kind, name, "leak", values)
			}
			woChecks := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noMarkerInPlan{wo1, wo2}}}

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             serverEmpty(srv),
				Steps: []resource.TestStep{
					{Config: cfg("Leak", markedSample(kind, m1, false)), Check: noMarkerOnServerLog(srv, m1)},
					{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: importIDBySlug(addr)},
					{Config: cfg("Leak 2", markedSample(kind, m2, false)), Check: noMarkerOnServerLog(srv, m1, m2)},
					{
						// The server fails every update with an error that echoes
						// the secret: the client must not repeat it.
						PreConfig: func() {
							srv.InjectFault("UpdateConnection", openhexatest.Fault{
								Kind: openhexatest.FaultGraphQLError, Times: -1, Message: "LEAKECHO " + mEcho + " rejected",
							})
						},
						Config:      cfg("Leak 3", markedSample(kind, mEcho, false)),
						ExpectError: regexp.MustCompile(`LEAKECHO\s+\(redacted\)\s+rejected`),
					},
					{PreConfig: srv.ClearFaults, Config: cfg("Leak 3", markedSample(kind, m2, false))},
					{
						SkipFunc:         acctest.SkipBelow("1.11.0"), // write-only attributes
						Config:           cfg("Leak WO", markedSample(kind, wo1, true)),
						ConfigPlanChecks: woChecks,
						Check:            resource.ComposeTestCheckFunc(noMarkerInState(wo1), noMarkerOnServerLog(srv, wo1)),
					},
					{
						SkipFunc:         acctest.SkipBelow("1.11.0"),
						Config:           cfg("Leak WO", markedSample(kind, wo2, true)),
						ConfigPlanChecks: woChecks,
						Check:            resource.ComposeTestCheckFunc(noMarkerInState(wo1, wo2), noMarkerOnServerLog(srv, wo1, wo2)),
					},
				},
			})

			raw, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatalf("no TRACE log: %v", err)
			}
			log := withoutHarnessConfig(string(raw))
			if !strings.Contains(log, "OpenHEXA request") {
				t.Fatalf("the TRACE log (%d bytes) has no line of the provider's client: the test proves nothing", len(raw))
			}
			for _, m := range []string{m1, m2, mEcho, wo1, wo2} { // write-only markers are absent when those steps skip
				if i := strings.Index(log, m); i >= 0 {
					t.Errorf("the TRACE log holds %s: …%s…", m, excerpt(log, i))
				}
			}
			for _, token := range []string{openhexatest.TokenEditor, "Bearer "} {
				if i := strings.Index(log, token); i >= 0 {
					t.Errorf("the TRACE log holds the token or its header (%q): …%s…", token, excerpt(log, i))
				}
			}
		})
	}
}

var logEntryStart = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT`)

// withoutHarnessConfig drops the log entries in which terraform-plugin-testing
// copies the test's configuration, whose literals hold the markers by design.
func withoutHarnessConfig(log string) string {
	starts := logEntryStart.FindAllStringIndex(log, -1)
	var sb strings.Builder
	for i, st := range starts {
		end := len(log)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		entry := log[st[0]:end]
		first, _, _ := strings.Cut(entry, "\n")
		if strings.Contains(first, "sdk.helper_resource: Setting Terraform configuration") {
			continue
		}
		sb.WriteString(entry)
	}
	return sb.String()
}

func excerpt(s string, i int) string {
	from, to := max(0, i-200), min(len(s), i+120)
	return s[from:to]
}
