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

run_step "lint: ruff" .venv/bin/ruff check .
run_step "lint: import-linter (apps depend downward only)" .venv/bin/lint-imports
run_step "dependency audit (pip-audit; explained findings: docs/admin/security.md)" $PY scripts/dependency_audit.py
run_step "migrations are complete (makemigrations --check)" \
  env -u DATABASE_URL DEBUG=1 BKKLIB_VAR_DIR="$PWD/var/check" $PY manage.py makemigrations --check --dry-run

# --- SQLite ---------------------------------------------------------------------------------
run_step "pytest on SQLite" env -u DATABASE_URL $PY -m pytest -q -m "not browser and not faults" -n "$WORKERS" \
  -p no:randomly --junitxml="$RESULTS/sqlite.xml" "$@"

# --- PostgreSQL -----------------------------------------------------------------------------
PG_URL=${BKKLIB_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/bkklib}
pg_cleanup=""
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
  run_step "pytest on PostgreSQL" env DATABASE_URL="$PG_URL" $PY -m pytest -q -m "not browser and not faults" -n "$WORKERS" \
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
run_step "fault scenarios (own PostgreSQL cluster)" bash tests/faults/run.sh

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
