package providerdata_test

import (
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/providerdata"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TestFrom: nil before the provider is configured, the data once it is, and an
// error naming the wrong type otherwise.
func TestFrom(t *testing.T) {
	var diags diag.Diagnostics
	if got := providerdata.From(nil, &diags); got != nil || diags.HasError() {
		t.Errorf("From(nil) = %v, %v; want nil without diagnostics", got, diags)
	}
	data := &providerdata.Data{Workspace: "malaria-surveillance"}
	if got := providerdata.From(data, &diags); got != data || diags.HasError() {
		t.Errorf("From(data) = %v, %v", got, diags)
	}
	if got := providerdata.From("not provider data", &diags); got != nil || diags.ErrorsCount() != 1 {
		t.Fatalf("From(string) = %v, %v; want nil and one error", got, diags)
	}
	if d := diags.Errors()[0]; d.Summary() != "Unexpected provider data" || !strings.Contains(d.Detail(), "got string") {
		t.Errorf("error %q: %q", d.Summary(), d.Detail())
	}
}
