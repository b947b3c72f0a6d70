package openhexa

import (
	"regexp"
	"strings"
)

// urlUserinfo matches the user name and password of a URL in any text: the scheme,
// then everything up to the last "@" before the path (a password may hold one).
var urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s"']*@`)

// RedactURLs hides the user name and password of every URL in text. The client's
// errors pass all their text through it (Error.Error), so that no call site has to:
// a redirect's Location, a server's message or a URL quoted back may hold them.
// Messages built outside the client use it too.
func RedactURLs(text string) string {
	return urlUserinfo.ReplaceAllString(text, "${1}***@")
}

// URLHasCredentials reports whether a URL holds a user name or password.
func URLHasCredentials(raw string) bool {
	return urlUserinfo.MatchString(strings.TrimSpace(raw))
}

// URLCredentialsRefused says why a base URL with credentials is refused; it never
// quotes the URL.
const URLCredentialsRefused = "The OpenHEXA URL holds a user name or password (scheme://user:password@host): " +
	"the provider authenticates with the token alone, and a URL is shown wherever the server is named (errors, " +
	"logs). Remove them from the URL (`url` in the provider block, OPENHEXA_URL or HEXA_SERVER_URL)."
