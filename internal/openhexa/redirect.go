package openhexa

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxSameOriginRedirects bounds the redirects followed within the endpoint's origin.
const maxSameOriginRedirects = 5

// redirectRefused is what checkRedirect answers for a redirect the client does not
// follow. The request to Location was never sent.
type redirectRefused struct {
	status   int
	location *url.URL
	reason   string
}

func (e *redirectRefused) Error() string {
	return fmt.Sprintf("redirect (HTTP %d) to %s refused: %s", e.status, e.location, e.reason)
}

// checkRedirect is the CheckRedirect of the client's HTTP client. Every request
// carries the token and may carry secret values, and Go's client would re-send both
// (Authorization kept on the same host name whatever the port or scheme, the body kept
// on 307 and 308): a redirect leaving the endpoint's scheme, host and port is never
// followed. Within the origin, 307 and 308 (which keep the method and the body) are
// followed, up to maxSameOriginRedirects; 301, 302 and 303 are not, since the client
// would turn the POST into a GET without the query.
func checkRedirect(endpoint *url.URL) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		refuse := func(reason string) error {
			return &redirectRefused{status: status, location: req.URL, reason: reason}
		}
		switch {
		case !sameOrigin(endpoint, req.URL):
			return refuse("it leaves " + origin(endpoint) + ", and the provider sends the token and secret values " +
				"to no other scheme, host or port")
		case status != http.StatusTemporaryRedirect && status != http.StatusPermanentRedirect:
			return refuse("following it would turn the POST into a GET without its query")
		case len(via) > maxSameOriginRedirects:
			return refuse(fmt.Sprintf("more than %d redirects", maxSameOriginRedirects))
		}
		return nil
	}
}

// sameOrigin compares scheme, host name and port (the scheme's default when absent).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), effectivePort(u))
}

// refusedRedirect turns a refused redirect into the client's error, naming where the
// server tried to send the request and what to do.
func refusedRedirect(op, endpoint string, err error, secrets []string, token string) (*Error, bool) {
	var refused *redirectRefused
	if !errors.As(err, &refused) {
		return nil, false
	}
	where := scrub(refused.location.String(), secrets, token)
	msg := fmt.Sprintf("the server at %s answered HTTP %d, redirecting the request to %s; %s. Nothing was sent "+
		"there.", endpoint, refused.status, where, refused.reason)
	if !sameOrigin(mustParse(endpoint), refused.location) {
		msg += " If that is the OpenHEXA API server, set `url` (or OPENHEXA_URL) to it."
	} else {
		msg += " The provider posts to " + endpoint + " and follows only 307 and 308 redirects within its " +
			"origin: check that `url` is the OpenHEXA API server's base URL."
	}
	return &Error{
		Kind: KindHTTP, Operation: op, StatusCode: refused.status,
		// 307 and 308 mean "send it there instead": the server did not act on it. After a
		// 301, 302 or 303 a mutation may have been applied.
		Ambiguous: isMutation(op) && refused.status != http.StatusTemporaryRedirect &&
			refused.status != http.StatusPermanentRedirect,
		Message: msg,
	}, true
}

func mustParse(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// IsLoopbackURL says whether the URL's host is a loopback address or localhost, where
// plain http:// crosses no network.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
