#!/usr/bin/env bash
# `make install`: builds the provider and puts it into a filesystem mirror, in the
# layout Terraform and OpenTofu read during `init` (<host>/blsq/openhexa/<version>/<os>_<arch>/),
# under both registry.terraform.io and registry.opentofu.org, then prints the CLI
# configuration that makes `init` take it from there instead of from a registry.
#
#   scripts/install-mirror.sh [-mirror DIR] [-version V] [-platforms "linux_amd64 darwin_arm64"] [-config-out FILE]
#
# Defaults: DIR is ~/.terraform.d/plugins (both CLIs also search it when they have no
# provider_installation block), V is $VERSION, the platforms are $PLATFORMS or this
# machine's. -config-out also writes the CLI configuration to FILE, which must not exist
# yet (the tests use it; a user's own configuration is never written).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/mirror-lib.sh
source scripts/mirror-lib.sh

mirror="${MIRROR:-$HOME/.terraform.d/plugins}"
version="${VERSION:-}"
platforms="${PLATFORMS:-$(go env GOOS)_$(go env GOARCH)}"
config_out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -mirror) mirror="$2"; shift 2 ;;
    -version) version="$2"; shift 2 ;;
    -platforms) platforms="$2"; shift 2 ;;
    -config-out) config_out="$2"; shift 2 ;;
    *) echo "usage: $0 [-mirror DIR] [-version V] [-platforms \"os_arch ...\"] [-config-out FILE]" >&2; exit 2 ;;
  esac
done
check_version "$version"
mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for platform in $platforms; do
  os="${platform%_*}" arch="${platform#*_}"
  if [[ -z "$os" || -z "$arch" || "$platform" != *_* ]]; then
    echo "platform $platform is not <os>_<arch> (for example linux_amd64)" >&2
    exit 2
  fi
  name="terraform-provider-openhexa_v$version"
  [[ "$os" == windows ]] && name="$name.exe"
  echo "==> building $name for $platform" >&2
  # The same flags as .goreleaser.yml, so that a build reports the same version.
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath -ldflags "-s -w -X main.version=$version" \
    -o "$work/$platform/$name" .
  for host in "${MIRROR_HOSTS[@]}"; do
    install_package "$mirror" "$host" "$version" "$platform" "$work/$platform"
  done
done
print_cli_config "$mirror" "$config_out"
