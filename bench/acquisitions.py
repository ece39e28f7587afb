"""Acquisitions: the monthly follow-up report over a network-sized fiscal year, and receiving a delivery;
print JSON figures.

Database: PostgreSQL ``bkklib_bench_acquisitions`` on the local server (never a test database),
migrated on first use. One fiscal year (2569) is bulk-created once and reused: 36 branches with two
funds each, ``--orders`` orders (default 2,000) of 5 lines with 3 copies each (30,000 copies at the
default), most ordered, a third received, some cancelled.

1. Report: ``queries.follow_up`` for all 36 branches, timed ``--repeat`` times: p50 / p95, and its
   query count.
2. Receiving: ``services.receive`` of a fresh 10-line order with 3 copies per line (30 items made
   through ``catalog.services.add_item``, each reindexing its record), timed 5 times: p50 per
   delivery and per item.

    .venv/bin/python bench/acquisitions.py
    .venv/bin/python bench/acquisitions.py --orders 500 --repeat 10   # a busy machine
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_acquisitions")
BKK = ZoneInfo("Asia/Bangkok")


def ensure_database() -> None:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": PG_URL, "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(orders: int) -> None:
    """Bulk-create the fiscal year once (bench data, not through the services: only its shape matters)."""
    from bkklib.acquisitions import services
    from bkklib.acquisitions.models import Fund, Order, OrderCopy, OrderLine, Vendor
    from bkklib.catalog import services as catalog_services
    from bkklib.catalog.models import ItemType, Record
    from bkklib.network.models import Branch, District

    if Order.objects.filter(number__startswith="BENCH-").count() >= orders:
        return
    ItemType.objects.get_or_create(code="book", defaults={"name_th": "หนังสือ"})
    district = District.objects.order_by("code").first()
    branches = [Branch.objects.get_or_create(code=f"bench{n:02d}", defaults={
        "name_th": f"ห้องสมุดทดสอบสมรรถนะ {n}", "name_en": f"Bench library {n}", "district": district})[0]
        for n in range(36)]
    vendor = Vendor.objects.filter(tax_id="0994000165579").first() or services.save_vendor(
        name="ร้านหนังสือทดสอบสมรรถนะ", tax_id="0994000165579")
    funds = {}
    for b in branches:
        for code in ("books", "children"):
            fund = Fund.objects.filter(fiscal_year__year=2569, branch=b, code=code).first()
            funds[(b.pk, code)] = fund or services.create_fund(year=2569, branch=b, code=code, name=code,
                                                               budget=Decimal("5000000"))
    records = list(Record.objects.order_by("pk")[:200])
    while len(records) < 200:
        records.append(catalog_services.save_record({"leader": "00000nam a2200000 i 4500", "fields": [
            {"245": {"ind1": "0", "ind2": "0", "subfields": [{"a": f"หนังสือทดสอบสมรรถนะ {len(records)}"}]}}]}))
    fy = funds[(branches[0].pk, "books")].fiscal_year
    start = Order.objects.filter(number__startswith="BENCH-").count()
    for n in range(start, orders):
        branch = branches[n % 36]
        status = "cancelled" if n % 20 == 0 else "ordered"
        order = Order.objects.create(number=f"BENCH-{n:06d}", fiscal_year=fy, vendor=vendor, branch=branch,
                                     status=status, ordered_on=date(2025, 10, 1 + n % 28),
                                     expected_by=date(2025, 11, 1 + n % 28))
        copies = []
        for k in range(5):
            line = OrderLine.objects.create(order=order, record=records[(n * 5 + k) % 200], quantity=3,
                                            unit_price=Decimal("250"))
            for c in range(1, 4):
                copy_status = "cancelled" if status == "cancelled" else ("ordered" if (n + c) % 3 else "planned")
                copies.append(OrderCopy(line=line, copy_no=c, branch=branch,
                                        fund=funds[(branch.pk, "books" if k % 2 else "children")],
                                        cost=Decimal("250.00"), status=copy_status))
        OrderCopy.objects.bulk_create(copies)


def bench_report(repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bkklib.acquisitions import queries
    from bkklib.network.models import Branch

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            report = queries.follow_up(year=2569, month=date(2025, 11, 1), today=date(2026, 1, 15),
                                       branches=Branch.objects.all())
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": len(captured), "branches": len(report.rows), "copies_ordered": report.total.ordered}


def bench_receive(rounds: int = 5) -> dict:
    from bkklib.acquisitions import rules, services
    from bkklib.acquisitions.models import Fund, Vendor
    from bkklib.network.models import Branch

    branch = Branch.objects.get(code="bench00")
    fund = Fund.objects.get(fiscal_year__year=2569, branch=branch, code="books")
    vendor = Vendor.objects.get(tax_id="0994000165579")
    now = datetime(2025, 12, 1, 10, tzinfo=BKK)
    times = []
    for _ in range(rounds):
        order = services.create_order(vendor=vendor, branch=branch, year=2569, now=now)
        for k in range(10):
            services.add_line(order=order, title=f"หนังสือรับเข้า {k}", quantity=3, unit_price=Decimal("199"),
                              allocations=[(branch, fund, "GEN", 3)])
        services.approve_order(order=order, now=now)
        services.place_order(order=order, now=now)
        counts = {line.pk: rules.Inspection(received=3) for line in order.lines.all()}
        t = time.perf_counter()
        services.receive(order=order, counts=counts, now=now)
        times.append((time.perf_counter() - t) * 1000)
    p50 = statistics.median(times)
    return {"delivery_p50_ms": round(p50, 1), "per_item_ms": round(p50 / 30, 1), "items_per_delivery": 30}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    ensure_database()
    setup_django()
    t = time.perf_counter()
    build(args.orders)
    built = round(time.perf_counter() - t, 1)
    print(json.dumps({"orders": args.orders, "build_s": built, "report": bench_report(args.repeat),
                      "receive": bench_receive()}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
