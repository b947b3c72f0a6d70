package install_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// lockPlatforms are the platforms the guide has `providers lock` record, so that a lock
// file committed on a laptop works on a Linux runner.
var lockPlatforms = []string{"linux_amd64", "darwin_arm64"}

// hostPlatform is this machine's <os>_<arch>.
func hostPlatform() string { return runtime.GOOS + "_" + runtime.GOARCH }

// mirrorPlatforms is the host's platform and the lock platforms, once each.
func mirrorPlatforms() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range append([]string{hostPlatform()}, lockPlatforms...) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// repoRoot is the repository (the scripts live there).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// registryHost is the host the CLI under test gives the provider's address.
func registryHost() string {
	if acctest.IsOpenTofu() {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

// cliRun runs the CLI in a working directory, with only the given CLI configuration:
// no dev override, no plugin cache, no checkpoint, and no network but loopback
// (acctest.NoNetworkEnv), so that any attempt to reach a registry fails here.
type cliRun struct {
	t         *testing.T
	cli       string
	dir       string
	cliConfig string
	extraEnv  []string // settings that replace the inherited ones (HOME, SSL_CERT_FILE)
}

func (r cliRun) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		name := strings.ToUpper(strings.SplitN(kv, "=", 2)[0])
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "TOFU_") || strings.HasPrefix(name, "OPENHEXA_") ||
			strings.HasPrefix(name, "HEXA_") || strings.HasSuffix(name, "_PROXY") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+r.cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return slices.Concat(env, acctest.NoNetworkEnv, r.extraEnv)
}

// run runs the CLI and returns its combined output and error.
func (r cliRun) run(args ...string) (string, error) {
	r.t.Helper()
	cmd := exec.Command(r.cli, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env()
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// must runs the CLI and fails the test when it fails.
func (r cliRun) must(args ...string) string {
	r.t.Helper()
	out, err := r.run(args...)
	if err != nil {
		r.t.Fatalf("%s %s: %v\n%s", filepath.Base(r.cli), strings.Join(args, " "), err, out)
	}
	return out
}

// script runs one of the repository's scripts and returns its stdout.
func script(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join("scripts", name)}, args...)...)
	cmd.Dir = repoRoot(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("scripts/%s: %v\n%s%s", name, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// writeCLIConfig checks the configuration a script printed (a mirror for both addresses,
// direct for neither) and completes it with what no CLI may do in a test: phone home.
func writeCLIConfig(t *testing.T, printed, written, mirror string) {
	t.Helper()
	config, err := os.ReadFile(written)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(printed, string(config)) {
		t.Errorf("the script printed a configuration other than the one it wrote:\n%s", printed)
	}
	for _, want := range []string{
		fmt.Sprintf("path    = %q", mirror),
		`include = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]`,
		`exclude = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]`,
	} {
		if !strings.Contains(string(config), want) {
			t.Errorf("CLI configuration lacks %s:\n%s", want, config)
		}
	}
	if err := os.WriteFile(written, append([]byte("disable_checkpoint = true\n"), config...), 0o600); err != nil {
		t.Fatal(err)
	}
}

// packageDir is where the mirror holds one platform's package for the CLI under test.
func packageDir(mirror, version, platform string) string {
	return filepath.Join(mirror, registryHost(), "blsq", "openhexa", version, platform)
}

// checkBinaryVersion runs the installed binary's `version`.
func checkBinaryVersion(t *testing.T, mirror, version string) {
	t.Helper()
	bin := filepath.Join(packageDir(mirror, version, hostPlatform()), "terraform-provider-openhexa_v"+version)
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "terraform-provider-openhexa "+version {
		t.Errorf("%s version: %q, %v; want \"terraform-provider-openhexa %s\"", bin, out, err, version)
	}
}

// h1Hash is the CLIs' "h1:" hash of an unpacked provider package.
func h1Hash(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string][sha256.Size]byte{}
	for _, e := range entries {
		content, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sums[e.Name()] = sha256.Sum256(content)
	}
	return h1Summary(sums)
}

// zipH1Hash is the "h1:" hash of the package a release zip unpacks to.
func zipH1Hash(t *testing.T, archive string) string {
	t.Helper()
	z, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = z.Close() }()
	sums := map[string][sha256.Size]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			t.Fatal(err)
		}
		_ = r.Close()
		sums[f.Name] = [sha256.Size]byte(h.Sum(nil))
	}
	return h1Summary(sums)
}

// h1Summary is the "h1:" hash of a package from the SHA-256 of each of its files, by
// name (the Go module directory hash): SHA-256 over the sorted lines
// "<hex sha256>  <name>", in base64.
func h1Summary(sums map[string][sha256.Size]byte) string {
	names := make([]string, 0, len(sums))
	for name := range sums {
		names = append(names, name)
	}
	sort.Strings(names)
	summary := sha256.New()
	for _, name := range names {
		_, _ = fmt.Fprintf(summary, "%x  %s\n", sums[name], name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil))
}

var lockHashRE = regexp.MustCompile(`"((?:h1|zh):[A-Za-z0-9+/=]+)"`)

// lockEntry returns the lock file's block for the provider at the CLI's default host,
// failing when it is missing or names another version or constraint.
func lockEntry(t *testing.T, dir, version, constraints string) string {
	t.Helper()
	return lockEntryFor(t, dir, registryHost()+"/blsq/openhexa", version, constraints)
}

// lockEntryFor is lockEntry for the provider address given.
func lockEntryFor(t *testing.T, dir, address, version, constraints string) string {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatalf("no lock file after init: %v", err)
	}
	lock := string(content)
	head := fmt.Sprintf("provider %q {", address)
	start := strings.Index(lock, head)
	if start < 0 {
		t.Fatalf("the lock file does not name %s:\n%s", head, lock)
	}
	block := lock[start:]
	if end := strings.Index(block, "\n}"); end >= 0 {
		block = block[:end]
	}
	for _, want := range []string{fmt.Sprintf("version     = %q", version), fmt.Sprintf("constraints = %q", constraints)} {
		if !strings.Contains(block, want) {
			t.Errorf("the lock file's entry lacks %s:\n%s", want, block)
		}
	}
	return block
}

// lockHashes are the h1: and zh: hashes of a lock entry.
func lockHashes(block string) map[string]bool {
	hashes := map[string]bool{}
	for _, m := range lockHashRE.FindAllStringSubmatch(block, -1) {
		hashes[m[1]] = true
	}
	return hashes
}
