package provider

import (
	"fmt"
	"os"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// The settings below are read the same way by the provider block and by the
// `export` command of the provider binary: a configured value first, then the
// OPENHEXA_* environment variable, then the OpenHEXA SDK's HEXA_* one.

// ResolveURL returns the configured URL, else OPENHEXA_URL, else HEXA_SERVER_URL.
func ResolveURL(configured string) string { return firstNonEmpty(configured, urlEnvVars) }

// ResolveToken returns the configured token, else OPENHEXA_TOKEN, else HEXA_TOKEN.
func ResolveToken(configured string) string { return firstNonEmpty(configured, tokenEnvVars) }

// Where the decision to skip certificate verification came from, for warnings.
const (
	insecureFromSetting = "`insecure = true`"
	insecureFromEnv     = "HEXA_VERIFY_SSL=false"
)

// CACertFileError says that the CA certificate file could not be read.
type CACertFileError struct {
	File string
	Err  error
}

func (e *CACertFileError) Error() string { return fmt.Sprintf("reading %s failed: %s", e.File, e.Err) }

// ResolveTLS turns the TLS settings into client options: insecure when configured
// so, else when HEXA_VERIFY_SSL is false (as the OpenHEXA SDK reads it); the PEM
// of caCertFile when one is given. insecureFrom names what turned verification
// off, "" when it is on. The error is a *CACertFileError.
func ResolveTLS(insecure *bool, caCertFile string) (opts openhexa.TLSOptions, insecureFrom string, err error) {
	switch {
	case insecure != nil:
		opts.Insecure = *insecure
		insecureFrom = insecureFromSetting
	case strings.EqualFold(strings.TrimSpace(os.Getenv("HEXA_VERIFY_SSL")), "false"):
		opts.Insecure = true
		insecureFrom = insecureFromEnv
	}
	if !opts.Insecure {
		insecureFrom = ""
	}
	if caCertFile != "" {
		pem, readErr := os.ReadFile(caCertFile)
		if readErr != nil {
			return opts, insecureFrom, &CACertFileError{File: caCertFile, Err: readErr}
		}
		opts.CACertPEM = pem
	}
	return opts, insecureFrom, nil
}
