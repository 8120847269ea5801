#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster started from this machine's binaries.
# The cluster lives in a temporary directory, listens on 127.0.0.1 only, and is removed
# afterwards whatever the command's outcome. TRYGG_DATABASE_URL points the command at it.
#
#   scripts/with-postgres.sh .venv/bin/pytest
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)." >&2
  exit 3
fi

port=${TRYGG_TEST_PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
dir=$(mktemp -d /tmp/trygg-pg.XXXXXX)
chmod 755 "$dir"

# initdb refuses to run as root: run the server as the postgres user then.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_owner=(runuser -u postgres --)
else
  as_owner=()
fi

cleanup() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 3; }
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 3; }

echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (throwaway)"
export TRYGG_DATABASE_URL="postgres://postgres@127.0.0.1:$port/trygg"
set +e
"$@"
status=$?
set -e
exit $status
