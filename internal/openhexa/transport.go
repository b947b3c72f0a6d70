package openhexa

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"

	"github.com/hashicorp/go-cleanhttp"
)

// TLSOptions are the TLS settings of the provider block.
type TLSOptions struct {
	// Insecure turns certificate verification off (test servers only).
	Insecure bool
	// CACertPEM holds PEM certificates trusted in addition to the system's.
	CACertPEM []byte
}

// NewHTTPClient returns a pooled go-cleanhttp client with those TLS settings. It
// has no timeout of its own: NewClient sets one.
func NewHTTPClient(opts TLSOptions) (*http.Client, error) {
	transport := cleanhttp.DefaultPooledTransport()
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(opts.CACertPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(opts.CACertPEM) {
			return nil, errors.New("the file holds no PEM certificate (a block starting with -----BEGIN CERTIFICATE-----)")
		}
		tlsConfig.RootCAs = pool
	}
	if opts.Insecure {
		tlsConfig.InsecureSkipVerify = true //nolint:gosec // asked for explicitly, with a warning
	}
	transport.TLSClientConfig = tlsConfig
	return &http.Client{Transport: transport}, nil
}
