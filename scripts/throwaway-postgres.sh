#!/usr/bin/env bash
# Start (or stop) a private PostgreSQL cluster for one test run, on port 54329 under /tmp.
# Installs Debian's postgresql package first when it is missing (as root). Prints the URL on start.
set -euo pipefail
DIR=/tmp/bkklib-test-pg
PORT=54329
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
case "${1:-}" in
  start)
    if [ -z "$(bin)" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    fi
    B=$(bin)
    rm -rf "$DIR"; mkdir -p "$DIR"; chown postgres "$DIR"
    su postgres -s /bin/sh -c "$B/initdb -D $DIR/data -U postgres -A trust >/dev/null"
    su postgres -s /bin/sh -c "$B/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off' -l $DIR/log -w start >/dev/null"
    echo "postgres://postgres@127.0.0.1:$PORT/bkklib"
    ;;
  stop)
    B=$(bin)
    [ -d "$DIR/data" ] && su postgres -s /bin/sh -c "$B/pg_ctl -D $DIR/data -m fast stop >/dev/null" || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
