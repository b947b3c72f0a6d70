#!/usr/bin/env bash
# The acceptance suite against a real OpenHEXA (make testacc-openhexa), or, with
# `sweep`, the deletion of what earlier runs left there (make testacc-openhexa-sweep).
#
# The instance is named by OPENHEXA_ACC_URL, OPENHEXA_ACC_WORKSPACE (a workspace the
# tokens belong to) and OPENHEXA_ACC_TOKEN_ADMIN, _EDITOR, _VIEWER (members with those
# roles); OPENHEXA_ACC_TOKEN_OUTSIDER (a user who cannot see the workspace),
# OPENHEXA_ACC_WORKSPACE_OTHER (a second workspace where the admin may create
# connections, for moves) and OPENHEXA_ACC_POSTGRES_URL (a postgres:// URL the
# OpenHEXA server can reach, for verify) are optional. For the local real instance:
#
#   eval "$(bash scripts/real-openhexa-env.sh)"
#
# (its admin is a member of alpha only: for moves, give the run two workspaces of its
# own, ../shared/real-openhexa/workspace.sh <slug> for each, and set the variables to
# them; the tokens of one act in both).
#
# Tests touch only connections whose slug starts with their run prefix tfacc-<random>-
# and delete them when they end; the sweep deletes every tfacc- connection of the
# workspace (and of the other one), nothing else. Output is `go test -v`. Tokens are never
# printed. The OpenHEXA SDK (scripts/openhexa-sdk.sh, Python 3.11 or later) is part of the leg.
set -euo pipefail
cd "$(dirname "$0")/.."

required=(OPENHEXA_ACC_URL OPENHEXA_ACC_WORKSPACE OPENHEXA_ACC_TOKEN_ADMIN OPENHEXA_ACC_TOKEN_EDITOR OPENHEXA_ACC_TOKEN_VIEWER)
missing=()
for v in "${required[@]}"; do
  [[ -n "${!v:-}" ]] || missing+=("$v")
done
if ((${#missing[@]} > 0)); then
  list="$(IFS=,; echo "${missing[*]}")"
  echo "testacc-openhexa refused: ${list//,/, } not set (the real OpenHEXA to test: URL, workspace, ADMIN/EDITOR/VIEWER" \
    "member tokens; see CONTRIBUTING.md). For the local instance: eval \"\$(bash scripts/real-openhexa-env.sh)\"" >&2
  exit 2
fi

if [[ "${1:-}" == "sweep" ]]; then
  exec env -u TF_ACC OPENHEXA_ACC_SWEEP=1 go test -count=1 -v -run '^TestAccSweepRealInstance$' ./internal/connection
fi

# The OpenHEXA SDK reads back what the leg declares (TestAccSDK*): its environment is
# made once (Python 3.11 or later, packages checked against their hashes); without
# Python the leg stops here, saying so.
if ! sdk_python="$(bash scripts/openhexa-sdk.sh | tail -n 1)"; then
  echo "testacc-openhexa refused: the OpenHEXA SDK's environment could not be made (see above); the" \
    "real-instance leg reads connections back with it." >&2
  exit 2
fi

tofu="$(bash scripts/build-tofu.sh | tail -n 1)"
# Acceptance tests only (TestAcc*), two at a time: the real server is slow.
exec env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tofu" CHECKPOINT_DISABLE=1 OPENHEXA_ACC_SDK_PYTHON="$sdk_python" \
  go test -count=1 -v -timeout 90m -parallel 2 -run '^TestAcc' ./internal/connection
