"""The production profile passes `manage.py check --deploy` and sends the security headers (issue 30).

One child process with the production environment (DEBUG off, SECRET_KEY, ALLOWED_HOSTS,
BKKLIB_HTTPS=1, one trusted proxy) runs the `check --deploy --fail-level WARNING` command and
then asks for the staff log-in page through Django's test client: the test process itself runs
with the test settings. No database is involved (the page of a visitor reads no table), so it
runs on the SQLite leg only.
"""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                reason="no database involved: runs once, on the SQLite leg")

PROBE = r"""
import io, json, django
django.setup()
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
out = io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    check = {"ok": True, "output": out.getvalue()}
except SystemCheckError as exc:
    check = {"ok": False, "output": str(exc)}
client = Client(HTTP_HOST="library.bangkok.example", HTTP_X_FORWARDED_PROTO="https",
                HTTP_X_FORWARDED_FOR="203.0.113.9")
page = client.get("/staff/login/")
plain = Client(HTTP_HOST="library.bangkok.example").get("/staff/login/")
print(json.dumps({
    "check": check, "status": page.status_code, "headers": dict(page.headers),
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location", ""),
    "cookies": {name: {k: str(v) for k, v in morsel.items()} for name, morsel in page.cookies.items()},
}))
"""


def production_env(tmp_path, **extra) -> dict:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' conftest when collected with these tests.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="library.bangkok.example",
               BKKLIB_HTTPS="1", BKKLIB_TRUSTED_PROXIES="1", BKKLIB_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="bkklib.settings", BKKLIB_TESTING="0",
               # The production profile: PostgreSQL and Redis (docs/admin/deploy.md). The check connects to
               # neither; local memory or SQLite there is an error or a warning of its own (core/health.py).
               DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", REDIS_URL="redis://127.0.0.1:6379/15")
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=production_env(tmp_path),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_in_the_production_profile(production):
    assert production["check"]["ok"], production["check"]["output"]
    assert "System check identified no issues (0 silenced)" in production["check"]["output"]


def test_production_pages_send_hsts_csp_and_the_other_security_headers(production):
    headers = production["headers"]
    assert production["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = headers["Content-Security-Policy"]
    csp = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    assert csp["script-src"].split()[0] == "'self'" and "unsafe" not in csp["script-src"]
    assert "unsafe" not in csp["style-src"] and csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert "upgrade-insecure-requests" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_cookies_are_secure_and_samesite(production):
    csrf = production["cookies"]["csrftoken"]
    assert csrf["secure"] == "True" and csrf["samesite"] == "Lax"


def test_plain_http_is_sent_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://library.bangkok.example/")
