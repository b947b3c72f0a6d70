package connection_test

import (
	"context"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/connection"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestImportWarnsAboutSecretsStateCannotHold checks the import's warning at the
// protocol level (plugin-testing cannot assert warnings): with a VIEWER token it
// lists the secret fields and what to add; with an EDITOR, who can read them, there
// is none.
func TestImportWarnsAboutSecretsStateCannotHold(t *testing.T) {
	for _, kind := range kindsWithSecrets() {
		t.Run(kind.Name, func(t *testing.T) {
			srv := openhexatest.Start(t)
			srv.CreateStored(storedFromSample(kind, "existing", kindSamples[kind.Name].create))
			importAs := func(token string) []*tfprotov6.Diagnostic {
				h := newHarness(t, srv, token)
				resp, err := h.server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
					TypeName: kind.ResourceTypeName(), ID: openhexatest.WorkspaceMain + "/existing",
				})
				if err != nil || hasError(resp.Diagnostics) {
					t.Fatalf("import failed: %v %v", err, diagText(resp.Diagnostics))
				}
				return resp.Diagnostics
			}

			var warning *tfprotov6.Diagnostic
			for _, d := range importAs(openhexatest.TokenViewer) {
				if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == "Secret values not imported" {
					warning = d
				}
			}
			if warning == nil {
				t.Fatal("a VIEWER's import gave no warning about the secrets state cannot hold")
			}
			for _, want := range secretHints(kind) {
				if !strings.Contains(warning.Detail, want) {
					t.Errorf("the warning does not say to add %q:\n%s", want, warning.Detail)
				}
			}
			for _, d := range importAs(openhexatest.TokenEditor) {
				if d.Summary == "Secret values not imported" {
					t.Errorf("an EDITOR's import warned about secrets it can read: %s", d.Detail)
				}
			}
		})
	}
}

// secretHints names what the warning must tell the user to configure.
func secretHints(kind *connection.Kind) []string {
	if kind.Custom {
		return []string{"secret_fields", "secret_fields_wo"}
	}
	var out []string
	for _, f := range kind.Fields {
		if f.Secret {
			out = append(out, f.Code, f.Code+"_wo")
		}
	}
	return out
}
