"""Bad input is refused with a specific Thai message and nothing is stored."""
from decimal import Decimal

import pytest
from django.utils import translation

from bkklib.acquisitions import services
from bkklib.acquisitions.exceptions import AcquisitionRefused, BadInput
from bkklib.acquisitions.models import FundEntry, Order, OrderCopy, OrderLine, Vendor
from bkklib.catalog.models import Record

from .conftest import NOW


@pytest.fixture
def order(site):
    return services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)


@pytest.mark.parametrize(("fields", "code", "thai"), [
    ({"unit_price": Decimal("-10")}, "negative_price", "ราคาต่อหน่วยติดลบไม่ได้"),
    ({"vat_pct": Decimal("107")}, "bad_vat", "ภาษีมูลค่าเพิ่มต้องอยู่ระหว่าง 0 ถึง 100 %"),
    ({"discount_pct": Decimal("120")}, "bad_discount", "ส่วนลดต้องอยู่ระหว่าง 0 ถึง 100 %"),
])
def test_a_bad_price_is_refused_in_thai_and_no_line_or_record_is_stored(site, order, fields, code, thai):
    args = {"unit_price": Decimal("100"), **fields}
    records = Record.objects.count()
    with pytest.raises(AcquisitionRefused) as refused:
        services.add_line(order=order, title="หนังสือ", quantity=1, allocations=[(site.branch, site.fund, "", 1)],
                          **args)
    assert refused.value.code == code
    with translation.override("th"):
        assert thai in refused.value.text
    assert OrderLine.objects.count() == 0 and OrderCopy.objects.count() == 0 and Record.objects.count() == records


def test_an_order_on_a_closed_fiscal_year_is_refused_in_thai(site):
    services.close_year(year=2569, rule="nothing", now=NOW)
    with pytest.raises(AcquisitionRefused) as refused:
        services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)
    assert refused.value.code == "year_closed"
    with translation.override("th"):
        assert refused.value.text.startswith("ปีงบประมาณ 2569 ปิดแล้ว")
    assert Order.objects.count() == 0


def test_a_line_on_an_order_of_a_year_closed_since_is_refused(site, order):
    services.close_year(year=2569, rule="nothing", now=NOW)
    with pytest.raises(AcquisitionRefused):
        services.add_line(order=order, title="หนังสือ", quantity=1, unit_price=Decimal("100"),
                          allocations=[(site.branch, site.fund, "", 1)])
    assert OrderLine.objects.count() == 0


def test_copies_must_add_up_to_the_quantity_and_funds_must_be_of_the_orders_year(site, order):
    with pytest.raises(BadInput):
        services.add_line(order=order, title="หนังสือ", quantity=3, unit_price=Decimal("100"),
                          allocations=[(site.branch, site.fund, "", 2)])
    later = services.create_fund(year=2570, branch=site.branch, code="books", name="ค่าหนังสือ 2570", budget=100,
                                 now=NOW)
    with pytest.raises(BadInput) as refused:
        services.add_line(order=order, title="หนังสือ", quantity=1, unit_price=Decimal("100"),
                          allocations=[(site.branch, later, "", 1)])
    assert refused.value.field == "fund"
    assert OrderLine.objects.count() == 0


def test_a_vendor_with_a_wrong_tax_id_check_digit_is_refused_in_thai(site):
    with pytest.raises(BadInput) as refused, translation.override("th"):
        services.save_vendor(name="ร้านผิด", tax_id="0994000165578")
    assert refused.value.field == "tax_id"
    with translation.override("th"):
        assert "เลขประจำตัวผู้เสียภาษี" in refused.value.text
    assert Vendor.objects.count() == 1


def test_a_failed_commit_in_the_middle_of_an_order_stores_no_commitment(site, order):
    services.add_line(order=order, title="เล่มแรก", quantity=1, unit_price=Decimal("4000"),
                      allocations=[(site.branch, site.fund_b, "", 1)])
    services.add_line(order=order, title="เล่มสอง", quantity=1, unit_price=Decimal("4000"),
                      allocations=[(site.branch, site.fund_b, "", 1)])
    services.approve_order(order=order, now=NOW)
    before = FundEntry.objects.count()
    with pytest.raises(AcquisitionRefused):
        services.place_order(order=order, now=NOW)
    site.fund_b.refresh_from_db()
    assert site.fund_b.committed == 0 and FundEntry.objects.count() == before
    assert set(OrderCopy.objects.values_list("status", flat=True)) == {"planned"}
