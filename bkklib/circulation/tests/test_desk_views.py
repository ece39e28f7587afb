"""The staff desk pages: scan a patron, scan items, one-line refusals, receipts, cards, access log."""
from decimal import Decimal

import pytest
from django.urls import reverse

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.models import Fine, Loan
from bkklib.core import roles
from bkklib.core.models import AccessLog
from bkklib.network import access
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import PatronFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_desk(client, desk):
    client.force_login(desk.staff)
    session = client.session
    session[access.DESK_SESSION_KEY] = desk.branch.pk
    session.save()
    return client


def test_scanning_a_card_shows_the_patron_panel_and_logs_the_access(at_desk, desk):
    response = at_desk.get(reverse("circulation:desk"), {"card": desk.patron.card_number})
    assert response.status_code == 200
    assert desk.patron.full_name in response.content.decode()
    assert AccessLog.objects.filter(subject=f"circulation.patron:{desk.patron.pk}", user=desk.staff).exists()


def test_an_unknown_card_says_so_in_one_line(at_desk):
    response = at_desk.get(reverse("circulation:desk"), {"card": "999999"}, HTTP_HX_REQUEST="true")
    assert 'data-code="patron_not_found"' in response.content.decode()


def test_scanning_items_lends_them_and_refusals_say_why(at_desk, desk):
    url = reverse("circulation:scan-checkout", args=[desk.patron.pk])
    ok = at_desk.post(url, {"barcode": desk.item.barcode}).content.decode()
    again = at_desk.post(url, {"barcode": desk.item.barcode}).content.decode()
    unknown = at_desk.post(url, {"barcode": "NOPE-123"}).content.decode()
    assert 'data-code="checked_out"' in ok and desk.item.record.title in ok
    assert 'data-code="item_on_loan"' in again
    assert 'data-code="item_not_found"' in unknown and "NOPE-123" in unknown
    assert Loan.objects.count() == 1


def test_the_returns_page_says_where_the_item_goes(at_desk, desk):
    far = ItemFactory(branch=BranchFactory(name_th="ห้องสมุดพระนคร"))
    services.checkout(item=far, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    body = at_desk.post(reverse("circulation:scan-checkin"), {"barcode": far.barcode}).content.decode()
    assert 'data-code="transit"' in body and "ห้องสมุดพระนคร" in body


def test_patron_page_views_are_logged(at_desk, desk):
    response = at_desk.get(reverse("circulation:patron-detail", args=[desk.patron.pk]))
    assert response.status_code == 200
    log = AccessLog.objects.get(subject=f"circulation.patron:{desk.patron.pk}")
    assert log.user == desk.staff and log.action == "view"


def test_the_card_is_a_pdf_with_the_thai_font(at_desk, desk):
    response = at_desk.get(reverse("circulation:patron-card", args=[desk.patron.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert b"Sarabun" in response.content


def test_a_payment_prints_a_numbered_receipt_and_can_be_emailed(at_desk, desk, mailoutbox):
    Fine.objects.create(patron=desk.patron, kind=Fine.Kind.DAMAGED, branch=desk.branch, amount=Decimal("35"),
                        created_at="2025-06-03T10:00+07:00")
    response = at_desk.post(reverse("circulation:pay", args=[desk.patron.pk]), {"amount": "35", "method": "cash"})
    receipt_url = response["Location"]
    page = at_desk.get(receipt_url).content.decode()
    assert "ใบเสร็จรับเงิน" in page and "/000001" in page
    at_desk.post(receipt_url, {"email": "reader@example.org"})
    assert mailoutbox[0].to == ["reader@example.org"] and "35.00" in mailoutbox[0].body


def test_the_cash_up_lists_the_days_receipts(at_desk, desk):
    Fine.objects.create(patron=desk.patron, kind=Fine.Kind.DAMAGED, branch=desk.branch, amount=Decimal("20"),
                        created_at="2025-06-03T10:00+07:00")
    services.pay(patron=desk.patron, amount="20", staff=desk.staff, desk=desk.branch)
    page = at_desk.get(reverse("circulation:cash-up")).content.decode()
    assert "20.00" in page


def test_staff_without_a_desk_are_told_to_choose_one(client, desk):
    floating = staff_user(roles.BRANCH_STAFF)
    client.force_login(floating)
    response = client.get(reverse("circulation:desk"))
    assert response.status_code == 403


def test_registering_a_patron_from_the_form(at_desk, desk):
    from .factories import category, thai_id

    response = at_desk.post(reverse("circulation:patron-register"), {
        "category": category("adult").pk, "first_name_th": "กมล", "last_name_th": "ยืมเก่ง", "id_type": "thai_id",
        "national_id": thai_id(4242), "birth_date": "1995-02-03", "language": "th", "home_branch": desk.branch.pk,
        "consent_purposes": ["notices"]})
    assert response.status_code == 302
    bad = at_desk.post(reverse("circulation:patron-register"), {
        "category": category("adult").pk, "first_name_th": "กมล", "id_type": "thai_id", "national_id": "1111111111111",
        "birth_date": "1995-02-03", "language": "th"})
    assert bad.status_code == 200 and "1111111111111" in bad.content.decode()
    assert PatronFactory._meta.model.objects.filter(last_name_th="ยืมเก่ง").count() == 1
