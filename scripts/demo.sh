#!/usr/bin/env bash
# `make demo`: builds the provider, starts the OpenHEXA test server on loopback, and
# runs `tofu apply` on examples/demo through a dev override (no registry), then
# shows the result and cleans everything up.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/offline-cli.sh
source scripts/offline-cli.sh
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> building the provider and the test server"
offline_cli "$work"
tofu="$TOFU"
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
