#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server: a fresh cluster in a temporary folder, reached
# only through a Unix socket there (no TCP port), trust authentication for its one role `argus`, and a
# database `argus`. The command gets ARGUS_TEST_POSTGRES=postgres://argus@<socket folder>/argus; the
# server and its folder are removed when it ends, whatever its outcome.
#
#   scripts/with-postgres.sh cargo test …
#
# PostgreSQL comes from Debian's packages (scripts/setup.sh test installs them). initdb refuses to run
# as root, so as root the server runs as the `postgres` user the package creates.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: PostgreSQL is not installed; run: scripts/setup.sh test" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/argus-pg.XXXXXX")
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as[@]}" "$bindir/initdb" -D "$dir/data" -U argus --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: a test server's data need not survive a power cut. Connections: the tests run in
# parallel, each catalogue with its own connection(s).
"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=400" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as[@]}" "$bindir/createdb" -h "$dir" -U argus argus

export ARGUS_TEST_POSTGRES="postgres://argus@${dir//\//%2F}/argus"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $dir" >&2
"$@"
