package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

var providerEnvVars = []string{
	"OPENHEXA_URL", "HEXA_SERVER_URL", "OPENHEXA_TOKEN", "HEXA_TOKEN", "OPENHEXA_WORKSPACE", "HEXA_WORKSPACE",
}

func clearProviderEnv(t *testing.T) {
	for _, name := range providerEnvVars {
		t.Setenv(name, "")
	}
}

const workspaceLookup = `
provider "openhexa" {}

data "openhexa_workspace" "main" {
  slug = "malaria-surveillance"
}
`

// TestAccProviderMissingURLAndTokenNamesAttributesAndVariables: with nothing set, the
// error names each attribute and the variables that can set it.
func TestAccProviderMissingURLAndTokenNamesAttributesAndVariables(t *testing.T) {
	clearProviderEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: workspaceLookup, ExpectError: regexp.MustCompile(`(?s)Missing OpenHEXA URL.*OPENHEXA_URL.*HEXA_SERVER_URL`)},
			{Config: workspaceLookup, ExpectError: regexp.MustCompile(`(?s)Missing OpenHEXA token.*OPENHEXA_TOKEN.*HEXA_TOKEN`)},
		},
	})
}

// TestAccProviderReadsTheSDKEnvironment: the OpenHEXA SDK's variables configure the
// provider (a trailing slash on the URL is fine), and ours win over them.
func TestAccProviderReadsTheSDKEnvironment(t *testing.T) {
	srv := openhexatest.Start(t)
	clearProviderEnv(t)
	t.Setenv("HEXA_SERVER_URL", srv.URL()+"/")
	t.Setenv("HEXA_TOKEN", openhexatest.TokenEditor)
	t.Setenv("HEXA_WORKSPACE", openhexatest.WorkspaceMain)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
provider "openhexa" {}

resource "openhexa_custom_connection" "env" {
  name   = "From the environment"
  fields = { region = "north" }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("openhexa_custom_connection.env", tfjsonpath.New("workspace"),
						knownvalue.StringExact(openhexatest.WorkspaceMain)),
				},
			},
			{
				// OPENHEXA_TOKEN comes before HEXA_TOKEN.
				PreConfig: func() { t.Setenv("OPENHEXA_TOKEN", "not-a-token") },
				Config:    workspaceLookup,
				ExpectError: regexp.MustCompile(
					`did not accept the token`),
			},
			{
				PreConfig: func() { t.Setenv("OPENHEXA_TOKEN", "") },
				Config: `
provider "openhexa" {}

resource "openhexa_custom_connection" "env" {
  name   = "From the environment"
  fields = { region = "north" }
}
`,
			},
		},
	})
}

// TestAccProviderUserAgentNamesProviderAndCLI: every request carries
// terraform-provider-openhexa/<version> and the CLI's version.
func TestAccProviderUserAgentNamesProviderAndCLI(t *testing.T) {
	backend := openhexatest.New()
	var mu sync.Mutex
	agents := map[string]bool{}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		backend.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	config := fmt.Sprintf(`
provider "openhexa" {
  url   = %q
  token = %q
}

data "openhexa_workspace" "main" {
  slug = %q
}
`, front.URL, openhexatest.TokenViewer, openhexatest.WorkspaceMain)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				mu.Lock()
				defer mu.Unlock()
				want := regexp.MustCompile(`^terraform-provider-openhexa/test terraform-cli/\d+\.\d+\.\d+`)
				for ua := range agents {
					if !want.MatchString(ua) {
						return fmt.Errorf("User-Agent %q does not name the provider and the CLI", ua)
					}
				}
				if len(agents) == 0 {
					return fmt.Errorf("no request reached the server")
				}
				return nil
			},
		}},
	})
}
