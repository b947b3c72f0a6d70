#!/usr/bin/env bash
# `make install-archive`: checks release archives (as goreleaser names them,
# terraform-provider-openhexa_<version>_<os>_<arch>.zip) against the release's
# SHA256SUMS file, then unpacks each into a filesystem mirror under both
# registry.terraform.io and registry.opentofu.org, and prints the CLI configuration.
# Nothing is unpacked unless every archive matches its line in SHA256SUMS.
#
#   scripts/install-release-archive.sh [-mirror DIR] [-config-out FILE] SHA256SUMS ARCHIVE.zip...
#
# DIR defaults to $MIRROR, else ~/.terraform.d/plugins. Needs unzip (or python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/mirror-lib.sh
source "$here/mirror-lib.sh"

mirror="${MIRROR:-$HOME/.terraform.d/plugins}"
config_out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -mirror) mirror="$2"; shift 2 ;;
    -config-out) config_out="$2"; shift 2 ;;
    -*) echo "unknown flag $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 2 ]]; then
  echo "usage: $0 [-mirror DIR] [-config-out FILE] SHA256SUMS ARCHIVE.zip..." >&2
  exit 2
fi
sums="$1"
shift

# Check every archive first: a mismatch leaves the mirror untouched.
for archive in "$@"; do
  base="$(basename "$archive")"
  if [[ ! "$base" =~ ^terraform-provider-openhexa_([^_]+)_([a-z0-9]+)_([a-z0-9]+)\.zip$ ]]; then
    echo "$base is not named terraform-provider-openhexa_<version>_<os>_<arch>.zip (a release archive)" >&2
    exit 1
  fi
  want="$(listed_sha256 "$sums" "$base")"
  if [[ -z "$want" ]]; then
    echo "$base is not listed in $sums: not a file of this release" >&2
    exit 1
  fi
  got="$(sha256_of "$archive")"
  if [[ "$got" != "$want" ]]; then
    echo "$base does not match $sums (sha256 $got, listed $want): not installed" >&2
    exit 1
  fi
  echo "$base: checksum OK" >&2
done

mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for archive in "$@"; do
  base="$(basename "$archive")"
  [[ "$base" =~ ^terraform-provider-openhexa_([^_]+)_([a-z0-9]+)_([a-z0-9]+)\.zip$ ]]
  version="${BASH_REMATCH[1]}" platform="${BASH_REMATCH[2]}_${BASH_REMATCH[3]}"
  check_version "$version"
  rm -rf "$work/unpacked"
  mkdir -p "$work/unpacked"
  if command -v unzip >/dev/null; then
    unzip -q "$archive" -d "$work/unpacked"
  else
    python3 -m zipfile -e "$archive" "$work/unpacked"
    chmod +x "$work/unpacked"/terraform-provider-openhexa*
  fi
  for host in "${MIRROR_HOSTS[@]}"; do
    install_package "$mirror" "$host" "$version" "$platform" "$work/unpacked"
  done
done
print_cli_config "$mirror" "$config_out"
