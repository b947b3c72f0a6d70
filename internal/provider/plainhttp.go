package provider

import (
	"net/url"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// warnPlainHTTP warns, as `insecure` does, when the token and secret values would
// cross a network unencrypted: an http:// URL whose host is not this machine.
func warnPlainHTTP(raw string, diags *diag.Diagnostics) {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(raw)), "http://") || openhexa.IsLoopbackURL(raw) {
		return
	}
	shown := "the server"
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil {
		shown = u.Redacted() // a password in the URL stays out of the warning
	}
	diags.AddAttributeWarning(path.Root("url"), "The OpenHEXA URL is not encrypted",
		"The provider reaches "+shown+" over plain http://: the token and every secret value it sends or reads "+
			"cross the network unencrypted, and anyone on the path can read or change them. Use the server's "+
			"https:// URL; plain http:// is safe only for a server on this machine (localhost, 127.0.0.1, ::1).")
}
