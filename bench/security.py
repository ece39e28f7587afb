"""Benchmark what issue 30's security layer costs per request; print JSON figures (docs/performance.md, "Security").

Measures, in one process with the test client (no network, no database: the pages measured read
no table): a page (``GET /staff/login/``) through the full middleware chain and through the chain
without the security middleware (django-csp, CSP style exceptions, django-otp, idle-session
expiry, two-factor requirement); one rate-limit count (local-memory cache); and one password check
through every validator (Django's four and the Thai-aware rule). p50/p95 in ms over ``--rounds``.

    .venv/bin/python bench/security.py
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("BKKLIB_VAR_DIR", tempfile.mkdtemp(prefix="bkklib-bench-security-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

SECURITY_MIDDLEWARE = {
    "csp.middleware.CSPMiddleware", "bkklib.core.middleware.CspStyleExceptions",
    "django_otp.middleware.OTPMiddleware", "bkklib.core.middleware.IdleSessionExpiry",
    "bkklib.staff.twofactor.RequireTwoFactorForAdmins",
}


def timed(fn, rounds: int) -> dict:
    fn()
    samples = []
    for _n in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 3),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 3), "rounds": rounds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.test import Client
    from django.test.utils import override_settings
    from machine import calibration

    from bkklib.core import ratelimit

    def page(client):
        def get():
            response = client.get("/staff/login/")
            assert response.status_code == 200, response.status_code
        return get

    # Alternate the two chains so that the shared machine's load falls on both alike.
    full_client, full, bare = Client(), [], []
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m not in SECURITY_MIDDLEWARE]):
        bare_client = Client()
        page(bare_client)()
    for _n in range(5):
        full.append(timed(page(full_client), args.rounds // 5))
        with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m not in SECURITY_MIDDLEWARE]):
            bare.append(timed(page(bare_client), args.rounds // 5))
    full = {"p50_ms": round(statistics.median(r["p50_ms"] for r in full), 3), "rounds": args.rounds}
    bare = {"p50_ms": round(statistics.median(r["p50_ms"] for r in bare), 3), "rounds": args.rounds}
    limit = ratelimit.Limit("bench", 10**9, 60)
    counter = iter(range(10**9))

    def check_password():
        try:
            validate_password(f"ห้องสมุดบางเขน-{next(counter)}")
        except ValidationError:
            pass

    print(json.dumps({
        "cpu_calibration": calibration(),
        "staff_login_page_full_chain": full,
        "staff_login_page_without_security_middleware": bare,
        "security_middleware_overhead_p50_ms": round(full["p50_ms"] - bare["p50_ms"], 3),
        "rate_limit_check": timed(lambda: ratelimit.check(limit, "192.0.2.1"), args.rounds * 10),
        "password_validation": timed(check_password, args.rounds),
    }, indent=2))


if __name__ == "__main__":
    main()
