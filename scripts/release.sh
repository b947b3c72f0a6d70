#!/usr/bin/env bash
# `make release VERSION=x.y.z`: builds the release of that version with goreleaser into
# DIST (default dist/), offline, and publishes nothing: one zip per platform,
# terraform-provider-openhexa_<version>_SHA256SUMS, the registry manifest listed in it and,
# when GPG_FINGERPRINT names a key of the keyring (GNUPGHOME), SHA256SUMS.sig, checked
# with gpg before the script ends. These are the files a registry serves.
#
#   GORELEASER=... scripts/release.sh VERSION
#
# goreleaser takes the version from the current git tag: GORELEASER_CURRENT_TAG stands in
# for a tag v<version> that need not exist, so its check that the tag points at HEAD and
# that the tree is clean is skipped (the release workflow, which runs on the tag, keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/mirror-lib.sh
source scripts/mirror-lib.sh

version="${1:-}"
if [[ -z "$version" ]]; then
  echo "usage: make release VERSION=x.y.z [GPG_FINGERPRINT=...] [DIST=dir]" >&2
  exit 2
fi
check_version "$version"
goreleaser="${GORELEASER:?set GORELEASER to the pinned goreleaser (make release installs it)}"
dist="${DIST:-dist}"

# goreleaser --clean deletes the directory: only one that holds nothing but an earlier
# release's files (or nothing) is given to it.
foreign=()
for f in "$dist"/* "$dist"/.[!.]*; do
  [[ -e "$f" ]] || continue
  case "$(basename "$f")" in
    terraform-provider-openhexa_* | artifacts.json | metadata.json | config.yaml) ;;
    *) foreign+=("$(basename "$f")") ;;
  esac
done
if [[ ${#foreign[@]} -gt 0 ]]; then
  echo "$dist holds files no release wrote (${foreign[*]}): not deleted; set DIST to a new or empty directory" >&2
  exit 1
fi

config=".goreleaser.yml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ "$dist" != dist ]]; then
  # goreleaser has no flag for its output directory, only the configuration's `dist`.
  config="$work/goreleaser.yml"
  dist_abs="$dist"
  [[ "$dist" == /* ]] || dist_abs="$PWD/$dist"
  { cat .goreleaser.yml; printf '\ndist: %s\n' "$dist_abs"; } >"$config"
fi

skip="publish,validate"
if [[ -z "${GPG_FINGERPRINT:-}" ]]; then
  skip="$skip,sign"
  echo "note: GPG_FINGERPRINT is not set: SHA256SUMS is not signed (a registry requires the signature)" >&2
fi
if ! git ls-remote --get-url >/dev/null 2>&1; then
  # goreleaser reads the remote's URL even when it publishes nothing; a clone without one
  # gets the project's, for this command only (the repository's configuration is untouched).
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url \
    GIT_CONFIG_VALUE_0=https://github.com/blsq/terraform-provider-openhexa.git
fi
GORELEASER_CURRENT_TAG="v$version" "$goreleaser" release --clean --skip="$skip" --config "$config"

# goreleaser lists the manifest in SHA256SUMS (checksum.extra_files) and uploads it with a
# release (release.extra_files), but never copies it into dist; a team serving the files
# from its own store needs it there.
name="terraform-provider-openhexa_${version}_manifest.json"
sums="$dist/terraform-provider-openhexa_${version}_SHA256SUMS"
cp terraform-registry-manifest.json "$dist/$name"
want="$(listed_sha256 "$sums" "$name")"
got="$(sha256_of "$dist/$name")"
if [[ -z "$want" || "$want" != "$got" ]]; then
  echo "$dist/$name (sha256 $got) is not what $sums lists (\"$want\")" >&2
  exit 1
fi

if [[ -n "${GPG_FINGERPRINT:-}" ]]; then
  # VALIDSIG names the signing key's fingerprint and, last, its primary key's.
  if ! gpg --batch --status-fd 1 --verify "$sums.sig" "$sums" >"$work/status" 2>&1 ||
    ! grep -q "^\[GNUPG:\] VALIDSIG .*${GPG_FINGERPRINT^^}" "$work/status"; then
    cat "$work/status" >&2
    echo "$sums.sig is not a valid signature by $GPG_FINGERPRINT" >&2
    exit 1
  fi
  echo "$sums.sig: a valid signature by $GPG_FINGERPRINT" >&2
fi
echo "release $version in $dist:" >&2
(cd "$dist" && ls -1 terraform-provider-openhexa_"$version"_*) >&2
