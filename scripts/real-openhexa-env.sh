#!/usr/bin/env bash
# Prints `export OPENHEXA_ACC_...=` lines that point the acceptance tests
# (make testacc-openhexa) at the real OpenHEXA run by
# ../shared/real-openhexa (workspace alpha), read from its tokens.json:
#
#   eval "$(bash scripts/real-openhexa-env.sh)"
#
# When the real instance's settings file (../shared/real-openhexa/env.sh, or
# REAL_OPENHEXA_DIR/env.sh) is found, it also prints OPENHEXA_ACC_POSTGRES_URL: the
# instance's own PostgreSQL cluster on loopback, which the server can reach (verify).
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
here="$(cd "$(dirname "$0")/.." && pwd)"
settings=""
for dir in "${REAL_OPENHEXA_DIR:-}" "$here/../shared/real-openhexa" "$here/../../shared/real-openhexa"; do
  if [[ -n "$dir" && -r "$dir/env.sh" ]]; then
    settings="$dir/env.sh"
    break
  fi
done
python3 - "$tokens" "$settings" <<'PY'
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
if len(sys.argv) > 2 and sys.argv[2]:
    import re
    with open(sys.argv[2]) as f:
        text = f.read()
    found = dict(re.findall(r"\b(DATABASE_(?:HOST|USER|PASSWORD|NAME))=([^\s$]+)", text))
    port = re.search(r"DATABASE_PORT=\$\{PGPORT:-(\d+)\}", text)
    if port and all(k in found for k in ("DATABASE_HOST", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_NAME")):
        from urllib.parse import quote
        url = "postgres://%s:%s@%s:%s/%s" % (quote(found["DATABASE_USER"], safe=""), quote(found["DATABASE_PASSWORD"], safe=""),
                                            found["DATABASE_HOST"], port.group(1), quote(found["DATABASE_NAME"], safe=""))
        print("export OPENHEXA_ACC_POSTGRES_URL=%s" % shlex.quote(url))
for key, var, _ in wanted:
    if t.get(key):
        print("export %s=%s" % (var, shlex.quote(t[key])))
PY
