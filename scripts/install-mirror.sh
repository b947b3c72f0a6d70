#!/usr/bin/env bash
# `make install`: unpacks the archives of a release that `make release` built (DIST,
# default dist/) into a filesystem mirror, in the layout Terraform and OpenTofu read during
# `init` (<host>/blsq/openhexa/<version>/<os>_<arch>/), under both registry.terraform.io
# and registry.opentofu.org, then prints the CLI configuration that makes `init` take the
# provider from there instead of from a registry. The archives are checked against the
# release's SHA256SUMS first (scripts/install-release-archive.sh does the unpacking).
#
#   scripts/install-mirror.sh -version V [-dist DIR] [-mirror DIR] [-platforms "linux_amd64 darwin_arm64"]
#
# Defaults: the mirror is $MIRROR, else ~/.terraform.d/plugins (both CLIs also search it
# when they have no provider_installation block); the platforms are $PLATFORMS or this
# machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/mirror-lib.sh
source scripts/mirror-lib.sh

mirror="${MIRROR:-$HOME/.terraform.d/plugins}"
version=""
dist="dist"
platforms="${PLATFORMS:-$(go env GOOS)_$(go env GOARCH)}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -mirror) mirror="$2"; shift 2 ;;
    -version) version="$2"; shift 2 ;;
    -dist) dist="$2"; shift 2 ;;
    -platforms) platforms="$2"; shift 2 ;;
    *) echo "usage: $0 -version V [-dist DIR] [-mirror DIR] [-platforms \"os_arch ...\"]" >&2; exit 2 ;;
  esac
done
check_version "$version"

sums="$dist/terraform-provider-openhexa_${version}_SHA256SUMS"
if [[ ! -f "$sums" ]]; then
  echo "$sums does not exist: build the release first (make release VERSION=$version)" >&2
  exit 1
fi
echo "installing the release $version of $dist (make release VERSION=$version rebuilds it from this tree)" >&2
archives=()
for platform in $platforms; do
  archive="$dist/terraform-provider-openhexa_${version}_${platform}.zip"
  if [[ ! -f "$archive" ]]; then
    echo "the release $version in $dist has no archive for $platform; it has:" >&2
    (cd "$dist" && ls -1 terraform-provider-openhexa_"${version}"_*.zip) >&2
    exit 1
  fi
  archives+=("$archive")
done
exec bash scripts/install-release-archive.sh -mirror "$mirror" "$sums" "${archives[@]}"
