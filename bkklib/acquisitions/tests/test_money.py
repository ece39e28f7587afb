"""Ordering commits money, cancelling releases it, invoicing spends it; splits across funds; the ledger of
entries always equals the fund's figures (property-tested through the real services)."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bkklib.acquisitions import rules, services
from bkklib.acquisitions.exceptions import AcquisitionRefused
from bkklib.acquisitions.models import Fund, FundEntry, OrderCopy

from .conftest import NOW
from .helpers import placed_order


def ledger(fund: Fund) -> dict[str, Decimal]:
    sums = dict(FundEntry.objects.filter(fund=fund).values_list("kind").annotate(total=Sum("amount")))
    get = lambda k: sums.get(k) or Decimal(0)  # noqa: E731
    return {
        "budget": get("allocate") + get("transfer_in") - get("transfer_out") + get("rollover_in")
        - get("rollover_out"),
        "committed": get("commit") - get("release") - get("spend"),
        "spent": get("spend"),
        "overdraft": get("override"),
    }


def assert_ledger_matches(fund: Fund) -> None:
    fund.refresh_from_db()
    assert ledger(fund) == {"budget": fund.budget, "committed": fund.committed, "spent": fund.spent,
                            "overdraft": fund.overdraft}


def test_placing_an_order_commits_each_copy_cost_to_its_fund(site):
    placed_order(site, lines=((3, "350"), (1, "99.50")))
    site.fund.refresh_from_db()
    assert site.fund.committed == Decimal("1149.50")
    assert site.fund.free == Decimal("8850.50")
    assert_ledger_matches(site.fund)


def test_a_line_split_across_two_funds_commits_to_each_its_share(site):
    order = placed_order(site, lines=((4, "200"),), split=True)
    site.fund.refresh_from_db()
    site.fund_b.refresh_from_db()
    assert (site.fund.committed, site.fund_b.committed) == (Decimal("400.00"), Decimal("400.00"))
    branches = sorted(OrderCopy.objects.filter(line__order=order).values_list("branch__name_th", flat=True))
    assert branches.count(site.other.name_th) == 2


def test_cancelling_releases_exactly_the_cancelled_copies(site):
    order = placed_order(site, lines=((3, "100"), (2, "250")))
    one = OrderCopy.objects.filter(line__order=order, line__unit_price=Decimal("250")).first()
    services.cancel_copies(order=order, copies=[one.pk], reason="ผู้ขายแจ้งหนังสือหมด", now=NOW)
    site.fund.refresh_from_db()
    assert site.fund.committed == Decimal("550.00")
    services.cancel_copies(order=order, reason="ยกเลิกทั้งใบสั่งซื้อ", now=NOW)
    site.fund.refresh_from_db()
    order.refresh_from_db()
    assert site.fund.committed == 0 and site.fund.free == site.fund.budget
    assert order.status == "cancelled"
    assert_ledger_matches(site.fund)


def test_partial_receipt_then_cancel_releases_only_what_was_not_received(site):
    order = placed_order(site, lines=((5, "120"),))
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=2, short=3)}, now=NOW)
    services.cancel_copies(order=order, reason="ผู้ขายส่งไม่ครบ", now=NOW)
    site.fund.refresh_from_db()
    order.refresh_from_db()
    assert site.fund.committed == Decimal("240.00")  # the two received copies stay committed until invoiced
    assert order.status == "closed"
    services.record_invoice(order=order, number="INV-001", invoiced_on=date(2025, 11, 20), now=NOW)
    site.fund.refresh_from_db()
    assert (site.fund.committed, site.fund.spent) == (Decimal(0), Decimal("240.00"))
    assert_ledger_matches(site.fund)


def test_a_fund_cannot_be_overcommitted_without_a_recorded_override(site):
    order = services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)
    services.add_line(order=order, title="สารานุกรมชุดใหญ่", quantity=1, unit_price=Decimal("12000"),
                      allocations=[(site.branch, site.fund, "REF", 1)])
    services.approve_order(order=order, now=NOW)
    with pytest.raises(AcquisitionRefused) as refused:
        services.place_order(order=order, now=NOW)
    assert refused.value.code == "insufficient_funds"
    assert "ค่าหนังสือ" in refused.value.text and "10000.00" in refused.value.text
    site.fund.refresh_from_db()
    assert site.fund.committed == 0 and not FundEntry.objects.filter(kind="commit").exists()
    services.allow_overdraft(fund=site.fund, amount=Decimal("2000"), reason="อนุมัติเกินงบตามบันทึกที่ 12/2569",
                             by=site.admin, now=NOW)
    services.place_order(order=order, now=NOW)
    site.fund.refresh_from_db()
    assert site.fund.free == Decimal("-2000.00")
    assert FundEntry.objects.get(kind="override").reason.startswith("อนุมัติเกินงบ")
    assert_ledger_matches(site.fund)


def test_the_database_refuses_a_fund_below_zero_beyond_its_override(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=site.fund.pk).update(committed=Decimal("10000.01"))


def test_a_transfer_needs_a_reason_and_moves_only_free_money(site):
    from bkklib.acquisitions.exceptions import BadInput

    with pytest.raises(BadInput):
        services.transfer(source=site.fund, target=site.fund_b, amount=Decimal("100"), reason=" ", now=NOW)
    with pytest.raises(AcquisitionRefused) as refused:
        services.transfer(source=site.fund_b, target=site.fund, amount=Decimal("5000.01"), reason="ย้ายงบ", now=NOW)
    assert refused.value.code == "transfer_exceeds_free"
    services.transfer(source=site.fund, target=site.fund_b, amount=Decimal("1500"), reason="เพิ่มงบหนังสือเด็ก",
                      by=site.admin, now=NOW)
    site.fund.refresh_from_db()
    site.fund_b.refresh_from_db()
    assert (site.fund.budget, site.fund_b.budget) == (Decimal("8500.00"), Decimal("6500.00"))
    assert_ledger_matches(site.fund)
    assert_ledger_matches(site.fund_b)


def test_closing_the_year_carries_open_copies_with_their_money_into_next_years_fund(site):
    order = placed_order(site, lines=((3, "100"),))
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=1, short=2)}, now=NOW)
    services.close_year(year=2569, rule="commitments_and_free", by=site.admin, now=NOW)
    site.fund.refresh_from_db()
    new = Fund.objects.get(fiscal_year__year=2570, branch=site.branch, code="books")
    assert new.committed == Decimal("200.00")
    assert new.budget == Decimal("200.00") + Decimal("9700.00")
    assert (site.fund.committed, site.fund.free) == (Decimal("100.00"), Decimal(0))
    assert set(OrderCopy.objects.filter(status="ordered").values_list("fund", flat=True)) == {new.pk}
    assert_ledger_matches(site.fund)
    assert_ledger_matches(new)
    with pytest.raises(AcquisitionRefused) as refused:
        services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)
    assert refused.value.code == "year_closed"


def test_orders_take_the_fiscal_year_of_their_bangkok_date(site):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    bkk = ZoneInfo("Asia/Bangkok")
    last = services.create_order(vendor=site.vendor, branch=site.branch, now=datetime(2026, 9, 30, 23, 59, tzinfo=bkk))
    first = services.create_order(vendor=site.vendor, branch=site.branch, now=datetime(2026, 9, 30, 17, 1,
                                                                                        tzinfo=ZoneInfo("UTC")))
    assert last.fiscal_year.year == 2569 and last.number.startswith("PO-2569-")
    assert first.fiscal_year.year == 2570  # 00:01 on 1 Oct in Bangkok


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(lines=st.lists(st.tuples(st.integers(min_value=1, max_value=4),
                                st.decimals(min_value=Decimal("0"), max_value=Decimal("900"), places=2)),
                      min_size=1, max_size=3),
       received=st.lists(st.integers(min_value=0, max_value=4), min_size=3, max_size=3),
       cancel_rest=st.booleans(), invoice=st.booleans())
def test_any_order_receipt_cancel_and_invoice_keeps_every_fund_adding_up(site, lines, received, cancel_rest,
                                                                         invoice):
    sid = transaction.savepoint()
    try:
        order = placed_order(site, lines=[(q, str(p)) for q, p in lines], split=True)
        counts = {}
        expected_received = Decimal(0)
        for line, n in zip(order.lines.order_by("pk"), received, strict=False):
            n = min(n, line.quantity)
            if n:
                counts[line.pk] = rules.Inspection(received=n)
                expected_received += sum(c.cost for c in line.copies.order_by("copy_no")
                                         .filter(status="ordered")[:n])
        if counts:
            services.receive(order=order, counts=counts, now=NOW)
        order.refresh_from_db()
        if cancel_rest and order.status == "ordered":
            services.cancel_copies(order=order, reason="ทดสอบ", now=NOW)
        if invoice and counts:
            services.record_invoice(order=order, number="INV", invoiced_on=date(2025, 12, 1), now=NOW)
        total = Decimal(0)
        for fund in (site.fund, site.fund_b):
            assert_ledger_matches(fund)
            fund.refresh_from_db()
            total += fund.committed + fund.spent
            assert fund.free >= 0
        all_costs = sum((c.cost for c in OrderCopy.objects.filter(line__order=order)), Decimal(0))
        assert total == (expected_received if cancel_rest else all_costs)
        if invoice and counts:
            assert site.fund.spent + site.fund_b.spent == expected_received
    finally:
        transaction.savepoint_rollback(sid)
