#!/usr/bin/env bash
# `make bench`: times apply / plan -refresh=false / plan for N connections of mixed
# types against the OpenHEXA test server (50 ms latency), with the pinned OpenTofu
# through a dev override (no registry), and N terraform_data resources as the CLI's
# floor. See internal/benchmark. Extra arguments go to the benchmark, for example
# `bash scripts/bench.sh -n 100 -latency 10ms`.
set -euo pipefail
cd "$(dirname "$0")/.."

tofu="$(bash scripts/build-tofu.sh | tail -n 1)"
export CHECKPOINT_DISABLE=1
exec go run ./internal/benchmark -tofu "$tofu" "$@"
