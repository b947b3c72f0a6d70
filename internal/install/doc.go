// Package install holds the tests of installing the provider the way users of an infra
// repository do, from a signed `make release`: from a provider registry standing in for
// registry.opentofu.org or registry.terraform.io, or unpacked into a filesystem mirror
// (`make install`, `make install-archive`); then `init` without a dev override, a lock
// file with hashes (one for both CLIs), plan and apply, with the provider running as the
// installed binary, and the infra-repo guide's commands as written. The code under test
// is in scripts/ and the GNUmakefile; this package has no code of its own.
package install
