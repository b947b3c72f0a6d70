package install_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
)

// releaseVersion is the version the tests release: a release version, so that
// `version = "~> 0.4"` selects it (a pre-release matches only an exact constraint).
const releaseVersion = "0.4.0"

// gpgKey is an OpenPGP key of the tests' throwaway keyring.
type gpgKey struct {
	fingerprint string // 40 hex digits, upper case
	keyID       string // the long key ID the CLIs print: the fingerprint's last 16 digits
	armor       string // the ASCII-armored public key, as a registry lists it
}

// release is what `make release VERSION=0.4.0 GPG_FINGERPRINT=…` wrote into dist, signed
// by signer; other is a second key of the same keyring, for signatures a registry must
// refuse.
type release struct {
	dist, version string
	gnupgHome     string
	signer, other gpgKey
}

// sumsPath is the release's SHA256SUMS file.
func (r *release) sumsPath() string {
	return filepath.Join(r.dist, "terraform-provider-openhexa_"+r.version+"_SHA256SUMS")
}

// archive is the path of one platform's zip.
func (r *release) archive(platform string) string {
	return filepath.Join(r.dist, "terraform-provider-openhexa_"+r.version+"_"+platform+".zip")
}

var (
	releaseOnce  sync.Once
	builtRelease *release
	releaseErr   error
)

// signedRelease builds, once per test binary, the release the tests install: two RSA keys
// (Terraform 1.5 cannot verify EdDSA signatures) made in a temporary GNUPGHOME, then
// `make release` signed by the first into a temporary dist directory. Both go when the
// package's tests are done. Without gpg the tests that need it skip, unless
// OPENHEXA_REQUIRE_GPG is set (.ci/run installs gpg and sets it).
func signedRelease(t *testing.T) *release {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		msg := "gpg is not installed: it signs the release's SHA256SUMS (apt-get install gnupg)"
		if os.Getenv("OPENHEXA_REQUIRE_GPG") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	releaseOnce.Do(func() { builtRelease, releaseErr = buildSignedRelease(repoRoot(t)) })
	if releaseErr != nil {
		t.Fatal(releaseErr)
	}
	return builtRelease
}

func buildSignedRelease(repo string) (*release, error) {
	// gpg-agent's socket lives in GNUPGHOME, whose path must stay short.
	tmp, err := os.MkdirTemp("", "ohx-rel-")
	if err != nil {
		return nil, err
	}
	r := &release{dist: filepath.Join(tmp, "dist"), version: releaseVersion, gnupgHome: filepath.Join(tmp, "gnupg")}
	acctest.AfterAll(func() {
		kill := exec.Command("gpgconf", "--kill", "all")
		kill.Env = append(os.Environ(), "GNUPGHOME="+r.gnupgHome)
		_ = kill.Run()
		_ = os.RemoveAll(tmp)
	})
	if err := os.Mkdir(r.gnupgHome, 0o700); err != nil {
		return nil, err
	}
	if r.signer, err = r.newKey("OpenHEXA provider test release <release@example.invalid>"); err != nil {
		return nil, err
	}
	if r.other, err = r.newKey("Someone else <other@example.invalid>"); err != nil {
		return nil, err
	}
	cmd := exec.Command("make", "--no-print-directory", "release", "VERSION="+r.version, "DIST="+r.dist,
		"GPG_FINGERPRINT="+r.signer.fingerprint)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "GNUPGHOME="+r.gnupgHome)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("make release: %v\n%s", err, out)
	}
	return r, nil
}

// gpg runs gpg on the release's keyring and returns its stdout.
func (r *release) gpg(args ...string) (string, error) {
	cmd := exec.Command("gpg", append([]string{"--batch", "--no-tty"}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+r.gnupgHome)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("gpg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// newKey makes an RSA signing key without a passphrase.
func (r *release) newKey(uid string) (gpgKey, error) {
	if _, err := r.gpg("--passphrase", "", "--quick-gen-key", uid, "rsa3072", "sign", "never"); err != nil {
		return gpgKey{}, err
	}
	listing, err := r.gpg("--with-colons", "--list-keys", uid)
	if err != nil {
		return gpgKey{}, err
	}
	var k gpgKey
	for _, line := range strings.Split(listing, "\n") {
		if fields := strings.Split(line, ":"); fields[0] == "fpr" && len(fields) > 9 {
			k.fingerprint = fields[9]
			break
		}
	}
	if len(k.fingerprint) != 40 {
		return gpgKey{}, fmt.Errorf("no fingerprint for %s in:\n%s", uid, listing)
	}
	k.keyID = k.fingerprint[24:]
	if k.armor, err = r.gpg("--armor", "--export", k.fingerprint); err != nil {
		return gpgKey{}, err
	}
	return k, nil
}

// signAs writes a detached signature of file by key to out.
func (r *release) signAs(key gpgKey, file, out string) error {
	_, err := r.gpg("--local-user", key.fingerprint, "--output", out, "--detach-sign", file)
	return err
}

// TestAccReleaseIsSigned: `make release VERSION=0.4.0` with a throwaway key writes every
// platform's zip, the manifest and SHA256SUMS listing exactly them, and a SHA256SUMS.sig
// that gpg verifies as made by that key.
func TestAccReleaseIsSigned(t *testing.T) {
	acctest.CLIPath(t)
	rel := signedRelease(t)
	sums := readSums(t, rel.sumsPath())
	want := []string{"terraform-provider-openhexa_" + rel.version + "_manifest.json"}
	for _, p := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "freebsd_amd64"} {
		want = append(want, filepath.Base(rel.archive(p)))
	}
	for _, name := range want {
		if sums[name] == "" {
			t.Errorf("SHA256SUMS does not list %s", name)
		}
		if _, err := os.Stat(filepath.Join(rel.dist, name)); err != nil {
			t.Errorf("dist lacks %s: %v", name, err)
		}
	}
	if len(sums) != len(want) {
		t.Errorf("SHA256SUMS lists %d files, want %d (%v): %v", len(sums), len(want), want, sums)
	}
	status, err := rel.gpg("--status-fd", "1", "--verify", rel.sumsPath()+".sig", rel.sumsPath())
	if err != nil {
		t.Fatalf("SHA256SUMS.sig does not verify: %v", err)
	}
	if !strings.Contains(status, "VALIDSIG "+rel.signer.fingerprint) {
		t.Errorf("SHA256SUMS.sig is not a valid signature by %s:\n%s", rel.signer.fingerprint, status)
	}
}
