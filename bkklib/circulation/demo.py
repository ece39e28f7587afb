"""Demo circulation for ``bkklib seed_demo``: patrons, policies, loans, holds and fines (all synthetic).

Runs after the network's and the catalog's demo data. Deterministic (a fixed seed), idempotent (a
second run adds nothing) and fast: rows are bulk-created (with their audit history), not pushed
through the desk verbs one by one. Every patron is labelled ``(ข้อมูลสาธิต)`` and ``is_demo``.

Demo cards: ``2900000000001`` … ``2900000005000`` (see docs/admin/circulation.md); the first few
have something to show at the desk (loans due soon and overdue, a hold on the shelf, fines).
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bkklib.catalog import indexing
from bkklib.catalog.models import Item
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch

from . import notices, rules
from .models import Consent, Fine, Hold, Loan, LoanPolicy, Patron, PatronCategory
from .services.patrons import luhn_digit

LABEL = "(ข้อมูลสาธิต)"
SEED = 2568
DEMO_PIN = "2568"
PATRONS = 5000
FIRST_TH = ["สมชาย", "สมหญิง", "วิไล", "ประเสริฐ", "มาลี", "กมล", "ธนพร", "ณัฐวุฒิ", "ปิยะนุช", "อนุชา", "จันทร์เพ็ญ",
            "สุภาพร", "วีระ", "พิมพ์ชนก", "ชัยวัฒน์", "กาญจนา", "ศุภชัย", "นภัสสร", "ธีรพงษ์", "อรุณี"]
FIRST_EN = ["Somchai", "Somying", "Wilai", "Prasert", "Malee", "Kamon", "Thanaporn", "Nattawut", "Piyanuch", "Anucha",
            "Janpen", "Supaporn", "Weera", "Pimchanok", "Chaiwat", "Kanchana", "Supachai", "Napatsorn", "Teerapong",
            "Arunee"]
LAST_TH = ["ใจดี", "รักเรียน", "ศรีสุข", "บุญมา", "แสงทอง", "มั่นคง", "พูลสวัสดิ์", "วงศ์ไทย", "ทองดี", "สายบุญ"]
LAST_EN = ["Jaidee", "Rakrian", "Srisuk", "Boonma", "Saengthong", "Mankong", "Poonsawat", "Wongthai", "Thongdee",
           "Saiboon"]
CATEGORY_WEIGHTS = {"child": 12, "student": 30, "adult": 38, "senior": 14, "staff": 4, "institution": 2}
AGES = {"child": (3, 11), "student": (12, 22), "adult": (23, 59), "senior": (60, 85), "staff": (25, 58),
        "institution": None}


def demo_card(n: int) -> str:
    """Return the card number of demo patron ``n`` (1-based): ``29`` + 10 digits + a Luhn digit."""
    body = f"29{n:010d}"
    return body + luhn_digit(body)


def _thai_id(n: int) -> str:
    body = f"3{n:011d}"
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
    return body + str(check)


def run(stdout=None, scale: float = 1.0) -> None:
    """Create the demo circulation unless it is already there."""
    notices.ensure_templates()
    if Patron.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write(f"  circulation: {Patron.objects.filter(is_demo=True).count()} demo patrons already there")
        return
    branches = list(Branch.objects.filter(is_demo=True).order_by("code")) or list(Branch.objects.order_by("code"))
    if not branches:
        if stdout:
            stdout.write("  circulation: no branches yet (run the network demo first); nothing added")
        return
    with transaction.atomic():
        counts = _build(branches, max(50, int(PATRONS * scale)))
    if stdout:
        stdout.write("  circulation: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        stdout.write(f"  circulation: demo cards {demo_card(1)} … {demo_card(10)} (PIN {DEMO_PIN} on the public site)")


def _policies(branches: list[Branch]) -> None:
    city = next((b for b in branches if b.kind == Branch.Kind.CITY_LIBRARY), None)
    if city and not LoanPolicy.objects.filter(branch=city, category=None, item_type=None).exists():
        LoanPolicy.objects.create(branch=city, loan_days=21, max_loans=15, note=f"หอสมุดเมือง ยืมได้ 21 วัน {LABEL}")
    senior = PatronCategory.objects.filter(code="senior").first()
    if senior and not LoanPolicy.objects.filter(branch=None, category=senior, item_type=None).exists():
        LoanPolicy.objects.create(category=senior, loan_days=21, fine_per_day=Decimal("0"), max_fine=Decimal("0"),
                                  note=f"ผู้สูงอายุ ไม่มีค่าปรับ {LABEL}")


def _build(branches: list[Branch], how_many: int) -> dict:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate(now)
    _policies(branches)
    categories = {c.code: c for c in PatronCategory.objects.all()}
    codes = [c for c in CATEGORY_WEIGHTS if c in categories]
    weights = [CATEGORY_WEIGHTS[c] for c in codes]
    lending = [b for b in branches if b.kind != Branch.Kind.OFFICE] or branches

    patrons = []
    for n in range(1, how_many + 1):
        code = "adult" if n <= 10 else rng.choices(codes, weights)[0]
        ages = AGES[code]
        birth = None if ages is None else today - timedelta(days=365 * rng.randint(*ages) + rng.randint(0, 364))
        i, j = rng.randrange(len(FIRST_TH)), rng.randrange(len(LAST_TH))
        institution = ages is None
        patrons.append(Patron(
            card_number=demo_card(n), status=Patron.Status.ACTIVE, category=categories[code],
            home_branch=rng.choice(lending),
            first_name_th=f"โรงเรียนสาธิต {n}" if institution else FIRST_TH[i],
            last_name_th=LABEL if institution else f"{LAST_TH[j]} {LABEL}",
            first_name_en=f"Demo school {n}" if institution else FIRST_EN[i],
            last_name_en="(demo)" if institution else f"{LAST_EN[j]} (demo)",
            id_type=Patron.IdType.OTHER if institution else Patron.IdType.THAI_ID,
            national_id="" if institution else _thai_id(700000 + n),
            other_document="หนังสือรับรองหน่วยงาน (สาธิต)" if institution else "",
            birth_date=birth, phone=f"08{n:08d}", email=f"patron{n}@demo.bkklib.invalid",
            card_expires_on=today + timedelta(days=rng.randint(-30, 700)) if n > 10 else today + timedelta(days=365),
            keeps_loan_history=rng.random() < 0.2, is_demo=True, approved_at=now,
            notice_channels=["email"],
        ))
    # The first ten demo cards sign in to the public site with PIN 2568 (one hash, shared: demo only).
    demo_pin = make_password(DEMO_PIN)
    for patron in patrons[:10]:
        patron.pin_hash = demo_pin
    # Children need a guardian: the adult demo patrons take that role.
    bulk_create_with_history(patrons, Patron, batch_size=1000, default_change_reason="demo data")
    saved = list(Patron.objects.filter(is_demo=True).select_related("category").order_by("card_number"))
    adults = [p for p in saved if p.category.code == "adult"]
    wards = []
    for p in saved:
        if p.category.requires_guardian:
            p.guardian = rng.choice(adults)
            wards.append(p)
    Patron.objects.bulk_update(wards, ["guardian"], batch_size=1000)
    # A few pending online registrations for the approval page.
    pending = saved[-5:]
    Patron.objects.filter(pk__in=[p.pk for p in pending]).update(status=Patron.Status.PENDING, registered_online=True,
                                                                 approved_at=None)
    Consent.objects.bulk_create([
        Consent(patron=p, channel=Consent.Channel.DESK, given_at=now,
                given_by_guardian=p.guardian if p.category.requires_guardian else None,
                purposes=["membership", "notices"] + (["loan_history"] if p.keeps_loan_history else []))
        for p in saved
    ], batch_size=2000)

    staff = get_user_model().objects.filter(username="librarian").first()
    items = list(Item.objects.filter(is_demo=True, status=Item.Status.AVAILABLE).select_related("item_type")
                 .order_by("pk")[: max(40, how_many // 2)])
    counts = {"patrons": len(saved), "loans": 0, "returned loans": 0, "holds": 0, "fines": 0}
    if not items:
        return counts
    borrowers = [p for p in saved if p.status == Patron.Status.ACTIVE and p.card_expires_on >= today]
    checkers: dict[int, object] = {}

    def is_open_at(branch: Branch):
        if branch.pk not in checkers:
            checkers[branch.pk] = network_queries.open_day_checker(branch, today - timedelta(days=120),
                                                                   today + timedelta(days=120))
        return checkers[branch.pk]

    loans, on_loan_items, touched_records = [], [], set()
    for index, item in enumerate(items):
        # The first demo cards get a full desk screen: several loans, some overdue.
        patron = borrowers[index % 10] if index < 40 else rng.choice(borrowers)
        branch = item.branch if rng.random() < 0.7 else rng.choice(lending)
        lent_days_ago = rng.randint(0, 40)
        returned = index >= 40 and rng.random() < 0.3
        start = today - timedelta(days=lent_days_ago)
        try:
            due = rules.due_date(start=start, loan_days=14, is_open=is_open_at(branch))
        except ValueError:
            continue
        checked_out_at = timezone.make_aware(datetime.combine(start, time(10, rng.randint(0, 59))))
        loan = Loan(item=item, patron=patron, branch=branch, checked_out_at=checked_out_at, checked_out_by=staff,
                    due_on=due, fine_per_day=Decimal("5"), max_fine=Decimal("100"), item_type_id=item.item_type_id,
                    patron_category_id=patron.category_id, age_band=rules.age_band(patron.birth_date, today))
        if returned:
            back = min(today, start + timedelta(days=rng.randint(3, 30)))
            loan.returned_at = timezone.make_aware(datetime.combine(back, time(15, 0)))
            loan.end_reason, loan.returned_branch, loan.returned_by = Loan.EndReason.RETURNED, branch, staff
        else:
            on_loan_items.append(item.pk)
            touched_records.add(item.record_id)
        loans.append(loan)
    bulk_create_with_history(loans, Loan, batch_size=1000, default_change_reason="demo data")
    Item.objects.filter(pk__in=on_loan_items).update(status=Item.Status.ON_LOAN, status_changed_at=now)
    counts["loans"], counts["returned loans"] = len(on_loan_items), len(loans) - len(on_loan_items)

    # Overdue fines on the late returns, capped like the desk does.
    saved_loans = Loan.objects.ended().filter(patron__is_demo=True).select_related("branch")
    fines = []
    for loan in saved_loans:
        amount = rules.overdue_fine(due_on=loan.due_on, returned_on=timezone.localdate(loan.returned_at),
                                    fine_per_day=loan.fine_per_day, max_fine=loan.max_fine, grace_days=0,
                                    is_open=is_open_at(loan.branch))
        if amount > 0:
            fines.append(Fine(patron_id=loan.patron_id, kind=Fine.Kind.OVERDUE, loan=loan, item_id=loan.item_id,
                              branch=loan.branch, amount=amount, cap=loan.max_fine, created_at=loan.returned_at,
                              created_by=staff, description=f"ค่าปรับเกินกำหนด {LABEL}"))
    fines.append(Fine(patron=borrowers[0], kind=Fine.Kind.DAMAGED, branch=borrowers[0].home_branch,
                      amount=Decimal("40"), created_at=now, created_by=staff, description=f"ปกหนังสือขาด {LABEL}"))
    bulk_create_with_history(fines, Fine, batch_size=1000, default_change_reason="demo data")
    counts["fines"] = len(fines)

    # Holds: patrons queue for titles that are all out, a few at each pickup branch.
    by_record = defaultdict(int)
    holds = []
    for record_id in sorted(touched_records)[: max(10, how_many // 20)]:
        for _ in range(rng.randint(1, 3)):
            patron = rng.choice(borrowers[10:])
            by_record[record_id] += 1
            holds.append(Hold(record_id=record_id, patron=patron, pickup_branch=patron.home_branch,
                              position=by_record[record_id], placed_at=now - timedelta(hours=rng.randint(1, 200))))
    seen = set()
    holds = [h for h in holds if (h.patron_id, h.record_id) not in seen and not seen.add((h.patron_id, h.record_id))]
    bulk_create_with_history(holds, Hold, batch_size=1000, default_change_reason="demo data")
    counts["holds"] = len(holds)
    # Keep the catalog's availability facet true to the loans just made.
    records = sorted(touched_records)
    for start in range(0, len(records), 500):
        indexing.reindex(records[start:start + 500])
    return counts
