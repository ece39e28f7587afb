#!/usr/bin/env bash
# Create .venv and install bkklib with its development tools; redo it when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=".venv/.installed-$(cat pyproject.toml scripts/system-deps.sh | sha1sum | cut -c1-12)"
[ -f "$stamp" ] && exit 0
bash scripts/system-deps.sh
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
rm -f .venv/.installed-*
touch "$stamp"
