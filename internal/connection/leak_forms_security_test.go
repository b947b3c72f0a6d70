package connection_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// quotedMarker is a secret whose quoted forms differ from it: quotes of both kinds,
// backslashes, new lines, tabs, a letter beyond ASCII, and 300 characters, so that
// graphql-core's repr of it is shortened. LEAKMARKER recurs every few characters: no
// piece of it long enough to matter can survive without one.
func quotedMarker(n string) string {
	s := "LEAKMARKER-" + n + ` it's a "pass\word"` + "\nline\t"
	for len(s) < 300 {
		s += "LEAKMARKER'\"\\\n-é"
	}
	return s[:300]
}

// secretLeft reports what of secret survives in text: a marker, or a run of 20 bytes
// of the secret as sent, as JSON, or as a repr of a piece of it (graphql-core's
// quoting), "" when none.
func secretLeft(text, secret string) string {
	if i := strings.Index(text, "LEAKMARK"); i >= 0 {
		return excerpt(text, i)
	}
	forms := []string{secret}
	if raw, err := json.Marshal(secret); err == nil {
		forms = append(forms, string(raw))
	}
	runes := []rune(secret)
	for i := 0; i < len(runes); i += 30 {
		chunk := openhexatest.Inspect(string(runes[i:min(len(runes), i+60)]))
		forms = append(forms, chunk[1:len(chunk)-1])
	}
	for _, f := range forms {
		for i := 0; i+20 <= len(f); i++ {
			if j := strings.Index(text, f[i:i+20]); j >= 0 {
				return excerpt(text, j)
			}
		}
	}
	return ""
}

// TestAccLeakNoQuotedSecretInTraceLogs applies connections whose secrets hold quotes,
// backslashes, new lines and 300 characters under TF_LOG=TRACE, with the server
// refusing an update by quoting the secret as graphql-core does (a repr, shortened),
// as JSON and as sent; neither the error nor the log may hold any of it.
func TestAccLeakNoQuotedSecretInTraceLogs(t *testing.T) {
	needsTestServer(t, "a fault that echoes secrets")
	for _, name := range []string{"custom", "postgres", "gcs"} {
		kind := kindByName(t, name)
		t.Run(name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "trace.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_LOG_PATH", logFile)
			t.Setenv("TF_ACC_LOG_PATH", logFile)

			srv := openhexatest.Start(t)
			m1, m2 := quotedMarker("1"), quotedMarker("2")
			s1, s2 := markedSample(kind, m1, false), markedSample(kind, m2, false)
			sent := secretOf(kind, s2) // the value as the provider sends it
			cfg := func(values sample) string {
				return connectionConfig(srv, openhexatest.TokenEditor, kind, "Quoted leak", "quoted-leak", values)
			}
			echo := func() {
				field := map[string]any{"code": "k", "secret": true, "value": sent, "bogus": 1}
				raw, _ := json.Marshal(field)
				srv.InjectFault("UpdateConnection", openhexatest.Fault{
					Kind: openhexatest.FaultGraphQLError, Times: -1,
					Message: "Variable '$input' got invalid value " + openhexatest.Inspect(field) +
						" at 'input.fields[0]'; Field 'bogus' is not defined by type 'ConnectionFieldInput'. Also " +
						openhexatest.Inspect([]any{sent}) + ", " + string(raw) + " and " + sent + ". LEAKECHO",
				})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             serverEmpty(srv),
				Steps: []resource.TestStep{
					{Config: cfg(s1)},
					{PreConfig: echo, Config: cfg(s2), ExpectError: regexp.MustCompile(`(?s)Variable '\$input' got invalid\s+value.*\(redacted\).*LEAKECHO`)},
					{PreConfig: srv.ClearFaults, Config: cfg(s2)},
				},
			})
			if fired := srv.RequestCount("UpdateConnection"); fired < 2 {
				t.Fatalf("%d updates: the echoing fault cannot have fired", fired)
			}
			raw, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatalf("no TRACE log: %v", err)
			}
			log := withoutHarnessConfig(string(raw))
			if !strings.Contains(log, "OpenHEXA request") || !strings.Contains(log, "LEAKECHO") {
				t.Fatalf("the TRACE log (%d bytes) lacks the client's lines or the echoed error: the test proves nothing", len(raw))
			}
			for _, secret := range []string{m1, m2, sent} {
				if left := secretLeft(log, secret); left != "" {
					t.Errorf("the TRACE log holds a form of the secret: …%s…", left)
				}
			}
		})
	}
}

// secretOf is the secret value of a marked sample, as the provider sends it.
func secretOf(kind *connection.Kind, s sample) string {
	if kind.Custom {
		fields, _ := s["secret_fields"].(map[string]string)
		return fields["api_key"]
	}
	for _, f := range kind.Fields {
		if v, ok := s[f.Code].(string); ok && f.Secret {
			return v
		}
	}
	return ""
}

func kindByName(t *testing.T, name string) *connection.Kind {
	t.Helper()
	for _, k := range connection.Kinds {
		if k.Name == name {
			return k
		}
	}
	t.Fatalf("no kind %s", name)
	return nil
}
