package install_test

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeZip writes a release-like archive holding one executable.
func writeZip(t *testing.T, path, binary, content string) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	h := &zip.FileHeader{Name: binary, Method: zip.Deflate}
	h.SetMode(0o755)
	fw, err := w.CreateHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

// TestReleaseArchiveScript: scripts/install-release-archive.sh installs only archives
// that SHA256SUMS lists and matches, all or nothing, under both registry hosts, with the
// executable bit kept. No CLI: it runs in plain `go test`.
func TestReleaseArchiveScript(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "terraform-provider-openhexa_1.2.3_linux_amd64.zip")
	goodSum := writeZip(t, good, "terraform-provider-openhexa_v1.2.3", "#!/bin/sh\necho fake provider\n")
	unlisted := filepath.Join(dir, "terraform-provider-openhexa_1.2.3_darwin_arm64.zip")
	writeZip(t, unlisted, "terraform-provider-openhexa_v1.2.3", "other")
	misnamed := filepath.Join(dir, "provider.zip")
	misnamedSum := writeZip(t, misnamed, "terraform-provider-openhexa_v1.2.3", "x")
	sums := filepath.Join(dir, "terraform-provider-openhexa_1.2.3_SHA256SUMS")
	listed := fmt.Sprintf("%s  %s\n%s  %s\n%s  %s\n", goodSum, filepath.Base(good), misnamedSum, "provider.zip",
		strings.Repeat("0", 64), "terraform-provider-openhexa_1.2.3_windows_amd64.zip")
	if err := os.WriteFile(sums, []byte(listed), 0o600); err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(dir, "wrong", "terraform-provider-openhexa_1.2.3_windows_amd64.zip")
	if err := os.MkdirAll(filepath.Dir(wrong), 0o755); err != nil {
		t.Fatal(err)
	}
	writeZip(t, wrong, "terraform-provider-openhexa_v1.2.3.exe", "swapped")

	run := func(mirror string, archives ...string) (string, error) {
		cmd := exec.Command("bash", append([]string{"scripts/install-release-archive.sh", "-mirror", mirror, sums}, archives...)...)
		cmd.Dir = repoRoot(t)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for name, tc := range map[string]struct {
		archives []string
		want     string
	}{
		"not listed":          {[]string{good, unlisted}, "is not listed in"},
		"mismatch":            {[]string{good, wrong}, "does not match"},
		"not an archive name": {[]string{misnamed}, "is not named terraform-provider-openhexa_<version>_<os>_<arch>.zip"},
	} {
		mirror := filepath.Join(dir, "mirror-"+strings.ReplaceAll(name, " ", "-"))
		out, err := run(mirror, tc.archives...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("%s: want a refusal saying %q, got %v:\n%s", name, tc.want, err, out)
		}
		if _, err := os.Stat(mirror); !os.IsNotExist(err) {
			t.Errorf("%s: the refusal left a mirror behind (%v)", name, err)
		}
	}

	mirror := filepath.Join(dir, "mirror")
	out, err := run(mirror, good)
	if err != nil {
		t.Fatalf("a listed, matching archive was refused: %v\n%s", err, out)
	}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(mirror, host, "blsq", "openhexa", "1.2.3", "linux_amd64", "terraform-provider-openhexa_v1.2.3")
		info, err := os.Stat(bin)
		if err != nil || info.Mode()&0o100 == 0 {
			t.Errorf("%s: not installed as an executable (%v)", bin, err)
		}
	}
	if !strings.Contains(out, `include = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]`) {
		t.Errorf("the CLI configuration was not printed:\n%s", out)
	}
}

// TestMakeInstallBuildsMissingRelease: `make install VERSION=…` with a DIST that lacks the
// version runs `make release` first (goreleaser with the version as its current tag,
// nothing published, unsigned without GPG_FINGERPRINT), then unpacks that release; with
// the release there, it runs no goreleaser. goreleaser is a stand-in that records its
// arguments and writes a small release. No CLI: it runs in plain `go test`.
func TestMakeInstallBuildsMissingRelease(t *testing.T) {
	tmp := t.TempDir()
	release := filepath.Join(tmp, "release")
	if err := os.MkdirAll(release, 0o755); err != nil {
		t.Fatal(err)
	}
	zipSum := writeZip(t, filepath.Join(release, "terraform-provider-openhexa_1.2.3_linux_amd64.zip"),
		"terraform-provider-openhexa_v1.2.3", "#!/bin/sh\necho fake provider\n")
	manifest, err := os.ReadFile(filepath.Join(repoRoot(t), "terraform-registry-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	sums := fmt.Sprintf("%s  terraform-provider-openhexa_1.2.3_linux_amd64.zip\n%x  terraform-provider-openhexa_1.2.3_manifest.json\n",
		zipSum, sha256.Sum256(manifest))
	if err := os.WriteFile(filepath.Join(release, "terraform-provider-openhexa_1.2.3_SHA256SUMS"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
	calls := filepath.Join(tmp, "calls")
	fake := filepath.Join(tmp, "goreleaser")
	// It writes where the configuration it is given says, as goreleaser does.
	script := `#!/usr/bin/env bash
set -euo pipefail
echo "$GORELEASER_CURRENT_TAG $*" >>` + calls + `
config=""
while [[ $# -gt 0 ]]; do
  if [[ "$1" == --config ]]; then config="$2"; fi
  shift
done
dist="$(sed -n 's/^dist: //p' "$config")"
mkdir -p "$dist"
cp ` + release + `/* "$dist/"
`
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(tmp, "dist")
	mirror := filepath.Join(tmp, "mirror")
	install := func() {
		makeTarget(t, []string{"GPG_FINGERPRINT="}, "install", "VERSION=1.2.3", "DIST="+dist, "MIRROR="+mirror,
			"PLATFORMS=linux_amd64", "GORELEASER="+fake)
	}
	install()
	logged, err := os.ReadFile(calls)
	if err != nil {
		t.Fatalf("make install did not run goreleaser: %v", err)
	}
	if !regexp.MustCompile(`^v1\.2\.3 release --clean --skip=publish,validate,sign --config \S+\n$`).Match(logged) {
		t.Errorf("goreleaser ran as %q, want the tag v1.2.3 and release --clean --skip=publish,validate,sign", logged)
	}
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(mirror, host, "blsq", "openhexa", "1.2.3", "linux_amd64", "terraform-provider-openhexa_v1.2.3")
		if _, err := os.Stat(bin); err != nil {
			t.Errorf("not installed from the release: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dist, "terraform-provider-openhexa_1.2.3_manifest.json")); err != nil {
		t.Errorf("make release did not put the manifest into dist: %v", err)
	}

	install()
	if again, _ := os.ReadFile(calls); string(again) != string(logged) {
		t.Errorf("make install rebuilt a release DIST holds: goreleaser ran as\n%s", again)
	}

	// goreleaser deletes its output directory first: a DIST holding the user's files is
	// refused, and kept.
	users := filepath.Join(tmp, "users-dir")
	if err := os.MkdirAll(users, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(users, "notes.txt")
	if err := os.WriteFile(notes, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "--no-print-directory", "release", "VERSION=1.2.3", "DIST="+users, "GORELEASER="+fake)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "holds files no release wrote (notes.txt)") {
		t.Errorf("make release into a directory of the user's: %v\n%s", err, out)
	}
	if _, err := os.Stat(notes); err != nil {
		t.Errorf("the user's file is gone: %v", err)
	}
	if again, _ := os.ReadFile(calls); string(again) != string(logged) {
		t.Errorf("goreleaser ran on a directory of the user's:\n%s", again)
	}
}
