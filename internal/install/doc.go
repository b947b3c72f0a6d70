// Package install holds the tests of installing the provider the way users of an
// infra repository do: built into a filesystem mirror (`make install`) or unpacked
// from release archives checked against SHA256SUMS (`make install-archive`), then
// `init` without a dev override, a lock file with hashes, plan and apply, with the
// provider running as the installed binary. The code under test is in scripts/
// (install-mirror.sh, install-release-archive.sh); this package has no code of its own.
package install
