#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (issue 16): Debian's package,
# installed when missing, a new cluster in a temporary directory, listening
# on 127.0.0.1 only, with fsync on. `start` prints its URL; `stop` stops it
# and removes the cluster.
#
# Usage: bash scripts/postgres.sh start|stop [DIR] [PORT]
set -euo pipefail
action=${1:-start}
dir=${2:-/tmp/boardroom-postgres}
port=${3:-54329}

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_owner() {
  # initdb and the server refuse to run as root: use the package's user.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [ -z "$(bindir)" ]; then
      if [ "$(id -u)" = 0 ]; then
        apt-get install -y -q postgresql > /dev/null
      else
        sudo apt-get install -y -q postgresql > /dev/null
      fi
    fi
    bin=$(bindir)
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres > "$dir/initdb.log"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" start > /dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(bindir)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: bash scripts/postgres.sh start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
