package connection_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// planWarnings returns the warnings of a `plan -json`, "summary @ address" for each,
// sorted. The CLI validates the configuration twice in a plan and puts a validator's
// warning in the output each time, word for word: such copies count once. (The human
// output folds every warning of one summary into its first.)
func planWarnings(output string) []string {
	var out []string
	seen := map[jsonDiagnostic]bool{}
	scanner := bufio.NewScanner(strings.NewReader(output))
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var msg struct {
			Diagnostic *jsonDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &msg) != nil || msg.Diagnostic == nil || msg.Diagnostic.Severity != "warning" ||
			seen[*msg.Diagnostic] {
			continue
		}
		seen[*msg.Diagnostic] = true
		out = append(out, msg.Diagnostic.Summary+" @ "+msg.Diagnostic.Address)
	}
	sort.Strings(out)
	return out
}

// TestAccSDKWarningsThroughTheCLI plans and applies, through the CLI of the tests,
// connections the OpenHEXA SDK cannot read as declared, and reads the warnings in its
// output: a custom field code `identifier`, a slug with capitals, a slug that differs
// only by case from one made in the web app, a DHIS2 url holding credentials; the
// openhexa_connection data source on that other connection, and openhexa_connections
// once. Each warning comes once, on its resource, at the plan and again at the next
// plan after the apply; the apply creates them all, as OpenHEXA accepts them.
func TestAccSDKWarningsThroughTheCLI(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tg := targetFor(t)
	tf := newTofuCLI(t, cli, buildProvider(ctx, t, t.TempDir()))
	lower := tg.create(t, openhexatest.StoredConnection{Name: tg.name("Made in the web app"), Slug: tg.slug("db"),
		Type: openhexatest.TypeCustom, Fields: []openhexatest.Field{{Code: "host", Value: "db.example.org"}}})
	writeFile(t, filepath.Join(tf.work, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    openhexa = { source = "blsq/openhexa" }
  }
}

provider "openhexa" {
  url       = %[1]q
  workspace = %[2]q
}

resource "openhexa_custom_connection" "reserved_code" {
  name   = %[3]q
  slug   = %[4]q
  fields = { base_url = "https://api.example.org", identifier = "x" }
}

resource "openhexa_custom_connection" "upper" {
  name   = %[5]q
  slug   = %[6]q
  fields = { base_url = "https://api.example.org" }
}

resource "openhexa_custom_connection" "case_twin" {
  name   = %[7]q
  slug   = %[8]q
  fields = { host = "other.example.org" }
}

resource "openhexa_dhis2_connection" "credentials_in_url" {
  name     = %[9]q
  slug     = %[10]q
  url      = "https://admin:district@dhis2.example.org"
  username = "admin"
  password = "district"
}

data "openhexa_connection" "web_app" {
  slug = %[11]q
}

data "openhexa_connections" "all" {}
`, tg.url, tg.workspace, tg.name("Reserved code"), tg.slug("reserved-code"), tg.name("Upper"), tg.slug("SDK-Upper"),
		tg.name("Case twin"), tg.slug("DB"), tg.name("Credentials in URL"), tg.slug("credentials-in-url"), lower.Slug))

	// openhexa_connections warns once at most: on a real instance the workspace may
	// hold other connections it warns about.
	const listing = "Connections the OpenHEXA SDK cannot find by their slug @ data.openhexa_connections.all"
	check := func(step string, want ...string) {
		t.Helper()
		out, code := tf.run(ctx, tg.admin, "plan", "-json", "-input=false")
		if code != 0 {
			t.Fatalf("%s: plan failed (exit %d):\n%s", step, code, tail(out))
		}
		var got []string
		listings := 0
		for _, w := range planWarnings(out) {
			switch {
			case strings.HasPrefix(w, "Provider development overrides"):
			case w == listing:
				listings++
			default:
				got = append(got, w)
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") || listings > 1 {
			t.Errorf("%s: warnings (and %d of the listing)\n  %s\nwant\n  %s\n%s", step, listings,
				strings.Join(got, "\n  "), strings.Join(want, "\n  "), tail(out))
		}
		if tg.real() || !strings.Contains(step, "after") {
			return
		}
		if listings != 1 {
			t.Errorf("%s: the listing warned %d times, want once", step, listings)
		}
	}
	resources := []string{
		"Field code the OpenHEXA SDK reserves @ openhexa_custom_connection.reserved_code",
		"Questionable value for url @ openhexa_dhis2_connection.credentials_in_url",
		"Slug the OpenHEXA SDK cannot find @ openhexa_custom_connection.upper",
		"Slug the OpenHEXA SDK confuses with another @ openhexa_custom_connection.case_twin",
	}
	check("the first plan", resources...)

	out, code := tf.run(ctx, tg.admin, "apply", "-auto-approve", "-input=false", "-no-color")
	if code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}
	for _, text := range []string{
		"Warning: Slug the OpenHEXA SDK cannot find",
		"with openhexa_custom_connection.upper,",
		fmt.Sprintf("`workspace.custom_connection(%q)` raises ConnectionDoesNotExist", tg.slug("SDK-Upper")),
		fmt.Sprintf("the lower-case slug %q", strings.ToLower(tg.slug("SDK-Upper"))),
		"non-default argument '<the next field>' follows default argument",
		"Give the user name in `username` and the password in `password` (or `password_wo`)",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), text) {
			t.Errorf("the apply's output lacks %q:\n%s", text, tail(out))
		}
	}
	for _, slug := range []string{tg.slug("reserved-code"), tg.slug("SDK-Upper"), tg.slug("DB"), tg.slug("credentials-in-url")} {
		if _, ok := tg.storedBySlug(t, slug); !ok {
			t.Errorf("OpenHEXA holds no %s: it accepts what the SDK cannot read, and so must the provider", slug)
		}
	}
	check("the plan after the apply", append([]string{resources[0], resources[1], resources[2],
		"Slug the OpenHEXA SDK confuses with another @ data.openhexa_connection.web_app"}, resources[3])...)
}
