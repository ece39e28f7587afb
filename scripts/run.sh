#!/usr/bin/env bash
# `make run`: migrate, load the demo data once, start the huey consumer and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
$PY manage.py migrate --no-input -v 0
$PY manage.py load_holidays >/dev/null
$PY manage.py seed_demo
$PY manage.py run_huey --workers 2 >var/huey.log 2>&1 &
HUEY_PID=$!
$PY manage.py sip2_server --host 127.0.0.1 --port "${SIP2_PORT:-6001}" >var/sip2.log 2>&1 &
SIP2_PID=$!
trap 'kill $HUEY_PID $SIP2_PID 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  bkklib is running (demo data, SQLite in var/):
    public website   http://127.0.0.1:8000/
    staff back office http://127.0.0.1:8000/staff/   (demo log-ins: see docs/demo-logins.md or below)
    Django admin     http://127.0.0.1:8000/admin/
    REST API         http://127.0.0.1:8000/api/v1/   docs: http://127.0.0.1:8000/api/docs/
MSG
$PY manage.py demo_logins 2>/dev/null || true
echo "  background jobs: huey consumer (pid $HUEY_PID, log var/huey.log)"
echo "  SIP2 self-check server: 127.0.0.1:${SIP2_PORT:-6001} (demo terminal selfcheck1 / selfcheck-demo, log var/sip2.log)"
echo
$PY manage.py runserver 127.0.0.1:8000
