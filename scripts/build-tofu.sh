#!/usr/bin/env bash
# Builds the pinned OpenTofu CLI from the Go module proxy and caches it outside the
# repository, so acceptance tests never pick up a random `terraform` from PATH or
# download one. The last line of output is the binary's path.
#
# It is built as OpenTofu's releases are (version.dev=no), so that it reports its
# version as released (1.12.6, not 1.12.6-dev); the cache directory is named for that
# build, apart from the -dev builds of earlier checkouts.
set -euo pipefail

version="${TOFU_VERSION:-v1.12.6}"
cache_root="${OPENHEXA_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-openhexa}"
dest_dir="$cache_root/opentofu/$version"
binary="$dest_dir/tofu"

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

echo "building OpenTofu $version (a few minutes, once per machine)" >&2
module_dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [[ -z "$module_dir" ]]; then
  echo "could not download github.com/opentofu/opentofu@$version" >&2
  exit 1
fi

work_dir="$(mktemp -d)"
trap 'chmod -R u+w "$work_dir" 2>/dev/null; rm -rf "$work_dir"' EXIT
cp -R "$module_dir/." "$work_dir/src"
chmod -R u+w "$work_dir/src"
mkdir -p "$dest_dir"
(cd "$work_dir/src" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$work_dir/tofu" ./cmd/tofu)
mv "$work_dir/tofu" "$binary"
echo "$binary"
