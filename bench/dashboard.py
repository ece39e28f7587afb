"""Reports: the executive dashboard page on a year of a busy network, and the nightly aggregation of one day;
print JSON figures.

PostgreSQL only, its own bench database ``bkklib_bench_reports`` (never the test ones). At ``--scale 1`` (the
issue's figures) the network has 40 branches, 200,000 patrons, 100,000 items, 2,000,000 loans and 60,000 space
bookings spread over fiscal year 2569 (1 Oct 2025 – 30 Sep 2026, Bangkok time), bulk-created once and reused;
``--scale 0.1`` makes a tenth of each (what this shared 2-CPU machine can build in minutes).

1. Rebuild: every day of the fiscal year aggregated once (the on-demand rebuild): seconds in all and per day.
2. Nightly: the busiest day aggregated again as the nightly task does (target ≤ 60 s).
3. Dashboard: ``/staff/dashboard/?fy=2569`` rendered warm through Django's test client 50 times for an
   executive, and once per filter (a district, a branch kind, a month range): p50 / p95 (target p95 ≤ 300 ms).

    .venv/bin/python bench/dashboard.py --scale 0.1
    .venv/bin/python bench/dashboard.py --scale 1          # the issue's scale: an hour or more to build
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_reports")
BRANCHES = 40
FULL = {"patrons": 200_000, "items": 100_000, "loans": 2_000_000, "bookings": 60_000}
BATCH = 5000


def environment() -> None:
    var = ROOT / "var" / "bench" / "reports-postgres"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update({"BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
                       "HUEY_IMMEDIATE": "1", "LOG_LEVEL": "ERROR", "DATABASE_URL": PG_URL})
    os.environ.pop("BKKLIB_TESTING", None)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")


def ensure_pg_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(PG_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1) if ordered else 0.0


def prepare(scale: float) -> dict:
    """Create (once) the network, patrons, items, loans and bookings of fiscal year 2569 at ``scale``."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F

    from bkklib.catalog.models import Item, ItemType, Record
    from bkklib.circulation.models import Loan, Patron, PatronCategory
    from bkklib.network.models import Branch, District
    from bkklib.spaces.models import Booking, Space

    call_command("migrate", verbosity=0, interactive=False)
    want = {k: int(v * scale) for k, v in FULL.items()}
    rng = random.Random(2569)
    bkk = ZoneInfo("Asia/Bangkok")
    started = time.monotonic()
    districts = list(District.objects.order_by("code"))
    kinds = ["public_library", "public_library", "reading_house", "learning_centre", "city_library"]
    for n in range(BRANCHES):
        Branch.objects.get_or_create(code=f"bench{n:02d}", defaults={
            "name_th": f"ห้องสมุดทดสอบแดชบอร์ด {n}", "kind": kinds[n % len(kinds)],
            "district": districts[(n * 7) % len(districts)], "is_demo": True})
    branches = list(Branch.objects.filter(code__startswith="bench").order_by("code").values_list("pk", flat=True))
    categories = list(PatronCategory.objects.values_list("pk", flat=True))
    item_type = ItemType.objects.order_by("pk").first()
    fy_start = datetime(2025, 10, 1, tzinfo=bkk)

    have = Patron.objects.filter(card_number__startswith="D").count()
    for start in range(have, want["patrons"], BATCH):
        Patron.objects.bulk_create([
            Patron(card_number=f"D{k:010d}", category_id=categories[k % len(categories)],
                   home_branch_id=branches[k % len(branches)], first_name_th="ผู้ทดสอบ", last_name_th=f"แดชบอร์ด {k}",
                   birth_date=date(1990, 1, 1), card_expires_on=date(2027 + k % 3, 1, 1), is_demo=True,
                   other_document="bench", id_type=Patron.IdType.OTHER)
            for k in range(start, min(start + BATCH, want["patrons"]))])
    patron_ids = list(Patron.objects.filter(card_number__startswith="D").values_list("pk", flat=True))
    # members joined through the year: spread their records' creation over it
    if have < want["patrons"]:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE circulation_patron SET created_at = %s + (id %% 365) * interval '1 day' "
                           "+ (id %% 600) * interval '1 minute' WHERE card_number LIKE 'D%%'", [fy_start])

    record = Record.objects.filter(title="หนังสือทดสอบแดชบอร์ด").first() or Record.objects.create(
        title="หนังสือทดสอบแดชบอร์ด", marc={"leader": "00000nam a2200000 a 4500", "fields": []})
    have = Item.objects.filter(barcode__startswith="D").count()
    for start in range(have, want["items"], BATCH):
        Item.objects.bulk_create([
            Item(record=record, barcode=f"D{k:010d}", branch_id=branches[k % len(branches)], item_type=item_type,
                 call_number=f"{(k % 10) * 100 + k % 97:03d} ก{k % 50}", acquired_on=date(2010 + k % 16, 1, 1))
            for k in range(start, min(start + BATCH, want["items"]))])
    items = list(Item.objects.filter(barcode__startswith="D").values_list("pk", "branch_id"))

    Loan.objects.filter(branch_id__in=branches, returned_at__isnull=True).update(  # left open by an older run
        returned_at=F("checked_out_at") + timedelta(days=3), returned_branch_id=F("branch_id"), end_reason="returned")
    have = Loan.objects.filter(branch_id__in=branches).count()
    year_seconds = 365 * 86400
    for start in range(have, want["loans"], BATCH):
        rows = []
        for k in range(start, min(start + BATCH, want["loans"])):
            item, branch = items[k % len(items)]
            out = fy_start + timedelta(seconds=rng.randrange(year_seconds))
            returned = out + timedelta(days=rng.randrange(1, 30))  # all returned: one open loan per item at most
            rows.append(Loan(item_id=item, patron_id=patron_ids[k % len(patron_ids)], branch_id=branch,
                             checked_out_at=out, due_on=(out + timedelta(days=14)).date(), returned_at=returned,
                             returned_branch_id=branch if returned else None, end_reason="returned" if returned else "",
                             item_type=item_type, patron_category_id=categories[k % len(categories)]))
        Loan.objects.bulk_create(rows)

    spaces = []
    for branch in branches[:20]:
        space, _ = Space.objects.get_or_create(branch_id=branch, code="bench-desk", defaults={
            "name_th": "โต๊ะทดสอบแดชบอร์ด", "kind": "desk", "capacity": 1, "is_demo": True})
        spaces.append(space)
    have = Booking.objects.filter(space__code="bench-desk").count()
    for start in range(have, want["bookings"], BATCH):
        rows = []
        for k in range(start, min(start + BATCH, want["bookings"])):
            space = spaces[k % len(spaces)]
            slot = k // len(spaces)  # each space's own hour slots, never overlapping (an exclusion constraint)
            begin = fy_start + timedelta(days=(slot // 9) * 7 % 365 + slot // (9 * 365), hours=9 + slot % 9)
            rows.append(Booking(space=space, branch_id=space.branch_id, patron_id=patron_ids[k % len(patron_ids)],
                                status="checked_in" if k % 5 else "no_show", starts_at=begin,
                                ends_at=begin + timedelta(hours=1), created_at=begin - timedelta(days=1),
                                checked_in_at=begin if k % 5 else None, is_demo=True))
        Booking.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"scale": scale, "branches": len(branches), "patrons": len(patron_ids), "items": len(items),
            "loans": Loan.objects.filter(branch_id__in=branches).count(),
            "bookings": Booking.objects.filter(space__code="bench-desk").count(),
            "prepare_seconds": round(time.monotonic() - started, 1)}


def aggregate(rebuild: bool) -> dict:
    from datetime import date

    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from bkklib.circulation.models import Loan
    from bkklib.reports import services
    from bkklib.reports.models import DailyFigure

    out = {}
    if rebuild or not DailyFigure.objects.filter(day=date(2026, 9, 30)).exists():
        started = time.monotonic()
        run = services.aggregate(date(2025, 10, 1), date(2026, 9, 30), trigger="rebuild", reason="bench")
        seconds = time.monotonic() - started
        out["rebuild_year"] = {"seconds": round(seconds, 1), "per_day_ms": round(seconds / 365 * 1000, 1),
                               "rows": run.rows, "errors": len(run.errors)}
    busiest = (Loan.objects.annotate(d=TruncDate("checked_out_at")).values("d").annotate(n=Count("pk"))
               .order_by("-n").first())
    day = busiest["d"]
    started = time.monotonic()
    run = services.aggregate(day, day)
    out["nightly_one_day"] = {"day": day.isoformat(), "loans_that_day": busiest["n"],
                              "seconds": round(time.monotonic() - started, 2), "rows": run.rows}
    return out


def dashboard(rounds: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user

    user = get_user_model().objects.filter(username="benchdirector").first() or staff_user(
        roles.EXECUTIVE_VIEWER, username="benchdirector")
    client = Client()
    client.force_login(user)
    urls = {"year": "/staff/dashboard/?fy=2569&from=1&to=12&indicator=circulation.loans",
            "district": "/staff/dashboard/?fy=2569&district=1001",
            "kind": "/staff/dashboard/?fy=2569&kind=reading_house&indicator=spaces.bookings",
            "months": "/staff/dashboard/?fy=2569&from=4&to=6"}
    out = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200  # warm
        times = []
        for _ in range(rounds if name == "year" else max(5, rounds // 5)):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out[name] = {"n": len(times), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
                     "max_ms": round(max(times), 1)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="share of the issue's data set (1 = 2M loans)")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true", help="aggregate the whole year again")
    args = parser.parse_args()
    environment()
    ensure_pg_database()
    import django

    django.setup()
    result = {"data": prepare(args.scale)}
    result["aggregation"] = aggregate(args.rebuild)
    result["dashboard"] = dashboard(args.rounds)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
