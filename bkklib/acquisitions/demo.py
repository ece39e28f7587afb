"""Demo procurement for fiscal year 2569 (1 Oct 2568 – 30 Sep 2569): vendors, funds of six demo branches,
readers' suggestions, orders at every step (selection list, approved, ordered and partly received and late,
received and invoiced, cancelled) and donations.

Deterministic and idempotent; names carry ``(ข้อมูลสาธิต)`` and rows are ``is_demo``. Everything is made
through the services, so the funds' ledgers add up as real ones do.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from stdnum.th import tin

from bkklib.catalog.models import ItemType, Record
from bkklib.circulation.models import Patron
from bkklib.network.models import Branch

from . import rules, services
from .models import Fund, Order, Request, Vendor

LABEL = "(ข้อมูลสาธิต)"
YEAR = 2569
BKK = ZoneInfo("Asia/Bangkok")
VENDORS = [
    ("บริษัท ศูนย์หนังสือสาธิต จำกัด", "010553600001", 15, "ส่งของภายใน 15 วัน ชำระเงินภายใน 30 วันหลังตรวจรับ"),
    ("ห้างหุ้นส่วนจำกัด ร้านหนังสือเด็กสาธิต", "010353600002", 30, "ส่งของภายใน 30 วัน รวมค่าขนส่ง"),
    ("บริษัท สำนักพิมพ์ทดลอง จำกัด", "010553600003", 21, "ส่วนลด 25 % ส่งของภายใน 21 วัน"),
]
SUGGESTIONS = ["ประวัติศาสตร์ชุมชนริมคลอง", "คู่มือปลูกผักบนดาดฟ้า", "นิยายภาพสำหรับวัยรุ่น", "ภาษาอังกฤษเพื่อการท่องเที่ยว",
               "การเงินส่วนบุคคลฉบับเริ่มต้น", "หนังสือภาพสัตว์ป่าเมืองไทย"]


def _tax_id(stem: str) -> str:
    """A valid Thai tax ID from a 12-digit stem (the first check digit that validates)."""
    return next(stem + str(d) for d in range(10) if tin.is_valid(stem + str(d)))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), BKK)


def run(stdout=None, scale: float = 1.0) -> None:
    """Create the demo procurement of fiscal year 2569 unless it is already there."""
    if Vendor.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write(f"  acquisitions: {Order.objects.filter(is_demo=True).count()} demo orders already there")
        return
    branches = list(Branch.objects.filter(is_demo=True, status=Branch.Status.OPEN).order_by("code")[:6])
    records = list(Record.objects.filter(is_demo=True).order_by("pk")[:40])
    if not branches or not ItemType.objects.exists():
        if stdout:
            stdout.write("  acquisitions: no demo branches or item types; skipped")
        return
    with transaction.atomic():
        vendors = [services.save_vendor(name=f"{name} {LABEL}", tax_id=_tax_id(stem), delivery_days=days, terms=terms,
                                       contact_name="ฝ่ายขายราชการ", phone="02-000-0000", is_demo=True)
                   for name, stem, days, terms in VENDORS]
        funds = {}
        start = _at(date(2025, 10, 1))
        for i, branch in enumerate(branches):
            budget = Decimal(150000 if i == 0 else 60000) * Decimal(str(max(scale, 0.1)))
            funds[branch.pk] = (
                services.create_fund(year=YEAR, branch=branch, code="books", name=f"ค่าหนังสือทั่วไป {LABEL}",
                                     budget=rules.money(budget), now=start),
                services.create_fund(year=YEAR, branch=branch, code="children", name=f"ค่าหนังสือเด็ก {LABEL}",
                                     budget=rules.money(budget / 3), now=start))
        Fund.objects.filter(fiscal_year__year=YEAR, branch__in=branches).update(is_demo=True)
        patrons = list(Patron.objects.filter(is_demo=True, status=Patron.Status.ACTIVE).order_by("pk")[:6])
        requests = []
        for n, title in enumerate(SUGGESTIONS):
            if not patrons:
                break
            patron = patrons[n % len(patrons)]
            request = services.suggest(patron=patron, title=f"{title} {LABEL}", author="ผู้เขียนสาธิต",
                                       branch=branches[n % len(branches)], now=_at(date(2025, 10, 10 + n)))
            requests.append(request)
        Request.objects.filter(pk__in=[r.pk for r in requests]).update(is_demo=True)
        if len(requests) >= 6:
            services.decide_request(request=requests[5], accept=False, reason="มีในห้องสมุดแล้ว 3 เล่ม",
                                    now=_at(date(2025, 10, 20)))
        made = _orders(vendors, branches, funds, records, requests)
        _donations(branches)
    if stdout:
        stdout.write(f"  acquisitions: {len(vendors)} vendors, {len(funds) * 2} funds, {made} orders for FY {YEAR}")


def _order(vendor, branch, funds, records, titles, *, day: date, request=None):
    order = services.create_order(vendor=vendor, branch=branch, year=YEAR, now=_at(day),
                                  note=f"ใบสั่งซื้อสาธิต {LABEL}")
    general, children = funds
    for n, (record, quantity, price) in enumerate(titles):
        fund = children if n % 3 == 2 else general
        services.add_line(order=order, record=record, quantity=quantity, unit_price=Decimal(price),
                          discount_pct=Decimal("15"), allocations=[(branch, fund, "GEN" if fund == general else "CHILD",
                                                                    quantity)],
                          request=request if n == 0 else None)
    Order.objects.filter(pk=order.pk).update(is_demo=True)
    return order


def _orders(vendors, branches, funds, records, requests) -> int:
    if len(records) < 12:
        return 0
    main = branches[0]
    made = 0
    # Received in full, catalogued, invoiced.
    done = _order(vendors[0], main, funds[main.pk], records, [(records[0], 2, "320"), (records[1], 1, "450"),
                                                              (records[2], 3, "180")], day=date(2025, 11, 3),
                  request=requests[0] if requests else None)
    services.approve_order(order=done, now=_at(date(2025, 11, 4)))
    services.place_order(order=done, now=_at(date(2025, 11, 5)))
    services.receive(order=done, counts={line.pk: rules.Inspection(received=line.quantity) for line in done.lines.all()},
                     received_on=date(2025, 11, 18), now=_at(date(2025, 11, 18)))
    services.shelve(copies=[c for line in done.lines.all() for c in line.copies.all()], now=_at(date(2025, 12, 2)))
    services.record_invoice(order=done, number="INV-2568-0112", invoiced_on=date(2025, 11, 20),
                            now=_at(date(2025, 12, 10)))
    made += 1
    # Ordered, partly received (short and damaged), late, claimed.
    late = _order(vendors[1], main, funds[main.pk], records, [(records[3], 4, "250"), (records[4], 2, "390")],
                  day=date(2026, 1, 12), request=requests[1] if len(requests) > 1 else None)
    services.approve_order(order=late, now=_at(date(2026, 1, 13)))
    services.place_order(order=late, now=_at(date(2026, 1, 14)))
    first, second = late.lines.order_by("pk")
    services.receive(order=late, counts={first.pk: rules.Inspection(received=2, short=1, damaged=1),
                                         second.pk: rules.Inspection(short=2)},
                     received_on=date(2026, 2, 20), now=_at(date(2026, 2, 20)))
    services.claim(order=late, today=date(2026, 2, 23), note="ทวงถามเล่มที่ขาดส่งและชำรุด")
    made += 1
    # At every other branch: one order sent, awaiting delivery.
    for i, branch in enumerate(branches[1:], start=1):
        order = _order(vendors[i % len(vendors)], branch, funds[branch.pk], records,
                       [(records[4 + i], 2, "280"), (records[5 + i], 1, "350")], day=date(2026, 3, i + 1))
        services.approve_order(order=order, now=_at(date(2026, 3, i + 2)))
        services.place_order(order=order, now=_at(date(2026, 3, i + 3)), expected_by=date(2026, 10, 30))
        made += 1
    # Approved, not sent yet; a selection list; a cancelled order.
    approved = _order(vendors[2], main, funds[main.pk], records, [(records[10], 5, "199")], day=date(2026, 6, 1))
    services.approve_order(order=approved, now=_at(date(2026, 6, 2)))
    _order(vendors[0], main, funds[main.pk], records, [(records[11], 2, "420")], day=date(2026, 8, 3),
           request=requests[2] if len(requests) > 2 else None)
    cancelled = _order(vendors[2], main, funds[main.pk], records, [(records[9], 3, "300")], day=date(2026, 4, 1))
    services.approve_order(order=cancelled, now=_at(date(2026, 4, 2)))
    services.place_order(order=cancelled, now=_at(date(2026, 4, 3)))
    services.cancel_copies(order=cancelled, reason="ผู้ขายแจ้งว่าหนังสือหมด", now=_at(date(2026, 4, 20)))
    return made + 3


def _donations(branches) -> None:
    main = branches[0]
    given = services.record_donation(branch=main, donor_name=f"คุณสมศักดิ์ ใจบุญ {LABEL}", count=40,
                                     received_on=date(2026, 1, 9), condition="good",
                                     description="หนังสือนวนิยายและสารคดี")
    services.decide_donation(donation=given, accepted_count=32, note="ชำรุด 8 เล่ม ส่งต่อให้บ้านหนังสือ")
    services.record_donation(branch=branches[-1], donor_name=f"ชมรมผู้ปกครอง {LABEL}", count=15,
                             received_on=date(2026, 8, 20), condition="new", description="หนังสือภาพสำหรับเด็ก")
    from .models import Donation

    Donation.objects.filter(donor_name__endswith=LABEL).update(is_demo=True)
