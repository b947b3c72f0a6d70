package provider

import (
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// PlainHTTPWarning is the warning for a URL over which the token and secret values
// would cross a network unencrypted: http:// to a host that is not this machine. who
// names the reader ("The provider", "The export"); "" when the URL needs no warning.
// The provider's configure and the export command give it alike.
func PlainHTTPWarning(raw, who string) string {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(raw)), "http://") || openhexa.IsLoopbackURL(raw) {
		return ""
	}
	return who + " reaches " + openhexa.RedactURLs(strings.TrimSpace(raw)) + " over plain http://: the token and every secret value it sends or reads " +
		"cross the network unencrypted, and anyone on the path can read or change them. Use the server's " +
		"https:// URL; plain http:// is safe only for a server on this machine (localhost, 127.0.0.1, ::1)."
}

// warnPlainHTTP gives PlainHTTPWarning on the provider's `url`, as `insecure` warns.
func warnPlainHTTP(raw string, diags *diag.Diagnostics) {
	if warning := PlainHTTPWarning(raw, "The provider"); warning != "" {
		diags.AddAttributeWarning(path.Root("url"), "The OpenHEXA URL is not encrypted", warning)
	}
}
