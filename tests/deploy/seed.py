"""Build the small library the two-node run works in; run as a script in the stack's environment.

    python tests/deploy/seed.py      # prints the world as one JSON document on the last line

Run once per template database (stack.py): the loans' dates are moved to the day of each run.
One branch open every day, four desk librarians, a shelf of items per desk, patrons with PINs, a
title out on loan that a patron will reserve from the OPAC, and a loan three weeks overdue that
will bring a fine at check-in. Everything goes through the services (audit, search index), as a
library's own data would.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")

DESKS = 4
ITEMS_PER_DESK = 5
CONTESTED = 4  # items two desks scan at the same moment
PASSWORD = "ops-deploy-2569!"
PIN = "2468"


def main() -> dict:
    import django

    django.setup()
    from django.utils import timezone

    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
    from bkklib.circulation import services
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    every_day = [(d, time(0, 0), time(23, 59)) for d in range(7)]
    branch = BranchFactory(code="opsa", name_th="ห้องสมุดทดสอบการติดตั้ง", name_en="Deployment test library",
                           hours=every_day)
    desks = [staff_user(roles.BRANCH_LIBRARIAN, branch, username=f"desk{k}", first_name="บรรณารักษ์",
                        last_name=f"โต๊ะ{k}", password=PASSWORD) for k in range(DESKS)]
    patrons = [PatronFactory(home_branch=branch, card_number=f"2900000000{k:03d}", first_name_th="ผู้อ่าน",
                             last_name_th=f"ทดสอบติดตั้ง{k}") for k in range(DESKS + 4)]
    for patron in patrons:
        services.set_pin(patron, PIN)
        patron.save()
    shelves = []
    for k in range(DESKS):
        record = RecordFactory(title=f"คู่มือบริการโต๊ะ {k} การติดตั้งหลายเครื่อง", author="สำนักวัฒนธรรม")
        shelves.append([ItemFactory(record=record, branch=branch, barcode=f"31{k:02d}{n:04d}").barcode
                        for n in range(ITEMS_PER_DESK)])
    contested_record = RecordFactory(title="หนังสือที่สองโต๊ะแย่งกัน", author="สำนักวัฒนธรรม")
    contested = [ItemFactory(record=contested_record, branch=branch, barcode=f"3190{n:04d}").barcode
                 for n in range(CONTESTED)]

    now = timezone.now()
    librarian = desks[0]
    # A title out on loan (one copy): a patron reserves it on the OPAC, the return traps it.
    hold_record = RecordFactory(title="ประวัติศาสตร์ห้องสมุดกรุงเทพมหานคร", author="หอสมุดเมือง")
    hold_item = ItemFactory(record=hold_record, branch=branch, barcode="39900001")
    lent = services.checkout(item=hold_item, patron=patrons[-1], staff=librarian, desk=branch,
                             now=now - timedelta(days=2))
    # A loan three weeks overdue: checking it in charges a fine that the desk takes payment for.
    other_record = RecordFactory(title="นิทานพื้นบ้านภาคกลาง", author="หอสมุดเมือง")
    late_item = ItemFactory(record=other_record, branch=branch, barcode="39900002")
    late = services.checkout(item=late_item, patron=patrons[-2], staff=librarian, desk=branch,
                             now=now - timedelta(days=35))
    # A patron's own loan to renew from the account page.
    own_item = ItemFactory(record=other_record, branch=branch, barcode="39900003")
    own = services.checkout(item=own_item, patron=patrons[-3], staff=librarian, desk=branch,
                            now=now - timedelta(days=3))
    services_loans = [lent, late, own]
    return {
        "seeded_on": timezone.localdate().isoformat(),
        "loans": [loan.pk for loan in services_loans],
        "branch": branch.code, "desks": [u.username for u in desks], "password": PASSWORD, "pin": PIN,
        "patrons": [p.card_number for p in patrons], "patron_ids": [p.pk for p in patrons],
        "patron_names": [p.last_name_th for p in patrons],
        "shelves": shelves, "contested": contested,
        "hold": {"record": hold_record.pk, "barcode": hold_item.barcode, "holder": patrons[-4].card_number,
                 "borrower": patrons[-1].card_number, "title": hold_record.title},
        "late": {"barcode": late_item.barcode, "patron": patrons[-2].card_number, "loan": late.pk},
        "own": {"barcode": own_item.barcode, "patron": patrons[-3].card_number, "loan": own.pk},
        "desk_patrons": [p.card_number for p in patrons[:DESKS]],
    }


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
