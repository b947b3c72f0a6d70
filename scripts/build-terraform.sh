#!/usr/bin/env bash
# Builds Terraform v1.5.7 (the last release under the MPL) from the Go module proxy
# and caches it outside the repository, for the acceptance tests' Terraform leg
# (`make testacc-terraform`). The last line of output is the binary's path. Never run
# the binary without CHECKPOINT_DISABLE=1: it would phone home.
set -euo pipefail

version="${TERRAFORM_VERSION:-v1.5.7}"
cache_root="${OPENHEXA_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-openhexa}"
dest_dir="$cache_root/terraform/$version"
binary="$dest_dir/terraform"

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

echo "building Terraform $version (about two minutes, once per machine)" >&2
mkdir -p "$dest_dir"
GOBIN="$dest_dir" CGO_ENABLED=0 go install -trimpath "github.com/hashicorp/terraform@$version"
echo "$binary"
