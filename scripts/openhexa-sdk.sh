#!/usr/bin/env bash
# The OpenHEXA Python SDK of the real-instance leg (make testacc-openhexa), which reads
# back what the leg declares: a virtual environment holding exactly the packages of
# scripts/openhexa-sdk/requirements.txt, each checked against its hashes
# (pip install --require-hashes), made once per requirements file and cached under the
# tools cache. Prints the environment's python as the last line.
#
# Needs Python 3.11 to 3.14, the SDK's own range: the first of $OPENHEXA_SDK_PYTHON,
# python3.14 … python3.11, python3 that is one. Without one it says so and fails. The
# test-server suite (make test) never runs this.
#
#   bash scripts/openhexa-sdk.sh          # the environment's python, made if missing
#   bash scripts/openhexa-sdk.sh compile  # requirements.txt again from requirements.in
set -euo pipefail
cd "$(dirname "$0")/.."
dir=scripts/openhexa-sdk
cache="${TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-openhexa}/openhexa-sdk"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

supported='import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 15) else 1)'
python=""
for candidate in ${OPENHEXA_SDK_PYTHON:-} python3.14 python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "$supported" 2>/dev/null; then
    python="$(command -v "$candidate")"
    break
  fi
done
if [[ -z "$python" ]]; then
  echo "openhexa-sdk.sh: no Python 3.11 to 3.14 found (tried \$OPENHEXA_SDK_PYTHON, python3.14 … python3.11," \
    "python3): the real-instance leg reads connections back with the OpenHEXA SDK, which needs one. Install" \
    "Python 3.11 or later, or point OPENHEXA_SDK_PYTHON at it." >&2
  exit 2
fi

if [[ "${1:-}" == "compile" ]]; then
  tools="$(mktemp -d)"
  trap 'rm -rf "$tools"' EXIT
  "$python" -m venv "$tools/venv" >&2
  "$tools/venv/bin/pip" install --quiet pip-tools==7.7.0 >&2
  "$tools/venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links \
    --no-emit-index-url --no-header -o "$dir/requirements.txt" "$dir/requirements.in" >&2
  echo "$dir/requirements.txt"
  exit 0
fi

# One environment per requirements file and Python version: a change of either makes a new one.
key="$( (cat "$dir/requirements.txt"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)"
venv="$cache/$key"
if [[ ! -x "$venv/bin/python" ]]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.new-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "openhexa-sdk.sh: making the SDK's environment with $("$python" --version) in $venv (once)" >&2
  "$python" -m venv "$tmp" >&2
  # pip refuses a package whose hash differs, and, with --require-hashes, any dependency
  # the file does not pin.
  "$tmp/bin/python" -m pip install --quiet --require-hashes -r "$dir/requirements.txt" >&2
  "$tmp/bin/python" -m pip check >&2
  # Only bin/python is used, which still works once moved; another run may have won.
  mv -T "$tmp" "$venv" 2>/dev/null || true
fi
echo "$venv/bin/python"
