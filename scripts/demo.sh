#!/usr/bin/env bash
# `make demo`: builds the provider, starts the OpenHEXA test server on loopback, and
# runs `tofu apply` on examples/demo through a dev override (no registry), then
# lists the state and cleans everything up.
#
# The CLI: a `tofu` found on PATH when it is OpenTofu 1.11 or later (the provider's
# schema has write-only attributes), else the pinned OpenTofu, built once from the
# Go module proxy (minutes). Only the demo does this; tests, docs and
# check-examples always use the pinned one.
#
# Builds run quietly: their output (hundreds of "go: downloading" lines on a first run)
# goes to a log, shown only when a build fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# tofu_version CLI prints the CLI's version (1.12.6, 1.11.0-beta1, …), nothing when unknown.
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

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# quietly LOG COMMAND...: runs COMMAND with its output in LOG; says how many Go modules
# it downloaded, and on failure shows the log and stops the demo.
quietly() {
  local log="$1" downloaded
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "==> failed: $*" >&2
    exit 1
  fi
  downloaded="$(grep -c '^go: downloading ' "$log" || true)"
  if ((downloaded > 0)); then
    echo "    ($downloaded Go modules downloaded into the module cache, once)"
  fi
}

if tofu="$(path_tofu)"; then
  echo "==> OpenTofu from PATH: $tofu"
else
  echo "==> no OpenTofu 1.11+ on PATH: the pinned OpenTofu (built from source on the first run, a few minutes)"
  quietly "$work/tofu-build.log" bash scripts/build-tofu.sh
  tofu="$(tail -n 1 "$work/tofu-build.log")"
fi
echo "==> OpenTofu $(tofu_version "$tofu"): $tofu"

echo "==> building the provider and the test server"
mkdir -p "$work/bin"
quietly "$work/build.log" go build -o "$work/bin/" . ./internal/openhexatest/cmd/openhexa-test-server
# shellcheck source=scripts/offline-cli.sh
source scripts/offline-cli.sh
offline_cli "$work" "$tofu"
tofu="$TOFU"

port="${DEMO_PORT:-18765}"
"$work/bin/openhexa-test-server" -addr "127.0.0.1:$port" -seed empty >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do
  grep -q "OpenHEXA test server:" "$work/server.log" 2>/dev/null && break
  sleep 0.1
done
echo "==> the OpenHEXA test server, on loopback, stopped at the end"
cat "$work/server.log"

mkdir -p "$work/config"
cp examples/demo/main.tf "$work/config/"

export TF_VAR_url="http://127.0.0.1:$port" TF_VAR_token="ohx-editor-token"
cd "$work/config"
echo "==> tofu apply of examples/demo as the editor; the provider comes from this tree through a"
echo "    dev override (no init, no registry), which OpenTofu warns about"
"$tofu" apply -auto-approve -no-color
echo "==> tofu state list"
"$tofu" state list
echo "==> tofu destroy"
"$tofu" destroy -auto-approve -no-color | tail -n 3
echo "==> demo done: the test server is stopped, nothing is left behind"
