"""Benchmark the network app on the demo network; print JSON figures (docs/performance.md, "Network").

Measures: seeding the demo network (fresh database), the public branch list
(``GET /api/v1/branches/?page_size=500``: every branch with hours and today's open status) and a
branch page, the freshness query, and coverage planning (shortages and proposals) over 14 and
62 days for the whole network. Each request or query is repeated ``--rounds`` times; p50/p95 in ms.

Use a database of its own (it is migrated and filled with demo data):
    DATABASE_URL=sqlite:////tmp/bkklib-bench-network.sqlite3 .venv/bin/python bench/network.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bkklib_bench .venv/bin/python bench/network.py
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # DEBUG off refuses to start without one
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bkklib-bench-network.sqlite3")


def timed(fn, rounds: int) -> dict:
    """Run ``fn`` ``rounds`` times (after one warm-up) and return p50/p95/max in milliseconds."""
    fn()
    samples = []
    for _n in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
            "max_ms": round(samples[-1], 2), "rounds": rounds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from bkklib.network import demo, queries
    from bkklib.network.models import Branch

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    fresh = not Branch.objects.filter(code=demo.CITY_LIBRARY).exists()
    started = time.perf_counter()
    demo.run(stdout=io.StringIO())
    seed_seconds = round(time.perf_counter() - started, 2)

    client = Client()
    today = timezone.localdate()
    count = client.get("/api/v1/branches/?page_size=500").json()["count"]
    figures = {
        "database": connection.vendor,
        "branches": count,
        "demo_seed_s": seed_seconds if fresh else None,
        "demo_seed_again_s": None if fresh else seed_seconds,
        "api_branch_list_500": timed(lambda: client.get("/api/v1/branches/?page_size=500"), args.rounds),
        "api_branch_list_50": timed(lambda: client.get("/api/v1/branches/"), args.rounds),
        "api_branch_detail": timed(lambda: client.get(f"/api/v1/branches/{demo.CITY_LIBRARY}/"), args.rounds),
        "stale_branches_query": timed(lambda: list(queries.stale_branches(today=today)), args.rounds),
        "coverage_14_days": timed(lambda: queries.coverage(today, today + timedelta(days=13)),
                                  max(5, args.rounds // 3)),
        "coverage_62_days": timed(lambda: queries.coverage(today, today + timedelta(days=61)),
                                  max(3, args.rounds // 10)),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
