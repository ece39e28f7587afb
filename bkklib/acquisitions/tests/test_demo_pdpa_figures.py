"""Demo data for fiscal year 2569 (idempotent, ledgers add up), the PDPA hooks, dashboard figures and the
branch fact sheet section."""
from datetime import date, timedelta
from io import StringIO

import pytest

from bkklib.acquisitions import branchfacts, demo, indicators, pdpa, rules, services
from bkklib.acquisitions.models import Donation, Fund, Order, OrderCopy, Request
from bkklib.catalog.tests.factories import ItemTypeFactory, RecordFactory
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.network.tests.factories import BranchFactory

from .conftest import NOW
from .helpers import placed_order
from .test_money import assert_ledger_matches


@pytest.mark.django_db
def test_demo_makes_fiscal_year_2569_at_every_step_and_is_idempotent():
    ItemTypeFactory(code="book", name_th="หนังสือ")
    branches = [BranchFactory(is_demo=True) for _ in range(3)]
    for n in range(14):
        RecordFactory(title=f"หนังสือสาธิต {n}", is_demo=True)
    for _ in range(4):
        PatronFactory(is_demo=True, home_branch=branches[0])
    out = StringIO()
    demo.run(stdout=out)
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"selection", "approved", "ordered", "closed", "cancelled"} <= statuses
    assert all(o.fiscal_year.year == 2569 and o.is_demo for o in Order.objects.all())
    assert OrderCopy.objects.filter(status="received", invoice__isnull=False).exists()
    assert Request.objects.filter(status="on_shelf").exists() and Request.objects.filter(status="declined").exists()
    assert Donation.objects.filter(status="accepted").exists()
    for fund in Fund.objects.all():
        assert_ledger_matches(fund)
        assert "(ข้อมูลสาธิต)" in fund.name
    count = Order.objects.count()
    demo.run(stdout=out)
    assert Order.objects.count() == count and "already there" in out.getvalue()


def test_a_patrons_suggestions_are_exported_and_unlinked_on_erasure(site):
    services.suggest(patron=site.patron, title="หนังสือที่ขอ", note="อยากอ่าน", now=NOW)
    exported = pdpa.export_patron(site.patron)
    assert exported["purchase_suggestions"][0]["title"] == "หนังสือที่ขอ"
    pdpa.erase_patron(site.patron, now=NOW)
    request = Request.objects.get()
    assert request.patron is None and request.note == "" and request.title == "หนังสือที่ขอ"


def test_closed_suggestions_are_unlinked_after_a_year_and_donor_contacts_after_two(site):
    request = services.suggest(patron=site.patron, title="เล่มเก่า", now=NOW)
    services.decide_request(request=request, accept=False, reason="เลิกพิมพ์", now=NOW)
    open_one = services.suggest(patron=site.patron, title="ยังรอ", now=NOW)
    services.record_donation(branch=site.branch, donor_name="ผู้ให้", donor_contact="081-000-0000", count=1,
                             received_on=NOW.date())
    assert pdpa.forget_old(now=NOW + timedelta(days=300)) == 0
    assert pdpa.forget_old(now=NOW + timedelta(days=800)) == 2
    request.refresh_from_db()
    open_one.refresh_from_db()
    assert request.patron is None and open_one.patron_id == site.patron.pk
    assert Donation.objects.get().donor_contact == ""


def test_dashboard_figures_count_suggestions_receipts_and_spending_per_branch(site):
    order = placed_order(site, lines=((2, "100"),))
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=2)}, now=NOW)
    services.record_invoice(order=order, number="I-1", invoiced_on=NOW.date(), now=NOW)
    services.suggest(patron=site.patron, title="เสนอ", now=NOW)
    day = NOW.date()
    assert [(f.value, f.branch_id) for f in indicators.copies_received(day)] == [(2, site.branch.pk)]
    assert [(f.value, f.branch_id) for f in indicators.spent(day)] == [(200, site.branch.pk)]
    from django.utils import timezone

    assert indicators.suggestions(timezone.localdate())[0].value == 1  # stamped when made
    assert indicators.copies_received(day + timedelta(days=1)) == []


def test_the_branch_fact_sheet_shows_the_years_budget_and_late_copies(site):
    placed_order(site, lines=((2, "100"),))
    section = branchfacts.procurement(site.branch, today=date(2026, 1, 31))
    values = {f.label: f.value for f in section.facts}
    assert values["งบประมาณจัดซื้อหนังสือ ปีงบประมาณ 2569"] == "15,000.00"
    assert any(f.warning for f in section.facts)  # the copies due 18 Nov 2568 are late
    assert branchfacts.procurement(site.other, today=date(2026, 1, 31)) is None
