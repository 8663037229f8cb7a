#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store tests: `start` creates a fresh data folder, starts the server on a
# loopback port with password (SCRAM) authentication, creates the user `validationlab` (allowed to create the
# per-test databases) and prints the line to eval:
#   export VALIDATIONLAB_TEST_POSTGRES='Host=127.0.0.1;Port=54329;Username=validationlab;Password=...;Database=validationlab'
# `stop` stops it and removes the folder. Runs as root (the server itself runs as the `postgres` user) or as any user
# allowed to run initdb. Usage: eval "$(bash .ci/postgres.sh start)"; ...; bash .ci/postgres.sh stop
set -euo pipefail

port="${VALIDATIONLAB_PG_PORT:-54329}"
dir="${VALIDATIONLAB_PG_DIR:-${TMPDIR:-/tmp}/validationlab-postgres-$port}"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

# The server refuses to run as root: run its programs as `postgres` when we are root.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

start() {
  stop
  mkdir -p "$dir"
  local password
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
  chmod 700 "$dir"
  as_server "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  PGPASSWORD="$password" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE validationlab LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE validationlab OWNER validationlab" >/dev/null
  echo "export VALIDATIONLAB_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=validationlab;Password=$password;Database=validationlab'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
