// Package acctest is the acceptance-test harness: which CLI runs the tests, how the
// provider is served to it, and the OpenHEXA test server each test talks to.
package acctest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
	"github.com/blsq/terraform-provider-openhexa/internal/provider"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ProviderName is the provider's local name in test configurations.
const ProviderName = "openhexa"

// ProtoV6ProviderFactories serves the provider in-process to the CLI.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	ProviderName: providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Main prepares the environment of acceptance tests and runs them. Every package with
// acceptance tests calls it from TestMain. When TF_ACC is set it insists on an
// explicit CLI: left alone, terraform-plugin-testing would use any `terraform` on
// PATH or download one, and neither may happen.
func Main(m *testing.M) {
	if os.Getenv("TF_ACC") != "" {
		if err := prepareCLI(); err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests refused:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	afterAllMu.Lock()
	for i := len(afterAll) - 1; i >= 0; i-- {
		afterAll[i]()
	}
	afterAllMu.Unlock()
	if cleanup != nil {
		cleanup()
	}
	os.Exit(code)
}

var (
	cleanup    func()
	afterAllMu sync.Mutex
	afterAll   []func()
)

// AfterAll registers f to run after every test of the package, before Main exits: the
// cleanup of a fixture that several tests share (t.Cleanup would run after the first).
func AfterAll(f func()) {
	afterAllMu.Lock()
	defer afterAllMu.Unlock()
	afterAll = append(afterAll, f)
}

func prepareCLI() error {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		return fmt.Errorf("TF_ACC_TERRAFORM_PATH is not set: run `make testacc` (it builds the pinned OpenTofu " +
			"and points the tests at it) or set it to an OpenTofu or Terraform binary")
	}
	if info, err := os.Stat(cli); err != nil || info.IsDir() {
		return fmt.Errorf("TF_ACC_TERRAFORM_PATH=%s is not a file", cli)
	}
	dir, err := os.MkdirTemp("", "openhexa-acctest-cli-")
	if err != nil {
		return err
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	// No registry at all: a provider address the test does not serve fails here,
	// locally, instead of reaching for the network.
	mirror := filepath.Join(dir, "empty-mirror")
	if err := os.MkdirAll(mirror, 0o755); err != nil {
		return err
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	content := fmt.Sprintf("disable_checkpoint = true\n\nprovider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	if err := os.WriteFile(cliConfig, []byte(content), 0o600); err != nil {
		return err
	}
	settings := map[string]string{
		"TF_CLI_CONFIG_FILE":    cliConfig,
		"CHECKPOINT_DISABLE":    "1",
		"TF_IN_AUTOMATION":      "1",
		"TF_ACC_TERRAFORM_PATH": cli,
	}
	if IsOpenTofu() {
		// plugin-testing must reattach the provider under OpenTofu's registry host.
		settings["TF_ACC_PROVIDER_HOST"] = "registry.opentofu.org"
		settings["TF_ACC_PROVIDER_NAMESPACE"] = "hashicorp"
	}
	for k, v := range settings {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// CLIPath skips t unless TF_ACC is set, and returns the CLI that Main checked
// (TF_ACC_TERRAFORM_PATH), for a test that runs it itself.
func CLIPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test, make testacc-terraform)")
	}
	return os.Getenv("TF_ACC_TERRAFORM_PATH")
}

var (
	pluginsOnce sync.Once
	pluginsDir  string
	pluginsErr  error
)

// DevOverrideCLIConfig writes, in a temporary directory of t, a CLI configuration
// (DevOverrideConfig) that serves the provider built from this tree, and returns its
// path. The provider is built once per test binary and removed after its tests (AfterAll:
// the package's TestMain calls Main).
func DevOverrideCLIConfig(t *testing.T) string {
	t.Helper()
	pluginsOnce.Do(func() {
		root, err := os.MkdirTemp("", "openhexa-acctest-provider-") //nolint:usetesting // shared by the package's tests
		if err != nil {
			pluginsErr = err
			return
		}
		AfterAll(func() { _ = os.RemoveAll(root) })
		pluginsDir = filepath.Join(root, "plugins")
		binary := filepath.Join(pluginsDir, "terraform-provider-openhexa")
		if out, err := exec.Command("go", "build", "-o", binary, modulePath).CombinedOutput(); err != nil {
			pluginsErr = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if pluginsErr != nil {
		t.Fatal(pluginsErr)
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "cli.tfrc")
	if err := os.WriteFile(config, []byte(DevOverrideConfig(pluginsDir, filepath.Join(dir, "empty-mirror"))), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// NoNetworkEnv is the environment under which whatever a CLI asks of the network (a
// registry, a checkpoint) fails at once, locally: a proxy that refuses everything. Go
// clients never proxy loopback, so the provider still reaches the test server.
var NoNetworkEnv = []string{"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9"}

// modulePath is the provider's main package, which `go build` finds from any
// directory of the module.
const modulePath = "github.com/blsq/terraform-provider-openhexa"

// DevOverrideConfig is a CLI configuration for tests that drive the CLI themselves:
// the openhexa provider comes from pluginsDir (a dev override: no init), and nothing
// from a registry, since the only other installation method is emptyMirror, so a
// wrong address fails locally instead of reaching for the network.
func DevOverrideConfig(pluginsDir, emptyMirror string) string {
	return fmt.Sprintf(`disable_checkpoint = true
provider_installation {
  dev_overrides {
    "registry.opentofu.org/blsq/openhexa"  = %[1]q
    "registry.terraform.io/blsq/openhexa" = %[1]q
  }
  filesystem_mirror {
    path = %[2]q
  }
}
`, pluginsDir, emptyMirror)
}

// IsOpenTofu reports whether the tests run under OpenTofu (the default CLI).
func IsOpenTofu() bool {
	if kind := os.Getenv("OPENHEXA_TEST_CLI"); kind != "" {
		return kind == "tofu"
	}
	return strings.HasPrefix(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

// ProviderConfig is a provider block for the test server with the given token and
// the main workspace as default.
func ProviderConfig(srv *openhexatest.Server, token string) string {
	return fmt.Sprintf(`
provider "openhexa" {
  url       = %q
  token     = %q
  workspace = %q
}
`, srv.URL(), token, openhexatest.WorkspaceMain)
}

var (
	cliVersionOnce sync.Once
	cliVersion     *version.Version
)

// CLIVersion is the version of the CLI the tests run (nil when unknown).
func CLIVersion() *version.Version {
	cliVersionOnce.Do(func() {
		cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if cli == "" {
			return
		}
		out, err := exec.Command(cli, "version", "-json").Output()
		if err != nil {
			return
		}
		var v struct {
			TerraformVersion string `json:"terraform_version"`
		}
		if json.Unmarshal(out, &v) == nil {
			cliVersion, _ = version.NewVersion(v.TerraformVersion)
		}
	})
	return cliVersion
}

// SkipBelow is a TestStep.SkipFunc that skips a step on CLIs older than minVersion (core
// version, ignoring pre-release tags such as OpenTofu's "-dev"), for steps that use
// a feature those CLIs lack: write-only attributes need 1.11, identity 1.12.
func SkipBelow(minVersion string) func() (bool, error) {
	return func() (bool, error) {
		v := CLIVersion()
		if v == nil {
			return false, nil
		}
		return v.Core().LessThan(version.Must(version.NewVersion(minVersion))), nil
	}
}
