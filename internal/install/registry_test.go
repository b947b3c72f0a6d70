package install_test

import (
	"crypto/sha256"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// providerRegistry serves the release in one directory as a provider registry does
// (provider registry protocol v1, as registry.terraform.io and registry.opentofu.org
// speak it): service discovery, the versions of blsq/openhexa, each platform's download
// metadata with the URLs of SHA256SUMS and its signature and the signing key, and the
// files themselves. Over TLS, with a certificate of its own CA (caFile), as a CLI asks
// of a registry host.
type providerRegistry struct {
	server  *httptest.Server
	dir     string
	version string
	key     gpgKey
	caFile  string
	// trustSumsFile takes each archive's shasum from the archive served instead of from
	// SHA256SUMS: a registry that describes whatever file it has.
	trustSumsFile bool
}

// startRegistry serves dir (a copy of a release's dist, or the dist itself) with key as
// the provider's signing key.
func startRegistry(t *testing.T, dir, version string, key gpgKey) *providerRegistry {
	t.Helper()
	reg := &providerRegistry{dir: dir, version: version, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	})
	mux.HandleFunc("GET /v1/providers/blsq/openhexa/versions", reg.versions)
	mux.HandleFunc("GET /v1/providers/blsq/openhexa/{version}/download/{os}/{arch}", reg.download)
	mux.HandleFunc("GET /files/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if strings.ContainsAny(name, "/\\") {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(reg.dir, name))
	})
	reg.server = httptest.NewTLSServer(mux)
	t.Cleanup(reg.server.Close)
	reg.caFile = filepath.Join(t.TempDir(), "registry-ca.pem")
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: reg.server.Certificate().Raw})
	if err := os.WriteFile(reg.caFile, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	return reg
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// platforms are the <os>_<arch> of the release's zips.
func (reg *providerRegistry) platforms() []string {
	prefix := "terraform-provider-openhexa_" + reg.version + "_"
	matches, _ := filepath.Glob(filepath.Join(reg.dir, prefix+"*.zip"))
	var out []string
	for _, m := range matches {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), prefix), ".zip"))
	}
	sort.Strings(out)
	return out
}

// protocols are the plugin protocol versions the release's manifest declares.
func (reg *providerRegistry) protocols() ([]string, error) {
	content, err := os.ReadFile(filepath.Join(reg.dir, "terraform-provider-openhexa_"+reg.version+"_manifest.json"))
	if err != nil {
		return nil, err
	}
	var m struct {
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(content, &m); err != nil {
		return nil, err
	}
	return m.Metadata.ProtocolVersions, nil
}

func (reg *providerRegistry) versions(w http.ResponseWriter, _ *http.Request) {
	protocols, err := reg.protocols()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var platforms []map[string]string
	for _, p := range reg.platforms() {
		os, arch, _ := strings.Cut(p, "_")
		platforms = append(platforms, map[string]string{"os": os, "arch": arch})
	}
	writeJSON(w, map[string]any{"versions": []any{map[string]any{
		"version": reg.version, "protocols": protocols, "platforms": platforms,
	}}})
}

func (reg *providerRegistry) download(w http.ResponseWriter, r *http.Request) {
	platform := r.PathValue("os") + "_" + r.PathValue("arch")
	filename := "terraform-provider-openhexa_" + reg.version + "_" + platform + ".zip"
	if r.PathValue("version") != reg.version {
		http.NotFound(w, r)
		return
	}
	protocols, err := reg.protocols()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sumsName := "terraform-provider-openhexa_" + reg.version + "_SHA256SUMS"
	shasum, err := reg.shasum(sumsName, filename)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	files := reg.server.URL + "/files/"
	writeJSON(w, map[string]any{
		"protocols":             protocols,
		"os":                    r.PathValue("os"),
		"arch":                  r.PathValue("arch"),
		"filename":              filename,
		"download_url":          files + filename,
		"shasums_url":           files + sumsName,
		"shasums_signature_url": files + sumsName + ".sig",
		"shasum":                shasum,
		"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]string{
			"key_id": reg.key.keyID, "ascii_armor": reg.key.armor,
		}}},
	})
}

// shasum is the archive's SHA-256 as SHA256SUMS lists it (as a registry records it when
// it ingests a release), or of the file served when trustSumsFile is set.
func (reg *providerRegistry) shasum(sumsName, filename string) (string, error) {
	if reg.trustSumsFile {
		content, err := os.ReadFile(filepath.Join(reg.dir, filename))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%x", sha256.Sum256(content)), nil
	}
	sums, err := parseSums(filepath.Join(reg.dir, sumsName))
	if err != nil {
		return "", err
	}
	if sum, ok := sums[filename]; ok {
		return sum, nil
	}
	return "", fmt.Errorf("%s does not list %s", sumsName, filename)
}

// cliConfig is a CLI configuration in which host (registry.opentofu.org or
// registry.terraform.io) is this registry: the `host` block replaces the host's service
// discovery, so the CLI never looks the real one up. Nothing else: every provider comes
// from its registry, as on a machine without a provider_installation block.
func (reg *providerRegistry) cliConfig(hosts ...string) string {
	var b strings.Builder
	b.WriteString("disable_checkpoint = true\n")
	for _, host := range hosts {
		fmt.Fprintf(&b, "\nhost %q {\n  services = {\n    \"providers.v1\" = %q\n  }\n}\n", host, reg.server.URL+"/v1/providers/")
	}
	return b.String()
}

// registryRun is a CLI run against the registry standing in for hosts: the CLI
// configuration above, a HOME of its own (no ~/.terraformrc, no plugin directories), and
// the registry's CA as the only trusted one.
func registryRun(t *testing.T, cli, dir string, reg *providerRegistry, hosts ...string) cliRun {
	t.Helper()
	tmp := t.TempDir()
	config := filepath.Join(tmp, "registry.tfrc")
	if err := os.WriteFile(config, []byte(reg.cliConfig(hosts...)), 0o600); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	return cliRun{t: t, cli: cli, dir: dir, cliConfig: config,
		extraEnv: []string{"HOME=" + home, "SSL_CERT_FILE=" + reg.caFile, "SSL_CERT_DIR=" + tmp}}
}

// copyRelease copies a release's files (not goreleaser's build directories) into a new
// directory, for a registry whose files a test changes.
func copyRelease(t *testing.T, rel *release) string {
	t.Helper()
	dir := t.TempDir()
	matches, _ := filepath.Glob(filepath.Join(rel.dist, "terraform-provider-openhexa_"+rel.version+"_*"))
	for _, m := range matches {
		content, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(m)), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// signedInstallRE matches the line with which init reports the provider installed from
// a registry with a verified signature: OpenTofu says "(signed, key ID …)", Terraform,
// for a key that is neither HashiCorp's nor a partner's, "(self-signed, key ID …)". Each
// names the provider without its default host: Terraform prints
// registry.opentofu.org/blsq/openhexa in full.
func signedInstallRE(version, keyID string) *regexp.Regexp {
	return regexp.MustCompile(`Installed (registry\.opentofu\.org/)?blsq/openhexa v` + regexp.QuoteMeta(version) +
		` \((self-)?signed, key ID ` + keyID + `\)`)
}

// TestAccRegistryInstallsSignedRelease: a registry serving the signed `make release`
// stands in for the CLI's default registry (registry.opentofu.org for OpenTofu,
// registry.terraform.io for Terraform); a configuration with plain
// `source = "blsq/openhexa"` and `version = "~> 0.4"` installs 0.4.0 from it, verified
// by the signing key (init names its key ID), and plans against the test server. The
// same registry with SHA256SUMS.sig made by another key, with a changed archive, or with
// a changed archive whose shasum the registry reports, makes init fail, and installs
// nothing.
func TestAccRegistryInstallsSignedRelease(t *testing.T) {
	cli := acctest.CLIPath(t)
	rel := signedRelease(t)
	reg := startRegistry(t, rel.dist, rel.version, rel.signer)

	// What the CLI would ask the real host first.
	resp, err := reg.server.Client().Get(reg.server.URL + "/.well-known/terraform.json")
	if err != nil {
		t.Fatal(err)
	}
	var discovery map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&discovery); err != nil || discovery["providers.v1"] != "/v1/providers/" {
		t.Errorf("service discovery: %v, %v", discovery, err)
	}
	_ = resp.Body.Close()

	srv := openhexatest.Start(t)
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(infraConfig(srv, "~> 0.4")), 0o600); err != nil {
		t.Fatal(err)
	}
	r := registryRun(t, cli, work, reg, registryHost())
	out := r.must("init", "-input=false", "-no-color")
	if !signedInstallRE(rel.version, rel.signer.keyID).MatchString(out) {
		t.Errorf("init did not report %s installed as signed by key ID %s:\n%s", rel.version, rel.signer.keyID, out)
	}
	// From a registry, the lock file holds the zh: hash of every platform SHA256SUMS
	// lists, and the h1: hash of the package installed.
	hashes := lockHashes(lockEntry(t, work, rel.version, "~> 0.4"))
	sums := readSums(t, rel.sumsPath())
	for _, p := range reg.platforms() {
		if zh := "zh:" + sums[filepath.Base(rel.archive(p))]; !hashes[zh] {
			t.Errorf("the lock file lacks the %s hash %s: %v", p, zh, hashes)
		}
	}
	if out := r.must("plan", "-input=false", "-no-color"); !strings.Contains(out, "1 to add") {
		t.Errorf("plan with the provider from the registry:\n%s", out)
	}

	refused := func(name string, reg *providerRegistry, want *regexp.Regexp) {
		t.Run(name, func(t *testing.T) {
			work := t.TempDir()
			if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(infraConfig(srv, "~> 0.4")), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := registryRun(t, cli, work, reg, registryHost()).run("init", "-input=false", "-no-color")
			if err == nil {
				t.Fatalf("init installed the provider:\n%s", out)
			}
			if !want.MatchString(out) {
				t.Errorf("init failed, but not saying %s:\n%s", want, out)
			}
			if matches, _ := filepath.Glob(filepath.Join(work, ".terraform", "providers", "*", "blsq", "openhexa", "*", "*", "terraform-provider-openhexa*")); len(matches) > 0 {
				t.Errorf("init left the refused provider installed: %v", matches)
			}
		})
	}

	otherSigned := copyRelease(t, rel)
	sums0 := filepath.Join(otherSigned, filepath.Base(rel.sumsPath()))
	if err := os.Remove(sums0 + ".sig"); err != nil {
		t.Fatal(err)
	}
	if err := rel.signAs(rel.other, sums0, sums0+".sig"); err != nil {
		t.Fatal(err)
	}
	refused("signed by another key", startRegistry(t, otherSigned, rel.version, rel.signer),
		regexp.MustCompile(`authentication\s+signature\s+from\s+unknown\s+issuer`))

	changed := copyRelease(t, rel)
	archive := filepath.Join(changed, filepath.Base(rel.archive(hostPlatform())))
	content, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(archive, append(content, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	refused("changed archive", startRegistry(t, changed, rel.version, rel.signer),
		regexp.MustCompile(`archive\s+has\s+incorrect\s+checksum`))
	describing := startRegistry(t, changed, rel.version, rel.signer)
	describing.trustSumsFile = true
	refused("changed archive, its shasum reported", describing,
		regexp.MustCompile(`checksum\s+list\s+has\s+unexpected\s+SHA-256\s+hash`))
}
