package install_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// otherCLI is the CLI the leg does not test: Terraform 1.5.7 under OpenTofu and the
// pinned OpenTofu under Terraform, built once per machine by its script (as `make
// testacc-terraform` and `make testacc` build them).
func otherCLI(t *testing.T) string {
	t.Helper()
	build := "build-terraform.sh"
	if !acctest.IsOpenTofu() {
		build = "build-tofu.sh"
	}
	lines := strings.Split(strings.TrimSpace(script(t, build)), "\n")
	return lines[len(lines)-1]
}

var dependencyChangesRE = regexp.MustCompile(`Provider dependency changes detected`)

// TestAccOneLockFileForBothCLIs: a team whose members use OpenTofu and Terraform, with the
// registry of the signed release standing in for both registry.opentofu.org and
// registry.terraform.io. The CLI of the leg writes the lock file; the other CLI reads it.
//
// With `source = "blsq/openhexa"` each CLI has its own address: the other CLI's
// `init -lockfile=readonly` refuses the lock file, a writable init replaces the other's
// entry with its own, and a lock file holding both entries (as a merge of the two makes)
// fails `init -lockfile=readonly` on both CLIs. With
// `source = "registry.opentofu.org/blsq/openhexa"` the lock file holds one entry, and
// both CLIs install from it with `-lockfile=readonly`, plan, and leave it unchanged.
func TestAccOneLockFileForBothCLIs(t *testing.T) {
	writer := acctest.CLIPath(t)
	reader := otherCLI(t)
	writerHost, readerHost := "registry.opentofu.org", "registry.terraform.io"
	if !acctest.IsOpenTofu() {
		writerHost, readerHost = readerHost, writerHost
	}
	rel := signedRelease(t)
	reg := startRegistry(t, rel.dist, rel.version, rel.signer)
	srv := openhexatest.Start(t)
	hosts := []string{"registry.opentofu.org", "registry.terraform.io"}

	// repo is a checkout of the infra repository: the configuration and, when given, the
	// committed lock file.
	repo := func(t *testing.T, source string, lock []byte) string {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(infraConfigAt(srv, source, "~> 0.4")), 0o600); err != nil {
			t.Fatal(err)
		}
		if lock != nil {
			if err := os.WriteFile(filepath.Join(dir, ".terraform.lock.hcl"), lock, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	readLock := func(t *testing.T, dir string) []byte {
		t.Helper()
		lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		return lock
	}
	refusedReadonly := func(t *testing.T, r cliRun, why string) {
		t.Helper()
		out, err := r.run("init", "-input=false", "-no-color", "-lockfile=readonly")
		if err == nil || !dependencyChangesRE.MatchString(out) {
			t.Errorf("%s: %s init -lockfile=readonly did not fail on the provider dependencies (%v):\n%s",
				why, filepath.Base(r.cli), err, out)
		}
	}

	t.Run("source without host", func(t *testing.T) {
		const source = "blsq/openhexa"
		w := repo(t, source, nil)
		registryRun(t, writer, w, reg, hosts...).must("init", "-input=false", "-no-color")
		writerLock := readLock(t, w)
		lockEntryFor(t, w, writerHost+"/blsq/openhexa", rel.version, "~> 0.4")

		r := repo(t, source, writerLock)
		refusedReadonly(t, registryRun(t, reader, r, reg, hosts...), "the other CLI's lock file")

		// A writable init keeps the reader's own address only.
		registryRun(t, reader, r, reg, hosts...).must("init", "-input=false", "-no-color")
		readerLock := readLock(t, r)
		lockEntryFor(t, r, readerHost+"/blsq/openhexa", rel.version, "~> 0.4")
		if bytes.Contains(readerLock, []byte(writerHost)) {
			t.Errorf("%s kept the entry of %s:\n%s", filepath.Base(reader), writerHost, readerLock)
		}

		// Both entries, as a merge of the two lock files gives: both CLIs refuse it.
		both := append(append([]byte{}, writerLock...), readerLock...)
		for _, cli := range []string{writer, reader} {
			dir := repo(t, source, both)
			refusedReadonly(t, registryRun(t, cli, dir, reg, hosts...), "a lock file with both addresses")
		}
	})

	t.Run("source with host", func(t *testing.T) {
		const source = "registry.opentofu.org/blsq/openhexa"
		w := repo(t, source, nil)
		wr := registryRun(t, writer, w, reg, hosts...)
		wr.must("init", "-input=false", "-no-color")
		args := []string{"providers", "lock", "-no-color"}
		for _, p := range lockPlatforms {
			args = append(args, "-platform="+p)
		}
		wr.must(args...)
		lock := readLock(t, w)
		lockEntryFor(t, w, source, rel.version, "~> 0.4")
		if n := bytes.Count(lock, []byte("provider \"")); n != 1 {
			t.Errorf("the lock file holds %d entries, want 1:\n%s", n, lock)
		}

		for _, cli := range []string{writer, reader} {
			dir := repo(t, source, lock)
			r := registryRun(t, cli, dir, reg, hosts...)
			out := r.must("init", "-input=false", "-no-color", "-lockfile=readonly")
			if !signedInstallRE(rel.version, rel.signer.keyID).MatchString(out) {
				t.Errorf("%s init did not install %s signed by %s:\n%s", filepath.Base(cli), rel.version, rel.signer.keyID, out)
			}
			if out := r.must("plan", "-input=false", "-no-color"); !strings.Contains(out, "1 to add") {
				t.Errorf("%s plan:\n%s", filepath.Base(cli), out)
			}
			if after := readLock(t, dir); !bytes.Equal(after, lock) {
				t.Errorf("%s changed the committed lock file:\n%s\nwas:\n%s", filepath.Base(cli), after, lock)
			}
		}
	})
}
