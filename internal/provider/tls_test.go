package provider_test

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// tlsServer serves the test API over HTTPS with httptest's self-signed certificate,
// and writes that certificate to a PEM file.
func tlsServer(t *testing.T) (*openhexatest.Server, string, string) {
	t.Helper()
	api := openhexatest.New()
	ts := httptest.NewTLSServer(api.Handler())
	t.Cleanup(ts.Close)
	pemFile := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(pemFile, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return api, ts.URL, pemFile
}

func tlsConfig(url, extra string) string {
	return fmt.Sprintf(`
provider "openhexa" {
  url       = %q
  token     = %q
  workspace = %q
%s
}

resource "openhexa_custom_connection" "tls" {
  name   = "Over TLS"
  slug   = "over-tls"
  fields = { api_url = "https://api.example.org" }
}
`, url, openhexatest.TokenEditor, openhexatest.WorkspaceMain, extra)
}

func oneConnection(api *openhexatest.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(api.AllConnections()); n != 1 {
			return fmt.Errorf("the server holds %d connections; want 1", n)
		}
		return nil
	}
}

func noConnection(api *openhexatest.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(api.AllConnections()); n != 0 {
			return fmt.Errorf("the server holds %d connections after destroy", n)
		}
		return nil
	}
}

func TestAccFaultTLSUntrustedCertificateFailsClearly(t *testing.T) {
	api, url, _ := tlsServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      tlsConfig(url, ""),
			ExpectError: regexp.MustCompile(`(?s)certificate.*ca_cert_file`),
		}},
	})
	if n := api.TotalRequests(); n != 0 {
		t.Fatalf("%d requests reached the server through an untrusted TLS session", n)
	}
}

func TestAccFaultTLSWithCACertFile(t *testing.T) {
	api, url, pemFile := tlsServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             noConnection(api),
		Steps: []resource.TestStep{{
			Config: tlsConfig(url, fmt.Sprintf("  ca_cert_file = %q\n  max_retries = 2", pemFile)),
			Check:  oneConnection(api),
		}},
	})
}

func TestAccFaultTLSInsecure(t *testing.T) {
	api, url, _ := tlsServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             noConnection(api),
		Steps: []resource.TestStep{{
			Config: tlsConfig(url, "  insecure = true"),
			Check:  oneConnection(api),
		}},
	})
}

func TestAccFaultTLSInsecureFromHEXAVerifySSL(t *testing.T) {
	api, url, _ := tlsServer(t)
	t.Setenv("HEXA_VERIFY_SSL", "false")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             noConnection(api),
		Steps:                    []resource.TestStep{{Config: tlsConfig(url, ""), Check: oneConnection(api)}},
	})
}

func TestAccBadInputCACertFileNotPEM(t *testing.T) {
	_, url, _ := tlsServer(t)
	bad := filepath.Join(t.TempDir(), "bad.pem")
	_ = os.WriteFile(bad, []byte("not a certificate"), 0o600)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: tlsConfig(url, fmt.Sprintf("  ca_cert_file = %q", bad)), ExpectError: regexp.MustCompile(`Invalid CA certificate file`)},
			{Config: tlsConfig(url, fmt.Sprintf("  ca_cert_file = %q", bad+".missing")), ExpectError: regexp.MustCompile(`Cannot read the CA certificate file`)},
		},
	})
}
