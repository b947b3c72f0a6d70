#!/usr/bin/env bash
# `make check-examples`: checks that every example under examples/ is formatted and
# valid against the provider as it is built from this tree, with the pinned OpenTofu,
# offline (a dev override, no init, no registry).
#
# Each example directory is validated on its own, in a temporary copy. Files named
# import-*.tf are import blocks for the same address in different forms: each one is
# validated beside the directory's other files, one at a time. A directory without a
# `required_providers` block gets one for blsq/openhexa. An example whose object (a
# resource, data source, ephemeral resource or function) the provider does not offer
# yet, or that needs another provider (not available offline), is skipped with a
# message.
#
# examples/ci holds CI files for an infra repository: the GitHub workflow is checked by
# actionlint ($ACTIONLINT, pinned in GNUmakefile), and both CI files are parsed and their
# jobs asserted by the tests of internal/ciexamples. actionlint also checks the
# provider's own workflows (.github/workflows), whose jobs internal/workflows asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/offline-cli.sh
source scripts/offline-cli.sh
echo "==> building the provider"
offline_cli "$work"
tofu="$TOFU"
mkdir -p "$work/schema-config"

echo "==> tofu fmt -check -recursive examples"
if ! "$tofu" fmt -check -recursive -diff examples; then
  echo "examples are not formatted: run \`$tofu fmt -recursive examples\`" >&2
  exit 1
fi

required_providers='terraform {
  required_providers {
    openhexa = {
      source = "blsq/openhexa"
    }
  }
}
'
printf '%s' "$required_providers" >"$work/schema-config/main.tf"
(cd "$work/schema-config" && "$tofu" providers schema -json) >"$work/schema.json"
# One line per object the provider offers: resource:<name>, data-source:<name>,
# ephemeral-resource:<name>, function:<name>.
python3 - "$work/schema.json" >"$work/objects.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
p = doc["provider_schemas"]["registry.opentofu.org/blsq/openhexa"]
for prefix, key in (("resource", "resource_schemas"), ("data-source", "data_source_schemas"),
                    ("ephemeral-resource", "ephemeral_resource_schemas"), ("function", "functions")):
    for name in (p.get(key) or {}):
        print(prefix + ":" + name)
PY

# validate_set NAME FILE...: validates the files together in a fresh directory.
validate_set() {
  local name="$1" dir
  shift
  dir="$(mktemp -d "$work/example-XXXXXX")"
  cp "$@" "$dir/"
  if ! grep -qs 'required_providers' "$dir"/*.tf; then
    printf '%s' "$required_providers" >"$dir/zz_required_providers.tf"
  fi
  if ! out="$(cd "$dir" && "$tofu" validate -no-color 2>&1)"; then
    # Other providers are not available offline: such an example is only formatted.
    others="$(grep -oE 'registry\.opentofu\.org/[^/ ]+/[^/, ]+, but that provider' <<<"$out" |
      sed 's/, but that provider$//' | grep -vx 'registry.opentofu.org/blsq/openhexa' | sort -u | tr '\n' ' ' || true)"
    if [[ -n "$others" ]]; then
      echo "skip $name: needs ${others% } (not available offline)"
      return 0
    fi
    echo "FAIL $name" >&2
    echo "$out" >&2
    return 1
  fi
  echo "ok   $name"
}

failed=0
checked=0
skipped=0
echo "==> tofu validate, per example directory"
while IFS= read -r dir; do
  rel="${dir#"$repo"/}"
  shopt -s nullglob
  tf_files=("$dir"/*.tf)
  shopt -u nullglob
  if [[ ${#tf_files[@]} -eq 0 ]]; then
    continue
  fi
  object=""
  case "$rel" in
    examples/resources/*) object="resource:$(basename "$dir")" ;;
    examples/data-sources/*) object="data-source:$(basename "$dir")" ;;
    examples/ephemeral-resources/*) object="ephemeral-resource:$(basename "$dir")" ;;
    examples/functions/*) object="function:$(basename "$dir")" ;;
  esac
  if [[ -n "$object" ]] && ! grep -qxF "$object" "$work/objects.txt"; then
    echo "skip $rel: the provider has no ${object%%:*} ${object#*:} yet"
    skipped=$((skipped + 1))
    continue
  fi
  base=()
  imports=()
  for f in "${tf_files[@]}"; do
    case "$(basename "$f")" in
      import-*.tf) imports+=("$f") ;;
      *) base+=("$f") ;;
    esac
  done
  checked=$((checked + 1))
  validate_set "$rel" "${base[@]}" || failed=1
  for f in "${imports[@]}"; do
    validate_set "$rel/$(basename "$f")" "${base[@]}" "$f" || failed=1
  done
done < <(find "$repo/examples" -type d | sort)

echo "$checked example directories checked, $skipped skipped (object not in the provider)"

echo "==> actionlint examples/ci/github-actions.yml .github/workflows"
actionlint="${ACTIONLINT:-actionlint}"
if ! "$actionlint" -version >/dev/null 2>&1; then
  echo "actionlint not found: run \`make check-examples\` (it installs the pinned one)" >&2
  exit 1
fi
"$actionlint" examples/ci/github-actions.yml .github/workflows/*.yml || failed=1
echo "==> the CI files' jobs (go test ./internal/ciexamples ./internal/workflows)"
go test -count=1 ./internal/ciexamples ./internal/workflows || failed=1
if [[ $failed -ne 0 ]]; then
  echo "some examples are not valid" >&2
  exit 1
fi
