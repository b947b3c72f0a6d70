// Package validators holds the plan-time checks of connection attributes. Messages
// name the rule and never repeat the value, since some values are secrets. A check
// is an error only for what OpenHEXA refuses; what it accepts but a client (the SDK,
// OpenHEXA's own connection check, the service itself) would stumble on is a
// warning, since OpenHEXA may already hold such a value and importing it must work.
package validators

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
	"github.com/blsq/terraform-provider-openhexa/internal/slug"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringRule is a validator.String built from a description and a check. The check
// returns "" when the value is fine, else what is wrong.
type stringRule struct {
	description string
	check       func(value string) (problem string)
	// warn makes the rule a warning: OpenHEXA accepts the value.
	warn bool
}

var _ validator.String = stringRule{}

func (r stringRule) Description(context.Context) string         { return r.description }
func (r stringRule) MarkdownDescription(context.Context) string { return r.description }

func (r stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	problem := r.check(req.ConfigValue.ValueString())
	switch {
	case problem == "":
	case r.warn:
		resp.Diagnostics.AddAttributeWarning(req.Path, "Questionable value for "+req.Path.String(),
			problem+" OpenHEXA accepts the value, so it is saved as given.")
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value for "+req.Path.String(), problem)
	}
}

// NotBlank warns about an empty or all-space value (OpenHEXA accepts it).
func NotBlank() validator.String {
	return stringRule{"should not be empty", func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "The value is empty: notebooks and pipelines cannot connect with it."
		}
		return ""
	}, true}
}

// PortNumber warns about a port that is not a number from 1 to 65535: OpenHEXA
// stores any string, but its connection check and the SDK need an integer.
func PortNumber() validator.String {
	return stringRule{"should be a number from 1 to 65535", func(v string) string {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return "A TCP port is a number from 1 to 65535; the OpenHEXA SDK and its connection check fail on " +
				"anything else."
		}
		return ""
	}, true}
}

// HTTPURL warns about a value that is not an absolute http or https URL with a host.
func HTTPURL() validator.String {
	return stringRule{"should be an absolute http:// or https:// URL", func(v string) string {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "The value must be an absolute URL starting with http:// or https:// and naming a host, " +
				"for example https://play.dhis2.org/40."
		}
		return ""
	}, true}
}

// NoAPISuffix warns about a DHIS2 URL that ends in /api: OpenHEXA and its SDK add it.
func NoAPISuffix() validator.String {
	return stringRule{"should not end in /api", func(v string) string {
		trimmed := strings.TrimRight(v, "/")
		if !strings.HasSuffix(strings.ToLower(trimmed), "/api") {
			return ""
		}
		use := fmt.Sprintf(" (use %q)", trimmed[:len(trimmed)-len("/api")])
		if openhexa.URLHasCredentials(v) {
			use = "" // never quote a password
		}
		return "The DHIS2 URL should be the instance's base URL: drop the trailing /api" + use + "; OpenHEXA " +
			"and its SDK add /api themselves."
	}, true}
}

// NoCredentialsInURL warns about a URL that holds a user name or password: the field
// is not secret, so every member of the workspace, plans and state show them. The
// message names the fields that take them instead.
func NoCredentialsInURL(userField, secretField, writeOnlyField string) validator.String {
	return stringRule{"should hold no user name or password", func(v string) string {
		if !openhexa.URLHasCredentials(v) {
			return ""
		}
		return fmt.Sprintf("This URL holds a user name or password (scheme://user:password@host), and it is not "+
			"secret: every member of the workspace (viewers too), every plan and the state show it. Give the "+
			"user name in `%s` and the password in `%s` (or `%s`), which OpenHEXA keeps secret, and remove "+
			"them from the URL.", userField, secretField, writeOnlyField)
	}, true}
}

var s3BucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// S3BucketName warns about a name outside Amazon's bucket naming rules (OpenHEXA
// accepts any, and S3-compatible services have other rules).
func S3BucketName() validator.String {
	return stringRule{"should follow Amazon's S3 bucket naming rules", func(v string) string {
		switch {
		case len(v) < 3 || len(v) > 63:
			return "An S3 bucket name has 3 to 63 characters."
		case !s3BucketPattern.MatchString(v):
			return "An S3 bucket name has only lowercase letters, digits, '.' and '-', and starts and ends " +
				"with a letter or digit."
		case strings.Contains(v, ".."):
			return "An S3 bucket name must not contain two adjacent periods."
		case net.ParseIP(v) != nil:
			return "An S3 bucket name must not look like an IP address."
		case strings.HasPrefix(v, "xn--") || strings.HasPrefix(v, "sthree-") || strings.HasPrefix(v, "amzn-s3-demo-"):
			return "An S3 bucket name must not start with xn--, sthree- or amzn-s3-demo-."
		case strings.HasSuffix(v, "-s3alias") || strings.HasSuffix(v, "--ol-s3") || strings.HasSuffix(v, ".mrap") ||
			strings.HasSuffix(v, "--x-s3") || strings.HasSuffix(v, "--table-s3"):
			return "An S3 bucket name must not end with a suffix that Amazon reserves (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)."
		}
		return ""
	}, true}
}

// ServiceAccountKey warns about a value that is not a Google service-account key: a
// JSON object of type service_account holding client_email and private_key
// (OpenHEXA stores any text; the SDK and Google's client fail on it). The key is
// never repeated.
func ServiceAccountKey() validator.String {
	return stringRule{"should be a Google service-account key (JSON)", func(v string) string {
		var doc map[string]any
		if err := json.Unmarshal([]byte(v), &doc); err != nil {
			return "The service-account key must be a JSON object, as Google Cloud issues it; this value is not " +
				"valid JSON (its content is not shown because it is secret)."
		}
		if t, _ := doc["type"].(string); t != "service_account" {
			return `The service-account key must have "type": "service_account".`
		}
		var missing []string
		for _, key := range []string{"client_email", "private_key"} {
			if s, _ := doc[key].(string); strings.TrimSpace(s) == "" {
				missing = append(missing, key)
			}
		}
		if len(missing) > 0 {
			return "The service-account key is missing " + strings.Join(missing, " and ") + "."
		}
		return ""
	}, true}
}

// ConnectionSlug applies the server's rule for an explicit connection slug.
func ConnectionSlug() validator.String {
	return stringRule{"only letters, digits, '-' and '_', at most 100 characters", func(v string) string {
		if !slug.ValidSlug(v) {
			return fmt.Sprintf("A connection slug has 1 to %d characters, each a letter, a digit, '-' or '_'. "+
				"Pipelines and the SDK find the connection by it.", slug.MaxLength)
		}
		return ""
	}, false}
}

// workspaceSlugPattern is the server's own rule for a workspace slug; the provider is
// never stricter, so that any workspace OpenHEXA holds can be named.
var workspaceSlugPattern = regexp.MustCompile(`^[-a-z0-9]+$`)

// WorkspaceSlug checks a workspace slug with the server's rule: lowercase letters,
// digits and '-'.
func WorkspaceSlug() validator.String {
	return stringRule{"a workspace slug: lowercase letters, digits and '-'", func(v string) string {
		if !workspaceSlugPattern.MatchString(v) {
			return "A workspace slug has only lowercase letters, digits and '-' (it is in the workspace's URL)."
		}
		return ""
	}, false}
}
