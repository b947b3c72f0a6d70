#!/usr/bin/env bash
# `make demo`: builds the provider, starts the OpenHEXA test server on loopback, and
# runs `tofu apply` on examples/demo through a dev override (no registry), then
# shows the result and cleans everything up.
#
# The CLI: a `tofu` found on PATH when it is OpenTofu 1.11 or later (the provider's
# schema has write-only attributes), else the pinned OpenTofu, built once from the
# Go module proxy (minutes). Only the demo does this; tests, docs and
# check-examples always use the pinned one.
set -euo pipefail
cd "$(dirname "$0")/.."

# tofu_version CLI prints the CLI's version (1.12.6, 1.12.6-dev, …), nothing when unknown.
tofu_version() {
  "$1" version -json 2>/dev/null |
    sed -n 's/.*"terraform_version": *"\([0-9][0-9]*\.[0-9][0-9]*\.[^"]*\)".*/\1/p' || true
}

# path_tofu prints the path of a `tofu` on PATH that is OpenTofu 1.11+, and says on
# stderr why one on PATH is not used.
path_tofu() {
  local found version major minor
  found="$(command -v tofu 2>/dev/null)" || return 1
  version="$(tofu_version "$found")"
  IFS=. read -r major minor _ <<<"$version"
  if [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] && ((major > 1 || (major == 1 && minor >= 11))); then
    echo "$found"
    return 0
  fi
  echo "==> $found is OpenTofu ${version:-of an unknown version}; the demo needs 1.11 or later" >&2
  return 1
}

# shellcheck source=scripts/offline-cli.sh
source scripts/offline-cli.sh
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if tofu="$(path_tofu)"; then
  echo "==> OpenTofu from PATH: $tofu"
else
  echo "==> no OpenTofu 1.11+ on PATH: using the pinned OpenTofu (built once per machine, a few minutes)"
  tofu=""
fi
echo "==> building the provider and the test server"
offline_cli "$work" "$tofu"
tofu="$TOFU"
echo "==> OpenTofu $(tofu_version "$tofu"): $tofu"
go build -o "$work/openhexa-test-server" ./internal/openhexatest/cmd/openhexa-test-server

port="${DEMO_PORT:-18765}"
"$work/openhexa-test-server" -addr "127.0.0.1:$port" -seed empty >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do
  grep -q "OpenHEXA test server:" "$work/server.log" 2>/dev/null && break
  sleep 0.1
done
echo "==> test server"
cat "$work/server.log"

mkdir -p "$work/config"
cp examples/demo/main.tf "$work/config/"

export TF_VAR_url="http://127.0.0.1:$port" TF_VAR_token="ohx-editor-token"
cd "$work/config"
echo "==> tofu apply (dev override: no init, no registry)"
"$tofu" apply -auto-approve -no-color
echo "==> tofu output"
"$tofu" output -no-color
echo "==> tofu state list"
"$tofu" state list
echo "==> tofu destroy"
"$tofu" destroy -auto-approve -no-color | tail -n 3
echo "==> demo done"
