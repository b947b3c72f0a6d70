package install_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// infraConfig is what an infra repository writes: the provider by its registry source
// and a version constraint, a connection, and the workspace data source on the
// provider's default workspace.
func infraConfig(srv *openhexatest.Server, constraint string) string {
	return infraConfigAt(srv, "blsq/openhexa", constraint)
}

// infraConfigAt is infraConfig with the provider's source address given.
func infraConfigAt(srv *openhexatest.Server, source, constraint string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    openhexa = {
      source  = %q
      version = %q
    }
  }
}

provider "openhexa" {
  url       = %q
  token     = %q
  workspace = %q
}

data "openhexa_workspace" "current" {}

resource "openhexa_custom_connection" "gateway" {
  name = "SMS gateway"
  slug = "install-test-gateway"
  fields = {
    base_url = "https://sms.example.org/v2"
  }
}

output "can_manage_connections" {
  value = data.openhexa_workspace.current.can_manage_connections
}
`, source, constraint, srv.URL(), openhexatest.TokenAdmin, openhexatest.WorkspaceMain)
}

// initPlanApply is an infra repository's life with a provider from the mirror:
// `init` selects the version and writes a lock file with the package's hash;
// `providers lock` adds the hashes of the lock platforms; plan and apply create the
// connection, with the installed binary as the provider; a fresh `init` with the lock
// file kept succeeds; one after the mirror's binary was swapped fails on the checksum.
func initPlanApply(t *testing.T, r cliRun, srv *openhexatest.Server, mirror, version, constraint string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(infraConfig(srv, constraint)), 0o600); err != nil {
		t.Fatal(err)
	}
	out := r.must("init", "-input=false", "-no-color")
	if !strings.Contains(out, version) {
		t.Errorf("init did not say it installed %s:\n%s", version, out)
	}
	hostHash := h1Hash(t, packageDir(mirror, version, hostPlatform()))
	if hashes := lockHashes(lockEntry(t, r.dir, version, constraint)); !hashes[hostHash] {
		t.Errorf("the lock file lacks the hash of the installed package %s: %v", hostHash, hashes)
	}

	// A lock file made from a mirror holds only this machine's hash until `providers lock`
	// adds the others.
	args := []string{"providers", "lock", "-no-color", "-fs-mirror=" + mirror}
	for _, p := range lockPlatforms {
		args = append(args, "-platform="+p)
	}
	r.must(args...)
	hashes := lockHashes(lockEntry(t, r.dir, version, constraint))
	known := map[string]string{}
	for _, p := range mirrorPlatforms() {
		known[h1Hash(t, packageDir(mirror, version, p))] = p
	}
	for _, p := range lockPlatforms {
		if h := h1Hash(t, packageDir(mirror, version, p)); !hashes[h] {
			t.Errorf("after providers lock, the lock file lacks the %s hash %s: %v", p, h, hashes)
		}
	}
	for h := range hashes {
		if known[h] == "" {
			t.Errorf("the lock file holds %s, the hash of no package in the mirror", h)
		}
	}
	lock, err := os.ReadFile(filepath.Join(r.dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}

	r.must("plan", "-input=false", "-no-color", "-out=tfplan")
	r.must("apply", "-input=false", "-no-color", "tfplan")
	if _, ok := srv.ConnectionBySlug(openhexatest.WorkspaceMain, "install-test-gateway"); !ok {
		t.Fatal("apply did not create the connection on the test server")
	}
	if out := r.must("output", "-no-color", "can_manage_connections"); strings.TrimSpace(out) != "true" {
		t.Errorf("data.openhexa_workspace.current.can_manage_connections = %q, want true", out)
	}

	// A CI runner: a fresh checkout, the committed lock file, the same mirror.
	if err := os.RemoveAll(filepath.Join(r.dir, ".terraform")); err != nil {
		t.Fatal(err)
	}
	r.must("init", "-input=false", "-no-color", "-lockfile=readonly")
	if again, _ := os.ReadFile(filepath.Join(r.dir, ".terraform.lock.hcl")); string(again) != string(lock) {
		t.Errorf("a second init changed the lock file:\n%s\nwas:\n%s", again, lock)
	}
	if out, err := r.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Errorf("plan after the second init is not empty (%v):\n%s", err, out)
	}

	// Someone swaps the mirror's binary: init refuses it.
	bin := filepath.Join(packageDir(mirror, version, hostPlatform()), "terraform-provider-openhexa_v"+version)
	content, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, append(content, []byte("swapped")...), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(r.dir, ".terraform")); err != nil {
		t.Fatal(err)
	}
	out, err = r.run("init", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("init accepted a swapped binary:\n%s", out)
	}
	if !regexp.MustCompile(`match\s+any\s+of\s+the\s+checksums\s+previously\s+recorded`).MatchString(out) {
		t.Errorf("init failed, but not on the checksum:\n%s", out)
	}
}

// makeTarget runs a target of the GNUmakefile with the given variables and returns its
// stdout.
func makeTarget(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("make", append([]string{"--no-print-directory"}, args...)...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("make %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// printedCLIConfig is the provider_installation block that `make install` printed, written
// to a file as the user pastes it into the CLI configuration.
func printedCLIConfig(t *testing.T, printed, file string) {
	t.Helper()
	start := strings.Index(printed, "provider_installation {")
	if start < 0 {
		t.Fatalf("no CLI configuration printed:\n%s", printed)
	}
	if err := os.WriteFile(file, []byte(printed[start:]), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAccInstallFromRelease: `make install VERSION=0.4.0` with the signed release in DIST
// unpacks its archives into a temporary mirror, then an infra repository's
// `init`/lock/plan/apply with `version = "~> 0.4"` and the configuration it printed. The
// lock file written there is then the committed one of a CI job that takes the provider
// from a registry serving the same release: `init -lockfile=readonly` accepts it, and the
// plan is empty.
func TestAccInstallFromRelease(t *testing.T) {
	cli := acctest.CLIPath(t)
	rel := signedRelease(t)
	srv := openhexatest.Start(t)
	tmp := t.TempDir()
	mirror := filepath.Join(tmp, "mirror")
	config := filepath.Join(tmp, "cli.tfrc")
	printed := makeTarget(t, nil, "install", "VERSION="+rel.version, "DIST="+rel.dist, "MIRROR="+mirror,
		"PLATFORMS="+strings.Join(mirrorPlatforms(), " "))
	printedCLIConfig(t, printed, config)
	writeCLIConfig(t, printed, config, mirror)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		for _, p := range mirrorPlatforms() {
			dir := filepath.Join(mirror, host, "blsq", "openhexa", rel.version, p)
			if got, want := h1Hash(t, dir), zipH1Hash(t, rel.archive(p)); got != want {
				t.Errorf("%s: hash %s, the release zip's is %s", dir, got, want)
			}
		}
	}
	checkBinaryVersion(t, mirror, rel.version)
	work := filepath.Join(tmp, "infra")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	initPlanApply(t, cliRun{t: t, cli: cli, dir: work, cliConfig: config}, srv, mirror, rel.version, "~> 0.4")

	// The CI job: a fresh checkout of the same lock file, the provider from the registry.
	if err := os.RemoveAll(filepath.Join(work, ".terraform")); err != nil {
		t.Fatal(err)
	}
	reg := startRegistry(t, rel.dist, rel.version, rel.signer)
	ci := registryRun(t, cli, work, reg, registryHost())
	ci.must("init", "-input=false", "-no-color", "-lockfile=readonly")
	if out, err := ci.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Errorf("plan with the provider from the registry is not empty (%v):\n%s", err, out)
	}
}

// readSums parses a SHA256SUMS file: file name → hex digest.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	sums, err := parseSums(path)
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// parseSums reads a SHA256SUMS file, whose lines are "<hex digest>  <file name>": file
// name → hex digest.
func parseSums(path string) (map[string]string, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(content)), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s: malformed line %q", path, line)
		}
		sums[fields[1]] = fields[0]
	}
	return sums, nil
}

// TestAccInstallFromReleaseArchive: the archives of the signed release, checked against
// SHA256SUMS and unpacked into a mirror by scripts/install-release-archive.sh (`make
// install-archive`), pinned exactly, then the same life as TestAccInstallFromRelease.
// The manifest beside the archives, listed in SHA256SUMS, declares plugin protocol 6.0;
// an archive that does not match SHA256SUMS is refused before anything is unpacked.
func TestAccInstallFromReleaseArchive(t *testing.T) {
	cli := acctest.CLIPath(t)
	rel := signedRelease(t)
	dist, sumsFile, version := rel.dist, rel.sumsPath(), rel.version
	sums := readSums(t, sumsFile)

	manifestName := "terraform-provider-openhexa_" + version + "_manifest.json"
	manifest, err := os.ReadFile(filepath.Join(dist, manifestName))
	if err != nil {
		t.Fatalf("no manifest beside the archives: %v", err)
	}
	if digest := sha256.Sum256(manifest); sums[manifestName] != hex.EncodeToString(digest[:]) {
		t.Errorf("%s: sha256 %x, SHA256SUMS lists %q", manifestName, digest, sums[manifestName])
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil || m.Version != 1 ||
		strings.Join(m.Metadata.ProtocolVersions, ",") != "6.0" {
		t.Errorf("%s does not declare protocol 6.0 (%v): %s", manifestName, err, manifest)
	}

	var archives []string
	for _, p := range mirrorPlatforms() {
		name := "terraform-provider-openhexa_" + version + "_" + p + ".zip"
		if sums[name] == "" {
			t.Fatalf("SHA256SUMS does not list %s", name)
		}
		archives = append(archives, filepath.Join(dist, name))
	}

	tmp := t.TempDir()
	mirror := filepath.Join(tmp, "mirror")

	// A tampered archive (same name, other bytes) is refused, and nothing is unpacked.
	tampered := filepath.Join(tmp, "tampered", filepath.Base(archives[0]))
	content, err := os.ReadFile(archives[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(tampered), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tampered, append(content, 0), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "scripts/install-release-archive.sh", "-mirror", mirror, sumsFile, tampered)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "does not match") {
		t.Errorf("a tampered archive was not refused on its checksum (%v):\n%s", err, out)
	}
	if _, err := os.Stat(mirror); !os.IsNotExist(err) {
		t.Errorf("the refused archive left something in the mirror (%v)", err)
	}

	config := filepath.Join(tmp, "cli.tfrc")
	printed := script(t, "install-release-archive.sh", append([]string{"-mirror", mirror, "-config-out", config, sumsFile}, archives...)...)
	writeCLIConfig(t, printed, config, mirror)
	checkBinaryVersion(t, mirror, version)
	work := filepath.Join(tmp, "infra")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	initPlanApply(t, cliRun{t: t, cli: cli, dir: work, cliConfig: config}, openhexatest.Start(t), mirror, version, version)
}
