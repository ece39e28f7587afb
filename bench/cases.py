"""Casework at network scale on PostgreSQL: the deadline-alert pass over many open cases and the
monthly GECC report. Prints one JSON document.

A bench database of its own (``bkklib_bench_cases``, never a test one) is migrated, then 36 branches
get ``--cases`` open cases filed over the last 30 days (bulk-created once, reused). Measured:

1. ``services.send_alerts`` — the periodic task: first pass (records the due reminders and escalations,
   one ``Alert`` row each, and queues their messages for the huey consumer), then idle passes
   (nothing new to send: the cost every 10 minutes).
2. ``queries.monthly_report`` for the current month (every citizen case of the month read once).
3. The staff list query (open cases of one branch, first page).

    .venv/bin/python bench/cases.py                    # 5,000 cases
    .venv/bin/python bench/cases.py --cases 20000 --repeat 5
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BKKLIB_BENCH_CASES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_cases")


def ensure_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(PG_URL).path.lstrip("/")
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    var = ROOT / "var" / "bench" / "cases"
    var.mkdir(parents=True, exist_ok=True)
    # Messages are queued for the huey consumer as in production (not sent inside the measured pass).
    os.environ.update({"DATABASE_URL": PG_URL, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
                       "LOG_LEVEL": "ERROR", "HUEY_IMMEDIATE": "0", "BKKLIB_VAR_DIR": str(var)})
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.pop("BKKLIB_TESTING", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(count: int) -> None:
    import random
    from datetime import timedelta

    from django.utils import timezone

    from bkklib.cases import services
    from bkklib.cases.models import Case, Category, ClockUnit
    from bkklib.network.models import Branch, District
    from bkklib.network.services import load_holidays

    if Case.objects.filter(title__startswith="bench ").count() >= count:
        return
    Case.objects.filter(title__startswith="bench ").delete()
    load_holidays(years=[timezone.localdate().year - 1, timezone.localdate().year])
    district = District.objects.order_by("code").first()
    branches = [Branch.objects.get_or_create(code=f"bench{n:02d}", defaults={
        "name_th": f"ห้องสมุดทดสอบสมรรถนะ {n}", "kind": Branch.Kind.PUBLIC_LIBRARY, "district": district})[0]
        for n in range(36)]
    category, _ = Category.objects.get_or_create(code="bench", defaults={
        "name_th": "หมวดทดสอบสมรรถนะ", "response_unit": ClockUnit.BUSINESS_DAYS, "response_amount": 1,
        "resolution_unit": ClockUnit.BUSINESS_DAYS, "resolution_amount": 15})
    rng = random.Random(26)
    now = timezone.now()
    rows = []
    for n in range(count):
        case = Case(kind="complaint", title=f"bench {n}", description="ทดสอบ", category=category,
                    branch=branches[n % 36], channel="web", requester_name="ผู้แจ้ง", requester_phone="0800000000",
                    filed_at=now - timedelta(hours=rng.randint(1, 30 * 24)), response_unit=category.response_unit,
                    response_amount=1, resolution_unit=category.resolution_unit, resolution_amount=15,
                    state=rng.choice(["new", "in_progress", "in_progress"]))
        services.recompute_clocks(case)
        rows.append(case)
    Case.objects.bulk_create(rows, batch_size=2000)


def timed(function, repeat: int) -> dict:
    laps = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        laps.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(laps), 1), "max_ms": round(max(laps), 1), "runs": repeat,
            "result": result}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-alerts", action="store_true",
                        help="keep the alerts of an earlier run: the first pass is then an idle pass too")
    args = parser.parse_args()
    ensure_database()
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from bkklib.cases import queries, services
    from bkklib.cases.models import Alert, Case

    populate(args.cases)
    if not args.keep_alerts:
        Alert.objects.filter(case__title__startswith="bench ").delete()
    first = timed(lambda: services.send_alerts(), 1)
    idle = timed(lambda: services.send_alerts(), args.repeat)
    month = timed(lambda: queries.monthly_report(timezone.localdate()).total, args.repeat)
    branch = Case.objects.filter(title__startswith="bench ").values_list("branch", flat=True).first()
    listing = timed(lambda: len(list(Case.objects.open().filter(branch_id=branch).select_related(
        "branch", "category").order_by("-filed_at")[:200])), args.repeat)
    print(json.dumps({"cases": Case.objects.filter(title__startswith="bench ").count(),
                      "engine": connection.vendor, "alerts": Alert.objects.count(),
                      "alerts_first_pass": first, "alerts_idle_pass": idle,
                      "monthly_report": month, "branch_open_list": listing}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
