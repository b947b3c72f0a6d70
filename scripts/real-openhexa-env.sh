#!/usr/bin/env bash
# Prints `export OPENHEXA_ACC_...=` lines that point the acceptance tests which accept
# a real instance (TestAccIntegrity*) at the real OpenHEXA run by
# ../shared/real-openhexa (workspace alpha), read from its tokens.json:
#
#   eval "$(bash scripts/real-openhexa-env.sh)"
#
# The tokens go to standard output only, as the export lines; nothing else is printed
# or written. Never called by `make test`. Another file: REAL_OPENHEXA_TOKENS=path.
set -euo pipefail

tokens="${REAL_OPENHEXA_TOKENS:-${OPENHEXA_REAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openhexa-real}/real-openhexa/tokens.json}"
if [[ ! -r "$tokens" ]]; then
  echo "no $tokens: run ../shared/real-openhexa/setup.sh first" >&2
  exit 1
fi

# key in tokens.json -> variable; the outsider is ADMIN of beta only (optional).
python3 - "$tokens" <<'PY'
import json, shlex, sys
with open(sys.argv[1]) as f:
    t = json.load(f)
wanted = [("url", "OPENHEXA_ACC_URL", True), ("admin", "OPENHEXA_ACC_TOKEN_ADMIN", True),
          ("editor", "OPENHEXA_ACC_TOKEN_EDITOR", True), ("viewer", "OPENHEXA_ACC_TOKEN_VIEWER", True),
          ("outsider", "OPENHEXA_ACC_TOKEN_OUTSIDER", False)]
missing = [k for k, _, required in wanted if required and not t.get(k)]
if missing:
    sys.stderr.write("tokens.json lacks: %s\n" % ", ".join(missing))
    sys.exit(1)
print("export OPENHEXA_ACC_WORKSPACE=alpha")
for key, var, _ in wanted:
    if t.get(key):
        print("export %s=%s" % (var, shlex.quote(t[key])))
PY
