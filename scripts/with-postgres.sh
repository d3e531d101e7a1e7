#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster on loopback, exported as DATABASE_URL.
# The cluster lives in a temporary folder and is stopped and removed on exit.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL server is not installed (run scripts/system-packages.sh)." >&2
  exit 1
fi
port=${SENDCASE_TEST_PG_PORT:-54329}
dir=$(mktemp -d /tmp/sendcase-pg.XXXXXX)
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U sendcase --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U sendcase sendcase
export DATABASE_URL="postgres://sendcase@127.0.0.1:$port/sendcase"
"$@"
