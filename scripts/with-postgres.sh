#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server: a fresh cluster in a temporary folder, reached
# through a Unix socket there, trust authentication for its one role `argus`, and a database `argus`.
# The command gets ARGUS_TEST_POSTGRES=postgres://argus@<socket folder>/argus; the server and its
# folder are removed when it ends, whatever its outcome. For the TLS test the server also listens on
# a free port of 127.0.0.1 with TLS on (a certificate for `localhost` signed by a throw-away
# authority): ARGUS_TEST_POSTGRES_TLS=postgres://argus@localhost:PORT/argus and
# ARGUS_TEST_POSTGRES_CA=<the authority's certificate>.
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
# Others may pass through the folder to the socket (a test runs the CLI as an unprivileged user) but
# not list it; the cluster's data folder stays the server's own (initdb makes it 0700).
chmod 711 "$dir"
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
# A certificate authority and the server's certificate (for localhost and 127.0.0.1).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=argus test authority" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$dir/data/server.key" -out "$dir/server.csr" >/dev/null 2>&1
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/san.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 2 -extfile "$dir/san.ext" -out "$dir/data/server.crt" >/dev/null 2>&1
chmod 600 "$dir/data/server.key" "$dir/ca.key"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir/data/server.key" "$dir/data/server.crt"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# fsync off: a test server's data need not survive a power cut. Connections: the tests run in
# parallel, each catalogue with its own connection(s).
"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c ssl=on -c fsync=off -c synchronous_commit=off -c max_connections=400" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as[@]}" "$bindir/createdb" -h "$dir" -p "$port" -U argus argus

export ARGUS_TEST_POSTGRES="postgres://argus@${dir//\//%2F}:$port/argus"
export ARGUS_TEST_POSTGRES_TLS="postgres://argus@localhost:$port/argus"
export ARGUS_TEST_POSTGRES_CA="$dir/ca.crt"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $dir" >&2
"$@"
