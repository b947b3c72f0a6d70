#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback, for the tests that
# check credentials for real (verify = true). It exports OPENHEXA_TEST_PG_HOST, _PORT,
# _DB, _USER and _PASSWORD. When no server can be started, the command still runs and
# those tests skip — unless OPENHEXA_REQUIRE_POSTGRES=1 (CI), which makes it an error.
set -euo pipefail

fail_or_skip() {
  local reason="$1"
  shift
  if [[ "${OPENHEXA_REQUIRE_POSTGRES:-}" == "1" ]]; then
    echo "with-postgres: $reason" >&2
    exit 1
  fi
  echo "with-postgres: $reason; the real-PostgreSQL tests will skip" >&2
  exec "$@"
}

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
  done
  return 1
}

bin_dir="$(find_bin || true)"
if [[ -z "$bin_dir" && "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
  echo "with-postgres: installing Debian's postgresql package" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 || true
  bin_dir="$(find_bin || true)"
fi
if [[ -z "$bin_dir" ]]; then
  fail_or_skip "no PostgreSQL server binaries found" "$@"
fi

data_dir="$(mktemp -d)"
run_as=()
if [[ "$(id -u)" == "0" ]]; then
  # PostgreSQL refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$data_dir"
  run_as=(runuser -u postgres --)
fi
port="${OPENHEXA_TEST_PG_PORT:-$((40000 + RANDOM % 20000))}"
password="verify-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
pwfile="$data_dir/pw"
echo "$password" >"$pwfile"
chmod 600 "$pwfile"
[[ ${#run_as[@]} -gt 0 ]] && chown postgres "$pwfile"

cleanup() {
  "${run_as[@]}" "$bin_dir/pg_ctl" -D "$data_dir/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

"${run_as[@]}" "$bin_dir/initdb" -D "$data_dir/db" -U openhexa --auth=scram-sha-256 --pwfile="$pwfile" >/dev/null
"${run_as[@]}" "$bin_dir/pg_ctl" -D "$data_dir/db" -l "$data_dir/log" -w \
  -o "-h 127.0.0.1 -p $port -k $data_dir" start >/dev/null

export OPENHEXA_TEST_PG_HOST=127.0.0.1 OPENHEXA_TEST_PG_PORT="$port" OPENHEXA_TEST_PG_DB=postgres
export OPENHEXA_TEST_PG_USER=openhexa OPENHEXA_TEST_PG_PASSWORD="$password"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port" >&2
"$@"
