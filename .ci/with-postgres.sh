#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server: installed from Debian's package where
# missing, started as the postgres user on a free port, and removed on exit, even on failure.
# The command sees TRIBEWISE_TEST_DATABASE_URL.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing postgresql from Debian's packages" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed and this user cannot install it: run 'apt-get install postgresql' as root" >&2
    exit 1
  fi
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d /tmp/tribewise-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )

stop() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_pg "$bin/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --no-locale >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300" start >/dev/null
echo "throwaway PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

export TRIBEWISE_TEST_DATABASE_URL="postgresql+psycopg://$user@127.0.0.1:$port/postgres"
"$@"
