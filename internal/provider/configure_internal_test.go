package provider

import (
	"context"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configure runs the provider's Configure with the given attributes (others null).
func configure(t *testing.T, attrs map[string]tftypes.Value) *provider.ConfigureResponse {
	t.Helper()
	p := New("test")()
	var schemaResp provider.SchemaResponse
	p.Schema(context.Background(), provider.SchemaRequest{}, &schemaResp)
	objType, ok := schemaResp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema's type is %T, not an object", schemaResp.Schema.Type().TerraformType(context.Background()))
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		if v, ok := attrs[name]; ok {
			values[name] = v
		} else {
			values[name] = tftypes.NewValue(typ, nil)
		}
	}
	req := provider.ConfigureRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, values)}}
	resp := &provider.ConfigureResponse{}
	p.Configure(context.Background(), req, resp)
	return resp
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func tlsAttrs(url string) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"url": str(url), "token": str(openhexatest.TokenEditor), "workspace": str(openhexatest.WorkspaceMain),
	}
}

func TestFaultConfigureTLSWarnsWhenInsecure(t *testing.T) {
	ts := httptest.NewTLSServer(openhexatest.New().Handler())
	defer ts.Close()

	resp := configure(t, tlsAttrs(ts.URL))
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "certificate") {
		t.Fatalf("default: %v; want a certificate error", resp.Diagnostics)
	}

	attrs := tlsAttrs(ts.URL)
	attrs["insecure"] = tftypes.NewValue(tftypes.Bool, true)
	resp = configure(t, attrs)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		resp.Diagnostics.Warnings()[0].Summary() != "TLS certificate verification is off" {
		t.Fatalf("insecure: %v; want exactly the insecure warning", resp.Diagnostics)
	}

	t.Setenv("HEXA_VERIFY_SSL", "False")
	resp = configure(t, tlsAttrs(ts.URL))
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "HEXA_VERIFY_SSL=false") {
		t.Fatalf("HEXA_VERIFY_SSL=false: %v; want the insecure warning naming the variable", resp.Diagnostics)
	}

	// An explicit insecure = false wins over the SDK's variable.
	attrs["insecure"] = tftypes.NewValue(tftypes.Bool, false)
	if resp = configure(t, attrs); !resp.Diagnostics.HasError() {
		t.Fatal("insecure = false with HEXA_VERIFY_SSL=false: want the certificate error")
	}
}

func TestFaultConfigureTLSWithCACertFile(t *testing.T) {
	ts := httptest.NewTLSServer(openhexatest.New().Handler())
	defer ts.Close()
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	attrs := tlsAttrs(ts.URL)
	attrs["ca_cert_file"] = str(file)
	if resp := configure(t, attrs); resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 0 {
		t.Fatalf("ca_cert_file: %v; want no diagnostic", resp.Diagnostics)
	}
}

func TestRetryConfigureMaxRetries(t *testing.T) {
	srv := openhexatest.Start(t)
	srv.InjectFault("Me", openhexatest.Fault{Kind: openhexatest.Fault502, Times: 1})
	attrs := tlsAttrs(srv.URL())
	attrs["max_retries"] = tftypes.NewValue(tftypes.Number, 0)
	resp := configure(t, attrs)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "HTTP 502") {
		t.Fatalf("max_retries = 0: %v; want the 502 without retry", resp.Diagnostics)
	}
	srv.InjectFault("Me", openhexatest.Fault{Kind: openhexatest.Fault503, Times: 1})
	attrs["max_retries"] = tftypes.NewValue(tftypes.Number, 1)
	if resp := configure(t, attrs); resp.Diagnostics.HasError() {
		t.Fatalf("max_retries = 1: %v; want success after one retry", resp.Diagnostics)
	}
	if got := srv.RequestCount("Me"); got != 3 {
		t.Fatalf("%d Me requests; want 3", got)
	}
}
