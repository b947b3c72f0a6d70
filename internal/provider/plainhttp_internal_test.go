package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TestPlainHTTPWarnsOffThisMachine: http:// warns unless the host is loopback; https://
// never does. (Configure is not run here: it would reach for a host off this machine.)
func TestPlainHTTPWarnsOffThisMachine(t *testing.T) {
	for url, warns := range map[string]bool{
		"http://openhexa.example.org":     true,
		"HTTP://api.openhexa.org/":        true,
		"http://10.0.0.5:8000":            true,
		"http://[2001:db8::1]:8000":       true,
		"http://localhost.example.org":    true,
		"http://127.0.0.1:8790":           false,
		"http://127.8.9.10":               false,
		"http://localhost:8000":           false,
		"http://LOCALHOST.":               false,
		"http://app.localhost":            false,
		"http://[::1]:8000":               false,
		"https://openhexa.example.org":    false,
		" https://api.openhexa.org/ ":     false,
		"http://user:pw@openhexa.example": true,
	} {
		var diags diag.Diagnostics
		warnPlainHTTP(url, &diags)
		if got := diags.WarningsCount() == 1; got != warns {
			t.Errorf("%q: warning %v, want %v (%v)", url, got, warns, diags)
		}
		if warns && strings.Contains(diags.Warnings()[0].Detail(), "pw@") {
			t.Errorf("%q: the warning shows the URL's password", url)
		}
		if warns && strings.Contains(diags.Warnings()[0].Detail(), "user") {
			t.Errorf("%q: the warning shows the URL's user name", url)
		}
		if diags.HasError() {
			t.Errorf("%q: an error; plain http is accepted, with a warning", url)
		}
	}
}
