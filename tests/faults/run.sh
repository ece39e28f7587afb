#!/usr/bin/env bash
# The fault leg of `make test` (docs/admin/faults.md): tests/faults on a PRIVATE PostgreSQL cluster
# (port 54339 under /tmp) that the scenarios stop and restart. Never points at a shared server.
# Without root or Debian's postgresql the scenarios that need the cluster are skipped with a reason.
set -uo pipefail
cd "$(dirname "$0")/../.."
DIR=/tmp/bkklib-faults-pg
PORT=54339
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bin)" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
B=$(bin)
stop() { su postgres -s /bin/sh -c "$B/pg_ctl -D $DIR/data -m immediate stop >/dev/null 2>&1"; rm -rf "$DIR"; }
if [ "$(id -u)" = "0" ] && [ -n "$B" ] && id postgres >/dev/null 2>&1; then
  [ -d "$DIR/data" ] && stop
  mkdir -p "$DIR" && chown postgres "$DIR"
  su postgres -s /bin/sh -c "$B/initdb -D $DIR/data -U postgres -A trust >/dev/null" || exit 1
  su postgres -s /bin/sh -c "$B/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off' -l $DIR/log -w start >/dev/null" || exit 1
  trap stop EXIT
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/bkklib" BKKLIB_FAULTS_PG="$B:$DIR/data"
  # In `make test`: a copy of the run's migrated test template (scripts/test_templates.py, on the shared server)
  # instead of migrating here from scratch; pg_dump of a schema with its reference data takes seconds.
  if [ -n "${BKKLIB_FAULTS_TEMPLATE_FROM:-}" ] && command -v pg_dump >/dev/null &&
     "$B/createdb" -h 127.0.0.1 -p $PORT -U postgres bkklib_test_template 2>/dev/null &&
     pg_dump --no-owner --no-privileges "$BKKLIB_FAULTS_TEMPLATE_FROM" 2>/dev/null |
       "$B/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PORT -U postgres -d bkklib_test_template >/dev/null 2>&1; then
    export BKKLIB_TEST_TEMPLATE_PG=bkklib_test_template
  fi
else
  echo "fault scenarios: not root or no Debian postgresql here, the PostgreSQL scenarios will be skipped"
  unset DATABASE_URL BKKLIB_FAULTS_PG
fi
mkdir -p var/test-results
.venv/bin/python -m pytest -q -m faults -p no:randomly --junitxml=var/test-results/faults.xml tests/faults "$@"
