"""Runtime dependencies are what the product uses: each is imported by bkklib's own code (tests and
migrations aside) or used by name, and everything bkklib imports is a runtime dependency. Tools
for tests and benchmarks only (nlpo3, the newmm segmenter bench/thai_segmenters.py compares with
ICU) are dev dependencies."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Runtime dependencies the code never imports by module name, and why they are needed.
USED_BY_NAME = {
    "psycopg": "Django's PostgreSQL backend (DATABASE_URL postgres://)",
    "redis": "huey's RedisHuey when REDIS_URL is set",
    "gunicorn": "the production WSGI server",
    "drf-spectacular-sidecar": "an INSTALLED_APPS entry (Swagger UI and Redoc files)",
    "pillow": "Django's ImageField validates uploads with it",
    "whitenoise": "INSTALLED_APPS and MIDDLEWARE entries (static files without a CDN)",
    "django-htmx": "INSTALLED_APPS and MIDDLEWARE entries",
    "django-csp": "a MIDDLEWARE entry (the Content-Security-Policy header)",
}
# Declared for work not written yet: nothing imports it today (remove it, or use it).
NOT_YET_USED = {"openpyxl": "spreadsheet exports"}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def dependencies() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    return {_name(r) for r in project["dependencies"]}, dev


def product_imports() -> set[str]:
    """Return the top-level names of the modules bkklib's product code imports (tests, migrations aside)."""
    names = set()
    for path in (ROOT / "bkklib").rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return names - {"bkklib"} - set(sys.stdlib_module_names)


def test_runtime_dependencies_are_the_ones_the_product_uses():
    runtime, dev = dependencies()
    by_module = packages_distributions()
    imported = {dist.lower().replace("_", "-") for name in product_imports() for dist in by_module.get(name, [name])}
    assert imported - runtime == set(), "imported by bkklib but not a runtime dependency"
    assert runtime - imported - set(USED_BY_NAME) - set(NOT_YET_USED) == set(), "runtime dependencies bkklib does not use"
    assert "nlpo3" in dev and "nlpo3" not in runtime
