"""Outreach: one sync of 1,000 actions queued offline at the volunteer desk, on PostgreSQL; print JSON figures.

The bench database is ``bkklib_bench_outreach`` on the local PostgreSQL (never a test database).
A reading house holds 500 items of a deposit collection and 500 patrons; the batch is 500 loans
and the 500 returns of the same items later that day, sent in a shuffled order (the server sorts
them by the time they happened). With ``--returns earlier`` the returns are of 500 other items,
lent two days before: every record of the batch then changes and is reindexed (1,000 records).
Measured: the whole ``services.sync`` call (one transaction: validation, ordering, the actions
applied through circulation's lending batch, its bulk writes and its one reindex of the records
that changed, the insert of the actions), with the number of queries through Django's cursor
(the bulk inserts by COPY are not among them), then the same batch sent again (every action a
duplicate). The target is ≤ 5 s.

    .venv/bin/python bench/outreach.py
    .venv/bin/python bench/outreach.py --actions 400     # smaller, on a busy machine
    .venv/bin/python bench/outreach.py --returns earlier # returns of items lent before the batch
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_outreach")


def ensure_pg_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(PG_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    var = ROOT / "var" / "bench" / "outreach"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update({"DATABASE_URL": PG_URL, "BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "HUEY_IMMEDIATE": "1",
                       "LOG_LEVEL": "ERROR", "DJANGO_SETTINGS_MODULE": "bkklib.settings"})
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()


def prepare(n_items: int):
    from datetime import date, timedelta
    from datetime import time as dtime

    from django.core.management import call_command
    from django.utils import timezone

    from bkklib.catalog import services as catalog_services
    from bkklib.catalog.models import Item, ItemType, Record
    from bkklib.circulation.models import Loan, Patron, PatronCategory
    from bkklib.network.models import Branch, District, OpeningPeriod
    from bkklib.outreach import services
    from bkklib.outreach.models import DepositCollection, DepositItem, SyncAction, VisitRecord, VolunteerAccount

    call_command("migrate", verbosity=0, interactive=False)
    district = District.objects.order_by("code").first()
    library, _ = Branch.objects.get_or_create(code="benchlib", defaults={
        "name_th": "ห้องสมุดทดสอบสมรรถนะ", "kind": "public_library", "district": district, "is_demo": True})
    house, created = Branch.objects.get_or_create(code="benchhouse", defaults={
        "name_th": "บ้านหนังสือทดสอบสมรรถนะ", "kind": "reading_house", "district": district, "is_demo": True})
    if created:
        OpeningPeriod.objects.bulk_create([OpeningPeriod(branch=house, weekday=d, opens_at=dtime(0),
                                                         closes_at=dtime(23, 59)) for d in range(7)])
    # One title per item, as in a real deposit: each loan and return reindexes its own record.
    from bkklib.catalog.tests.factories import marc_record

    records = list(Record.objects.filter(title__startswith="หนังสือทดสอบสมรรถนะ").order_by("pk"))
    for k in range(len(records), n_items):
        records.append(catalog_services.save_record(marc_record(f"หนังสือทดสอบสมรรถนะ เล่ม {k}", author="ทดสอบ")))
    book = ItemType.objects.get(code="book")
    Item.objects.bulk_create([Item(record=records[k], barcode=f"B{k:09d}", branch=house, item_type=book,
                                   is_demo=True) for k in range(n_items)], ignore_conflicts=True)
    items = list(Item.objects.filter(barcode__startswith="B").order_by("barcode")[:n_items])
    for k, item in enumerate(items):
        item.record = records[k]
    Item.objects.bulk_update(items, ["record"])
    deposit, _ = DepositCollection.objects.get_or_create(code="bench-deposit", defaults={
        "from_branch": library, "reading_house": house, "due_back_on": date(2099, 1, 1), "status": "received"})
    DepositItem.objects.bulk_create([DepositItem(collection=deposit, item=i, home_branch=library) for i in items],
                                    ignore_conflicts=True)
    adult = PatronCategory.objects.get(code="adult")
    Patron.objects.bulk_create([
        Patron(card_number=f"O{k:09d}", category=adult, home_branch=library, first_name_th="ผู้ทดสอบ",
               last_name_th=f"บ้านหนังสือ {k}", birth_date=date(1990, 1, 1), card_expires_on=date(2099, 12, 31),
               is_demo=True, other_document="bench", id_type=Patron.IdType.OTHER)
        for k in range(n_items)], batch_size=2000, ignore_conflicts=True)
    cards = list(Patron.objects.filter(card_number__startswith="O").order_by("card_number")
                 .values_list("card_number", flat=True)[:n_items])
    account = VolunteerAccount.objects.filter(user__username="bench-volunteer").first()
    if account is None:
        from django.contrib.auth import get_user_model

        from bkklib.core import roles
        from bkklib.network.tests.factories import staff_user

        admin = (get_user_model().objects.filter(username="bench-outreach-admin").first()
                 or staff_user(roles.NETWORK_ADMIN, library, house, username="bench-outreach-admin",
                               starts_on=date(2000, 1, 1)))
        account = services.create_volunteer(branch=house, username="bench-volunteer", password="bench-volunteer-1",
                                            display_name="อาสาสมัคร ทดสอบ", by=admin,
                                            now=timezone.now() - timedelta(days=30))
    # A clean start: the earlier run's actions, loans and counts go; the items are on the shelf.
    SyncAction.objects.filter(account=account).delete()
    Loan.objects.filter(item__in=items).delete()
    VisitRecord.objects.filter(branch=house).delete()
    Item.objects.filter(pk__in=[i.pk for i in items]).update(status="available", branch=house)
    return account, items, cards


def lend_earlier(account, items, cards) -> None:
    """Lend ``items`` to ``cards`` two days before the batch (the returns of ``--returns earlier``)."""
    from datetime import timedelta

    from django.utils import timezone

    from bkklib.circulation import services as circulation
    from bkklib.circulation.models import Patron

    patrons = {p.card_number: p for p in Patron.objects.filter(card_number__in=cards)}
    when = timezone.now() - timedelta(days=2)
    with circulation.lending_batch(staff=account.user, desk=account.branch, items=items,
                                   patrons=patrons.values()) as desk:
        for item, card in zip(items, cards, strict=True):
            desk.checkout(item=item, patron=patrons[card], now=when)


def batch(items, cards, returned=None, seed: int = 22) -> list[dict]:
    """The loans of ``items`` to ``cards``, then the returns of ``returned`` (default: the same items), shuffled."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    day = timezone.localdate() - timedelta(days=1)
    start = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo("Asia/Bangkok")).replace(hour=8)
    actions, seq = [], 0
    for k, (item, card) in enumerate(zip(items, cards, strict=True)):
        seq += 1
        actions.append({"action_id": uuid.uuid4().hex, "kind": "lend", "seq": seq, "item_barcode": item.barcode,
                        "card_number": card, "happened_at": (start + timedelta(seconds=20 * k)).isoformat()})
    for k, item in enumerate(returned if returned is not None else items):
        seq += 1
        actions.append({"action_id": uuid.uuid4().hex, "kind": "return", "seq": seq, "item_barcode": item.barcode,
                        "happened_at": (start + timedelta(hours=5, seconds=20 * k)).isoformat()})
    random.Random(seed).shuffle(actions)
    return actions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1000, help="actions in the batch (half loans, half returns)")
    parser.add_argument("--returns", choices=["same", "earlier"], default="same",
                        help="return the items lent in the batch (same), or as many others lent two days before "
                             "(earlier: every record of the batch changes and is reindexed)")
    args = parser.parse_args()
    ensure_pg_database()
    setup_django()
    from django.db import connection

    from bkklib.outreach import services

    half = args.actions // 2
    if args.returns == "same":
        account, items, cards = prepare(half)
        actions = batch(items, cards)
    else:
        account, items, cards = prepare(2 * half)
        lend_earlier(account, items[half:], cards[half:])
        actions = batch(items[:half], cards[:half], returned=items[half:])
    connection.force_debug_cursor = True
    connection.queries_log.clear()
    started = time.perf_counter()
    result = services.sync(user=account.user, actions=actions)
    first = time.perf_counter() - started
    connection.force_debug_cursor = False
    started = time.perf_counter()
    again = services.sync(user=account.user, actions=actions)
    second = time.perf_counter() - started
    figures = {
        "backend": "postgresql", "returns": args.returns, "actions": len(actions), "sync_seconds": round(first, 2),
        "ms_per_action": round(1000 * first / len(actions), 2), "queries": len(connection.queries_log),
        "applied": result.count("applied"), "conflicts": result.count("conflict"),
        "resend_seconds": round(second, 2), "resend_duplicates": again.duplicates,
        "conflict_codes": sorted({r.code for r in result.results if r.code}),
        "target_seconds": 5.0, "meets_target": first <= 5.0 * len(actions) / 1000,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0 if figures["applied"] == len(actions) else 1


if __name__ == "__main__":
    sys.exit(main())
