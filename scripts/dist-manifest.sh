#!/usr/bin/env bash
# Run by `make release-snapshot` after goreleaser: puts the registry manifest beside the
# archives in dist/, as terraform-provider-openhexa_<version>_manifest.json. goreleaser
# lists it in SHA256SUMS (checksum.extra_files) and would upload it with a release
# (release.extra_files), but never copies it into dist/; a team that serves the
# release's files from its own store needs all of them there. Checks that the copy is
# what SHA256SUMS lists.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(python3 -c 'import json; print(json.load(open("dist/metadata.json"))["version"])')"
name="terraform-provider-openhexa_${version}_manifest.json"
sums="dist/terraform-provider-openhexa_${version}_SHA256SUMS"
cp terraform-registry-manifest.json "dist/$name"
want="$(awk -v f="$name" '$2 == f { print $1 }' "$sums")"
got="$(sha256sum "dist/$name" | cut -d' ' -f1)"
if [[ -z "$want" || "$want" != "$got" ]]; then
  echo "dist/$name (sha256 $got) is not what $sums lists (\"$want\")" >&2
  exit 1
fi
echo "dist/$name: listed in $(basename "$sums")"
