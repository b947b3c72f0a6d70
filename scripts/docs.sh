#!/usr/bin/env bash
# Generates the registry documentation (docs/) from the provider's schema, the
# templates under templates/ and the examples under examples/, offline.
#
#   scripts/docs.sh            regenerate docs/ in place, then validate it   (make docs)
#   scripts/docs.sh check      regenerate into a temporary copy and fail when the
#                              committed docs/ differs                       (make docs-check)
#   scripts/docs.sh schema F   write the provider's schema JSON, as OpenTofu prints it,
#                              to F (used by scripts/check-examples.sh)
#
# The schema comes from `tofu providers schema -json` run against a freshly built
# provider through a dev override (no init, no registry). OpenTofu names the provider
# registry.opentofu.org/blsq/openhexa; tfplugindocs v0.25.0 looks the schema up only
# as `<provider-name>` or `registry.terraform.io/hashicorp/<provider-name>` (see its
# internal/provider/generate.go, terraformProviderSchemaFromFile), so the key is
# renamed to the bare name `openhexa` before it reads the file.
# tfplugindocs always gets --providers-schema: without it, it would run any
# `terraform` on PATH or download one.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

mode="${1:-generate}"
tfplugindocs_version="v0.25.0"
cache_root="${OPENHEXA_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-openhexa}"
tfplugindocs="$cache_root/tfplugindocs/$tfplugindocs_version/tfplugindocs"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=scripts/offline-cli.sh
source scripts/offline-cli.sh

# provider_schema OUT: builds the provider and writes OpenTofu's schema JSON to OUT;
# it also puts the refusing `terraform` on PATH before tfplugindocs runs.
provider_schema() {
  local out="$1"
  offline_cli "$work"
  mkdir -p "$work/schema-config"
  cat >"$work/schema-config/main.tf" <<'CONFIG'
terraform {
  required_providers {
    openhexa = {
      source = "blsq/openhexa"
    }
  }
}
CONFIG
  (cd "$work/schema-config" && "$TOFU" providers schema -json) >"$out"
}

# rename_provider IN OUT: the same schema with the provider under the name
# tfplugindocs looks for.
rename_provider() {
  python3 - "$1" "$2" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src) as f:
    doc = json.load(f)
schemas = doc.get("provider_schemas", {})
key = "registry.opentofu.org/blsq/openhexa"
if key not in schemas:
    sys.exit("provider %s not in the schema (found: %s)" % (key, ", ".join(schemas) or "none"))
doc["provider_schemas"] = {"openhexa": schemas[key]}
with open(dst, "w") as f:
    json.dump(doc, f)
PY
}

install_tfplugindocs() {
  if [[ ! -x "$tfplugindocs" ]]; then
    echo "installing tfplugindocs $tfplugindocs_version into $(dirname "$tfplugindocs")" >&2
    GOBIN="$(dirname "$tfplugindocs")" go install "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@$tfplugindocs_version"
  fi
}

# render DIR: generates DIR/docs from a copy of the sources tfplugindocs reads.
render() {
  local dir="$1"
  mkdir -p "$dir"
  cp -R templates examples "$dir/"
  "$tfplugindocs" generate \
    --provider-dir "$dir" \
    --provider-name openhexa \
    --rendered-provider-name OpenHEXA \
    --providers-schema "$work/schema.json" \
    --website-temp-dir "$work/website-tmp" >"$work/generate.log" 2>&1 || {
    cat "$work/generate.log" >&2
    return 1
  }
  "$tfplugindocs" validate \
    --provider-dir "$dir" \
    --provider-name openhexa \
    --providers-schema "$work/schema.json" >"$work/validate.log" 2>&1 || {
    grep -v '\[DEBUG\]' "$work/validate.log" >&2
    return 1
  }
}

case "$mode" in
  schema)
    [[ $# -eq 2 ]] || { echo "usage: $0 schema OUT" >&2; exit 2; }
    provider_schema "$2"
    ;;
  generate | check)
    install_tfplugindocs
    provider_schema "$work/schema-opentofu.json"
    rename_provider "$work/schema-opentofu.json" "$work/schema.json"
    render "$work/out"
    if [[ "$mode" == generate ]]; then
      rm -rf "$repo/docs"
      cp -R "$work/out/docs" "$repo/docs"
      echo "docs/ regenerated ($(find docs -type f | wc -l) files) and validated"
    elif ! diff -ru "$repo/docs" "$work/out/docs" >"$work/docs.diff"; then
      cat "$work/docs.diff"
      echo "docs/ is out of date: run \`make docs\` and commit the result" >&2
      exit 1
    else
      echo "docs/ is up to date"
    fi
    ;;
  *)
    echo "usage: $0 [generate|check|schema OUT]" >&2
    exit 2
    ;;
esac
