"""Staff pages (orders, funds, vendors, requests, donations, report with XLSX and PDF) and the patron's
suggestions page and account section; branch scoping; forms and service agree on bad input."""
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bkklib.acquisitions import rules, services
from bkklib.acquisitions.models import Order, OrderLine, Request
from bkklib.core import roles
from bkklib.network.tests.factories import staff_user
from bkklib.opac.account import SESSION_KEY

from .conftest import NOW
from .helpers import placed_order


@pytest.fixture
def staff(client, site):
    client.force_login(site.admin)
    return client


@pytest.fixture
def patron_client(client, site):
    session = client.session
    session[SESSION_KEY] = site.patron.pk
    session.save()
    return client


def test_staff_pages_open_in_thai(site, staff, django_assert_max_num_queries):
    order = placed_order(site, lines=((2, "100"),), split=True)
    donation = services.record_donation(branch=site.branch, donor_name="คุณใจดี", count=3, received_on=NOW.date())
    for url in ["/staff/acquisitions/?year=2569", "/staff/acquisitions/funds/?year=2569",
                f"/staff/acquisitions/funds/{site.fund.pk}/", "/staff/acquisitions/vendors/",
                "/staff/acquisitions/vendors/new/", "/staff/acquisitions/requests/", "/staff/acquisitions/orders/new/",
                f"/staff/acquisitions/orders/{order.pk}/", "/staff/acquisitions/donations/",
                f"/staff/acquisitions/donations/{donation.pk}/", "/staff/acquisitions/report/?year=2569&month=2025-11"]:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "lang=\"th\"" in response.content.decode()
    with django_assert_max_num_queries(25):
        page = staff.get(f"/staff/acquisitions/orders/{order.pk}/").content.decode()
    assert "ตรวจรับพัสดุ" in page and order.number in page


def test_the_report_downloads_as_xlsx_and_pdf(site, staff):
    placed_order(site, lines=((2, "100"),))
    xlsx = staff.get("/staff/acquisitions/report/?year=2569&month=2025-11&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert site.branch.name_th in values and 2 in values
    pdf = staff.get("/staff/acquisitions/report/?year=2569&month=2025-11&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_selection_list_form_refuses_a_negative_price_in_thai_and_stores_nothing(site, staff):
    order = services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)
    response = staff.post(f"/staff/acquisitions/orders/{order.pk}/lines/", {
        "title": "หนังสือ", "quantity": 1, "unit_price": "-5", "discount_pct": "0", "vat_pct": "0",
        "branch_1": site.branch.pk, "fund_1": site.fund.pk, "copies_1": 1}, follow=True)
    assert "ราคาต่อหน่วยติดลบไม่ได้" in response.content.decode()
    assert not OrderLine.objects.exists()


def test_the_full_order_flow_through_the_pages(site, staff):
    response = staff.post("/staff/acquisitions/orders/new/", {"vendor": site.vendor.pk, "branch": site.branch.pk,
                                                               "year": 2569, "note": ""})
    order = Order.objects.get()
    assert response.status_code == 302
    staff.post(f"/staff/acquisitions/orders/{order.pk}/lines/", {
        "title": "นิทานก่อนนอน", "isbn": "9789740212348", "quantity": 3, "unit_price": "200", "discount_pct": "10",
        "vat_pct": "0", "branch_1": site.branch.pk, "fund_1": site.fund.pk, "copies_1": 2, "shelf_1": "CHILD",
        "branch_2": site.other.pk, "fund_2": site.fund_b.pk, "copies_2": 1})
    assert order.lines.get().copies.count() == 3
    staff.post(f"/staff/acquisitions/orders/{order.pk}/approve/")
    staff.post(f"/staff/acquisitions/orders/{order.pk}/place/")
    order.refresh_from_db()
    assert order.status == "ordered"
    line = order.lines.get()
    form = {"token": "0f8fad5b-d9cb-469f-a165-70867728950e", "received_on": "2025-11-20",
            f"received_{line.pk}": "2", f"short_{line.pk}": "1"}
    staff.post(f"/staff/acquisitions/orders/{order.pk}/receive/", form)
    staff.post(f"/staff/acquisitions/orders/{order.pk}/receive/", form)  # a double click
    assert line.copies.filter(status="received").count() == 2
    response = staff.post(f"/staff/acquisitions/orders/{order.pk}/receive/", {
        "token": "7c9e6679-7425-40de-944b-e07fc1f90ae7", f"received_{line.pk}": "5"}, follow=True)
    assert "ยังค้างส่งเพียง 1 เล่ม" in response.content.decode()
    pdf = staff.get(f"/staff/acquisitions/orders/{order.pk}/purchase-order.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_staff_of_another_branch_get_404_for_this_branchs_order(site, client):
    order = placed_order(site)
    client.force_login(staff_user(roles.BRANCH_LIBRARIAN, site.other))
    assert client.get(f"/staff/acquisitions/orders/{order.pk}/").status_code == 404
    assert client.post(f"/staff/acquisitions/orders/{order.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_a_reader_suggests_a_book_and_follows_it_in_the_account(site, patron_client):
    response = patron_client.post("/account/suggestions/", {"title": "ประวัติศาสตร์กรุงเทพ", "author": "นักประวัติศาสตร์",
                                                             "isbn": "", "note": "", "website": ""})
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.patron_id == site.patron.pk and request.branch_id == site.branch.pk
    services.decide_request(request=request, accept=False, reason="มีในห้องสมุดแล้ว", now=NOW)
    account = patron_client.get("/account/").content.decode()
    assert "ประวัติศาสตร์กรุงเทพ" in account and "มีในห้องสมุดแล้ว" in account


def test_a_suggestion_with_a_bad_isbn_is_refused_in_thai(site, patron_client):
    response = patron_client.post("/account/suggestions/", {"title": "หนังสือ", "isbn": "12345", "website": ""})
    assert response.status_code == 400
    assert "ไม่ใช่ ISBN ที่ถูกต้อง" in response.content.decode()
    assert not Request.objects.exists()


def test_visitors_are_sent_to_sign_in_before_suggesting(client, db):
    response = client.get("/account/suggestions/")
    assert response.status_code == 302 and response["Location"].startswith("/account/?next=")


def test_received_copies_are_shelved_from_the_order_page(site, staff):
    order = placed_order(site, lines=((1, "100"),))
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=1)}, now=NOW)
    copy = line.copies.get()
    staff.post(f"/staff/acquisitions/orders/{order.pk}/shelve/", {"copy": [copy.pk]})
    copy.item.refresh_from_db()
    assert copy.item.status == "available"


def test_fund_transfer_through_the_page(site, staff):
    staff.post("/staff/acquisitions/funds/transfer/", {"transfer-source": site.fund.pk,
                                                       "transfer-target": site.fund_b.pk,
                                                       "transfer-amount": "250", "transfer-reason": "ปรับงบ"})
    site.fund_b.refresh_from_db()
    assert site.fund_b.budget == Decimal("5250.00")


def test_vendors_and_donations_are_recorded_through_their_forms(site, staff):
    from bkklib.acquisitions.models import Donation, Vendor

    bad = staff.post("/staff/acquisitions/vendors/new/", {"name": "ร้านใหม่", "tax_id": "0994000165578",
                                                          "delivery_days": 20})
    assert bad.status_code == 400 and "เลขประจำตัวผู้เสียภาษีอากรที่ถูกต้อง" in bad.content.decode()
    good = staff.post("/staff/acquisitions/vendors/new/", {"name": "ร้านใหม่", "tax_id": "0-1055-36000-13-5",
                                                           "delivery_days": 20, "is_active": "on"})
    assert good.status_code == 302, good.content.decode()[:2000]
    vendor = Vendor.objects.get(name="ร้านใหม่")
    assert vendor.tax_id == "0105536000135" and vendor.delivery_days == 20
    edit = staff.get(f"/staff/acquisitions/vendors/{vendor.pk}/").content.decode()
    assert 'value="0105536000135"' in edit
    response = staff.post("/staff/acquisitions/donations/", {
        "branch": site.branch.pk, "donor_name": "คุณใจดี", "received_on": "2025-11-03", "count": 12,
        "condition": "good"})
    donation = Donation.objects.get()
    assert response.status_code == 302 and donation.count == 12
    staff.post(f"/staff/acquisitions/donations/{donation.pk}/decide/", {"accepted_count": 10, "note": "ชำรุด 2"})
    staff.post(f"/staff/acquisitions/donations/{donation.pk}/copies/", {"title": "หนังสือบริจาค", "copies": 2})
    assert donation.copies.count() == 2
    assert staff.get(f"/staff/acquisitions/donations/{donation.pk}/letter.pdf").content.startswith(b"%PDF")
