#!/usr/bin/env bash
# `make test`: lint, import contracts, migrations check, the suite on SQLite, again on PostgreSQL, the two-node
# deployment run (tests/deploy), then the browser tests once. Prints each leg's counts and a final "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
RESULTS=var/test-results
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.xml
WORKERS=${PYTEST_WORKERS:-2}
failed_steps=()

run_step() {  # name, command...
  local name=$1; shift
  echo
  echo "== $name"
  "$@"
  local rc=$?
  # pytest's 5 means "no test collected" (e.g. a marker with no tests yet): not a failure.
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then failed_steps+=("$name"); fi
}

# Migrated template databases (scripts/test_templates.py), built in the background while the lint
# steps run; each pytest worker then copies one instead of running every migration itself.
PG_URL=${BKKLIB_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/bkklib}
SQLITE_TEMPLATE="$PWD/var/test-template.sqlite3"
PG_TEMPLATE_URL="${PG_URL%/*}/bkklib_test_template"
mkdir -p var
$PY scripts/test_templates.py sqlite "$SQLITE_TEMPLATE" > var/test-template-sqlite.log 2>&1 &
sqlite_template_pid=$!
pg_template_pid=""
if $PY scripts/pg_ready.py "$PG_URL" 2>/dev/null; then
  $PY scripts/test_templates.py postgres "$PG_TEMPLATE_URL" > var/test-template-pg.log 2>&1 &
  pg_template_pid=$!
fi

run_step "lint: ruff" .venv/bin/ruff check .
run_step "lint: import-linter (apps depend downward only)" .venv/bin/lint-imports
run_step "dependency audit (pip-audit; explained findings: docs/admin/security.md)" $PY scripts/dependency_audit.py
run_step "migrations are complete (makemigrations --check)" \
  env -u DATABASE_URL DEBUG=1 BKKLIB_VAR_DIR="$PWD/var/check" $PY manage.py makemigrations --check --dry-run

# --- SQLite ---------------------------------------------------------------------------------
if wait "$sqlite_template_pid"; then
  export BKKLIB_TEST_TEMPLATE_SQLITE="$SQLITE_TEMPLATE"
else
  echo "== the SQLite template database failed to build (var/test-template-sqlite.log); workers migrate"
  cat var/test-template-sqlite.log
fi
run_step "pytest on SQLite" env -u DATABASE_URL $PY -m pytest -q -m "not browser and not faults" -n "$WORKERS" \
  -p no:randomly --junitxml="$RESULTS/sqlite.xml" "$@"

# --- PostgreSQL -----------------------------------------------------------------------------
pg_cleanup=""
if [ -n "$pg_template_pid" ]; then
  if wait "$pg_template_pid"; then
    export BKKLIB_TEST_TEMPLATE_PG="bkklib_test_template"
  else
    echo "== the PostgreSQL template database failed to build (var/test-template-pg.log); workers migrate"
    cat var/test-template-pg.log
  fi
fi
if ! $PY scripts/pg_ready.py "$PG_URL"; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "== no PostgreSQL answers at $PG_URL: starting a throw-away cluster for this run"
    if PG_URL=$(bash scripts/throwaway-postgres.sh start); then
      pg_cleanup="bash scripts/throwaway-postgres.sh stop"
    else
      PG_URL=""
    fi
  else
    PG_URL=""
  fi
fi
if [ -n "$PG_URL" ]; then
  # Only the tests that use the database: the others ran on the SQLite leg (conftest.py).
  run_step "pytest on PostgreSQL" env DATABASE_URL="$PG_URL" BKKLIB_DATABASE_TESTS_ONLY=1 $PY -m pytest -q -m "not browser and not faults" -n "$WORKERS" \
    --junitxml="$RESULTS/postgres.xml" "$@"
  # The production profile once: two gunicorn nodes and a huey worker behind nginx on PostgreSQL + Redis db 5.
  run_step "deploy: two web nodes + worker behind nginx (PostgreSQL, Redis)" env -u DATABASE_URL \
    BKKLIB_DEPLOY_POSTGRES_URL="$PG_URL" $PY -m pytest -q -m deploy tests/deploy --junitxml="$RESULTS/deploy.xml"
else
  echo
  echo "== pytest on PostgreSQL: DID NOT RUN (no PostgreSQL server, and cannot install one here)"
  if [ "${CI:-}" = "true" ]; then failed_steps+=("PostgreSQL leg missing (mandatory in CI)"); fi
fi
[ -n "$pg_cleanup" ] && $pg_cleanup

# --- Fault scenarios (tests/faults, docs/admin/faults.md): on a private cluster they restart ------
# The private cluster has no template of its own: run.sh copies the shared server's (pg_dump) when there is one.
faults_template=""
[ -n "${BKKLIB_TEST_TEMPLATE_PG:-}" ] && [ -n "$PG_URL" ] && faults_template="${PG_URL%/*}/$BKKLIB_TEST_TEMPLATE_PG"
run_step "fault scenarios (own PostgreSQL cluster)" env -u BKKLIB_TEST_TEMPLATE_PG -u BKKLIB_TEST_TEMPLATE_SQLITE \
  BKKLIB_FAULTS_TEMPLATE_FROM="$faults_template" bash tests/faults/run.sh

# --- Browser (once, not per database) ---------------------------------------------------------
# Two workers, each with its own live server, chromium and database: the tests wait on the browser as
# much as on the CPU.
run_step "browser tests (Playwright + Debian chromium)" env -u DATABASE_URL $PY -m pytest -q -m browser \
  -n "$WORKERS" --junitxml="$RESULTS/browser.xml" "$@"

echo
$PY scripts/test_summary.py "$RESULTS"
summary_rc=$?
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  exit 1
fi
exit $summary_rc
