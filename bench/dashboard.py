"""Reports: the executive dashboard page on a year of a busy network, and the nightly aggregation of one day;
print JSON figures.

PostgreSQL only, its own bench database ``bkklib_bench_reports`` (never the test ones). At ``--scale 1`` (the
issue's figures) the network has 40 branches, 200,000 patrons, 100,000 items, 2,000,000 loans and 60,000 space
bookings, 10,000 activity sessions with 150,000 people checked in, spread over fiscal year 2569 (1 Oct 2025 – 30 Sep
2026, Bangkok time), written once with PostgreSQL COPY and reused (``--reuse`` skips the build altogether when the
database holds the data set); ``--scale 0.1`` makes a tenth of each.

1. Rebuild: every day of the fiscal year aggregated once (the on-demand rebuild): seconds in all and per day.
2. Nightly: the busiest day aggregated again as the nightly task does (target ≤ 60 s).
3. Dashboard: ``/staff/dashboard/?fy=2569`` through Django's test client for an executive: once cold (cache
   cleared: the body built from the stored figures and rendered), then warm 50 times, and 10 times per other
   filter (a district, a branch kind, a month range): p50 / p95 (target p95 ≤ 300 ms warm).

    .venv/bin/python bench/dashboard.py --scale 0.1
    nice -n 15 .venv/bin/python bench/dashboard.py --scale 1    # the issue's scale (COPY: minutes, not hours)
    .venv/bin/python bench/dashboard.py --scale 1 --reuse       # time again on the data set already built
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
# a year of events: sessions at every branch through the year, people checked in and counted at the door
FULL = {"patrons": 200_000, "items": 100_000, "loans": 2_000_000, "bookings": 60_000, "sessions": 10_000,
        "registrations": 150_000}
BATCH = 5000


def copy_rows(model, columns: tuple[str, ...], rows, **fixed) -> int:
    """Write ``rows`` (tuples of ``columns``, attnames) into ``model``'s table with one PostgreSQL COPY.

    Every other column takes the value a new instance would save (its default, ``auto_now_add``...) or ``fixed``;
    COPY skips the ORM's per-object work, so two million loans take a minute instead of half an hour.
    """
    from django.db import connection
    from django.db.models import AutoField, BigAutoField

    prototype = model(**fixed)
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField | BigAutoField)]
    template = [None if f.attname in columns else f.get_db_prep_save(f.pre_save(prototype, True), connection)
                for f in fields]
    names = [f.attname for f in fields]
    where = [names.index(c) for c in columns]
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            values = template[:]
            for i, v in zip(where, row, strict=True):
                values[i] = v
            copy.write_row(values)
            n += 1
    return n


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


def events(branches: list[int], patron_ids: list[int], want: dict, fy_start) -> None:
    """A year of activities: one weekly series per branch, sessions spread over the year, patrons checked in at
    each and a count of walk-ins at the door."""
    import secrets
    from datetime import timedelta

    from bkklib.events.models import Activity, Registration, Session, WalkIn

    activities = []
    for branch in branches:
        activity, _ = Activity.objects.get_or_create(branch_id=branch, title="กิจกรรมทดสอบแดชบอร์ด", defaults={
            "status": Activity.Status.PUBLISHED, "is_demo": True})
        activities.append(activity.pk)
    have = Session.objects.filter(activity_id__in=activities).count()
    per_activity = max(1, want["sessions"] // len(activities))
    copy_rows(Session, ("activity_id", "starts_at", "ends_at"), (
        (activities[k % len(activities)], begin, begin + timedelta(hours=2))
        for k in range(have, want["sessions"])
        for begin in [fy_start + timedelta(days=(k // len(activities)) * 365 // per_activity % 365, hours=10)]))
    sessions = list(Session.objects.filter(activity_id__in=activities).order_by("pk").values_list("pk", "starts_at"))
    if not sessions:
        return
    per_session = max(1, want["registrations"] // len(sessions))
    have = Registration.objects.filter(session__activity_id__in=activities).count()
    groups = ("child", "youth", "adult", "senior")
    copy_rows(Registration, ("session_id", "patron_id", "age_group", "position", "token", "registered_at",
                             "checked_in_at"), (
        (sessions[k // per_session][0], patron_ids[k % len(patron_ids)], groups[k % 4], k % per_session + 1,
         secrets.token_urlsafe(16), sessions[k // per_session][1] - timedelta(days=2), sessions[k // per_session][1])
        for k in range(have, min(want["registrations"], per_session * len(sessions)))),
        status=Registration.Status.REGISTERED, channel=Registration.Channel.ACCOUNT)
    if not WalkIn.objects.filter(session_id=sessions[0][0]).exists():
        copy_rows(WalkIn, ("session_id", "age_group", "count"),
                  ((pk, groups[n % 4], 1 + n % 7) for n, (pk, _at) in enumerate(sessions)), gender="unspecified")


def prepare(scale: float) -> dict:
    """Create (once) the network, patrons, items, loans and bookings of fiscal year 2569 at ``scale``."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F

    from bkklib.catalog.models import Item, ItemType, Record
    from bkklib.circulation.models import Loan, Patron, PatronCategory
    from bkklib.events.models import Registration, Session
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
    # members joined through the year: their records' creation spread over it
    copy_rows(Patron, ("card_number", "category_id", "home_branch_id", "last_name_th", "card_expires_on", "created_at"),
              ((f"D{k:010d}", categories[k % len(categories)], branches[k % len(branches)], f"แดชบอร์ด {k}",
                date(2027 + k % 3, 1, 1), fy_start + timedelta(days=k % 365, minutes=k % 600))
               for k in range(have, want["patrons"])),
              first_name_th="ผู้ทดสอบ", birth_date=date(1990, 1, 1), is_demo=True, other_document="bench",
              id_type=Patron.IdType.OTHER)
    patron_ids = list(Patron.objects.filter(card_number__startswith="D").order_by("pk").values_list("pk", flat=True))

    record = Record.objects.filter(title="หนังสือทดสอบแดชบอร์ด").first() or Record.objects.create(
        title="หนังสือทดสอบแดชบอร์ด", marc={"leader": "00000nam a2200000 a 4500", "fields": []})
    have = Item.objects.filter(barcode__startswith="D").count()
    copy_rows(Item, ("barcode", "branch_id", "call_number", "acquired_on"),
              ((f"D{k:010d}", branches[k % len(branches)], f"{(k % 10) * 100 + k % 97:03d} ก{k % 50}",
                date(2010 + k % 16, 1, 1)) for k in range(have, want["items"])),
              record=record, item_type=item_type)
    items = list(Item.objects.filter(barcode__startswith="D").order_by("pk").values_list("pk", "branch_id"))

    Loan.objects.filter(branch_id__in=branches, returned_at__isnull=True).update(  # left open by an older run
        returned_at=F("checked_out_at") + timedelta(days=3), returned_branch_id=F("branch_id"), end_reason="returned")
    have = Loan.objects.filter(branch_id__in=branches).count()
    year_seconds = 365 * 86400

    def loans():
        for k in range(have, want["loans"]):
            item, branch = items[k % len(items)]
            out = fy_start + timedelta(seconds=rng.randrange(year_seconds))
            returned = out + timedelta(days=rng.randrange(1, 30))  # all returned: one open loan per item at most
            yield (item, patron_ids[k % len(patron_ids)], branch, out, (out + timedelta(days=14)).date(), returned,
                   branch, categories[k % len(categories)])

    copy_rows(Loan, ("item_id", "patron_id", "branch_id", "checked_out_at", "due_on", "returned_at",
                     "returned_branch_id", "patron_category_id"), loans(), end_reason="returned", item_type=item_type)
    events(branches, patron_ids, want, fy_start)

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
            "sessions": Session.objects.filter(activity__title="กิจกรรมทดสอบแดชบอร์ด").count(),
            "registrations": Registration.objects.filter(session__activity__title="กิจกรรมทดสอบแดชบอร์ด").count(),
            "prepare_seconds": round(time.monotonic() - started, 1)}


def present(scale: float) -> dict | None:
    """The data set already in the database when it holds at least ``scale`` of each table, else None."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
        return None  # not migrated (or behind): build
    from bkklib.catalog.models import Item
    from bkklib.circulation.models import Loan, Patron
    from bkklib.events.models import Registration, Session
    from bkklib.network.models import Branch
    from bkklib.spaces.models import Booking

    branches = Branch.objects.filter(code__startswith="bench")
    held = {"patrons": Patron.objects.filter(card_number__startswith="D").count(),
            "items": Item.objects.filter(barcode__startswith="D").count(),
            "loans": Loan.objects.filter(branch__in=branches).count(),
            "bookings": Booking.objects.filter(space__code="bench-desk").count(),
            "sessions": Session.objects.filter(activity__title="กิจกรรมทดสอบแดชบอร์ด").count(),
            "registrations": Registration.objects.filter(session__activity__title="กิจกรรมทดสอบแดชบอร์ด").count()}
    if any(held[k] < int(v * scale) for k, v in FULL.items()):
        return None
    return {"scale": scale, "branches": branches.count(), **held, "reused": True}


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
    from django.core.cache import cache
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
    assert client.get("/staff/dashboard/indicators/").status_code == 200  # the process's first page (imports, templates)
    for name, url in urls.items():
        cache.clear()  # the first request after a run builds and renders the body: cold
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        cold = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(rounds if name == "year" else max(5, rounds // 5)):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out[name] = {"cold_ms": round(cold, 1), "n": len(times), "p50_ms": percentile(times, 50),
                     "p95_ms": percentile(times, 95), "max_ms": round(max(times), 1)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="share of the issue's data set (1 = 2M loans)")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true", help="aggregate the whole year again")
    parser.add_argument("--reuse", action="store_true",
                        help="skip building when the database already holds the data set of --scale (rerun timings)")
    args = parser.parse_args()
    environment()
    ensure_pg_database()
    import django

    django.setup()
    held = present(args.scale) if args.reuse else None
    result = {"data": held or prepare(args.scale)}
    result["aggregation"] = aggregate(args.rebuild)
    result["dashboard"] = dashboard(args.rounds)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
