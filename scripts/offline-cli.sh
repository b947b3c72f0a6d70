# Sourced by the scripts that run the pinned OpenTofu against the provider built from
# this tree: scripts/demo.sh, scripts/docs.sh, scripts/check-examples.sh.
#
# offline_cli WORK [CLI]
#   puts a `terraform` that refuses to run first on PATH (nothing started from here
#   may pick up a machine's Terraform or download one), builds the provider into
#   WORK/plugins, writes WORK/cli.tfrc with only a dev override and an empty
#   filesystem mirror (no registry, no checkpoint), and exports TF_CLI_CONFIG_FILE,
#   CHECKPOINT_DISABLE, TF_IN_AUTOMATION and TOFU: CLI when given (only the demo
#   passes one), else the pinned OpenTofu, built once by scripts/build-tofu.sh.
offline_cli() {
  local work="$1" cli="${2:-}"
  mkdir -p "$work/guard" "$work/plugins" "$work/empty-mirror"
  printf '#!/bin/sh\necho "refusing to run terraform: this project uses its own pinned OpenTofu" >&2\nexit 1\n' \
    >"$work/guard/terraform"
  chmod +x "$work/guard/terraform"
  export PATH="$work/guard:$PATH" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
  if [[ -n "$cli" ]]; then
    TOFU="$cli"
  else
    TOFU="$(bash scripts/build-tofu.sh | tail -n 1)"
  fi
  export TOFU
  go build -o "$work/plugins/terraform-provider-openhexa" .
  cat >"$work/cli.tfrc" <<CONFIG
disable_checkpoint = true
provider_installation {
  dev_overrides {
    "registry.opentofu.org/blsq/openhexa" = "$work/plugins"
  }
  filesystem_mirror {
    path = "$work/empty-mirror"
  }
}
CONFIG
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
}
