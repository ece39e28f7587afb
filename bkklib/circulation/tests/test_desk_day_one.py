"""The desk on a librarian's first day: the card box searches names, namesakes are told apart, expired cards
are renewed from the panel, due-date slips, checkins of items not on loan, balances on receipts, the
cash count and its sign-off, and the staff home's to-dos of this desk."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
from bkklib.circulation import queries, rules, services
from bkklib.circulation.exceptions import CashUpRefused
from bkklib.circulation.models import CashUpSignOff, Fine, Hold, Patron
from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network import access
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user

from .conftest import TUE_10AM
from .factories import PatronFactory

pytestmark = pytest.mark.django_db


def at(client, user, branch):
    client.force_login(user)
    session = client.session
    session[access.DESK_SESSION_KEY] = branch.pk
    session.save()
    return client


@pytest.fixture
def at_desk(client, desk):
    return at(client, desk.staff, desk.branch)


@pytest.fixture
def namesakes(desk):
    """Two patrons called สมชาย ใจดี: born in different years, different phones."""
    older = PatronFactory(first_name_th="สมชาย", last_name_th="ใจดี", birth_date=date(1971, 3, 2),
                          phone="081-234-5678", home_branch=desk.branch)
    younger = PatronFactory(first_name_th="สมชาย", last_name_th="ใจดี", birth_date=date(2001, 8, 9),
                            phone="0899990001", home_branch=desk.branch)
    return older, younger


# --- The card box -------------------------------------------------------------------------------------


def test_a_name_typed_in_the_card_box_lists_the_matching_patrons_instead_of_card_not_found(at_desk, namesakes):
    older, younger = namesakes
    body = at_desk.get(reverse("circulation:desk"), {"card": "สมชาย ใจดี"}, HTTP_HX_REQUEST="true").content.decode()

    assert "patron_not_found" not in body
    assert f'data-patron="{older.card_number}"' in body and f'data-patron="{younger.card_number}"' in body
    # Birth years in the Buddhist Era and masked phones tell the two apart.
    assert "2514" in body and "2544" in body
    assert "08x-xxx-5678" in body and "08x-xxx-0001" in body
    assert "081-234-5678" not in body and "0899990001" not in body


def test_the_last_digits_of_a_phone_in_the_card_box_find_the_patron(at_desk, namesakes):
    older, _younger = namesakes
    body = at_desk.get(reverse("circulation:desk"), {"card": "2345678"}).content.decode()
    assert f'data-patron="{older.card_number}"' in body and 'data-count="1"' in body


def test_an_item_barcode_in_the_card_box_opens_its_borrower(at_desk, desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    body = at_desk.get(reverse("circulation:desk"), {"card": desk.item.barcode}).content.decode()
    assert f'data-patron="{desk.patron.card_number}"' in body and 'data-code="item_borrower"' in body


def test_an_item_not_on_loan_in_the_card_box_says_so(at_desk, desk):
    body = at_desk.get(reverse("circulation:desk"), {"card": desk.item.barcode}).content.decode()
    assert 'data-code="item_not_on_loan"' in body and desk.item.barcode in body


def test_text_that_matches_nothing_says_what_was_tried(at_desk):
    body = at_desk.get(reverse("circulation:desk"), {"card": "ไม่มีใครชื่อนี้"}).content.decode()
    assert 'data-code="patron_not_found"' in body and "ไม่มีใครชื่อนี้" in body


def test_patron_search_results_show_birth_year_masked_phone_and_card(at_desk, namesakes):
    older, younger = namesakes
    body = at_desk.get(reverse("circulation:patron-search"), {"q": "สมชาย"}).content.decode()
    for patron, year, phone in ((older, "2514", "08x-xxx-5678"), (younger, "2544", "08x-xxx-0001")):
        row = body[body.index(f'data-patron="{patron.card_number}"'):]
        row = row[:row.index("</tr>")]
        assert year in row and phone in row and patron.card_number in row


@pytest.mark.parametrize(("phone", "masked"), [("0812345678", "08x-xxx-5678"), ("081-234-5678", "08x-xxx-5678"),
                                               ("021234567", "02-xxx-4567"), ("", "")])
def test_phones_are_masked_to_their_first_two_and_last_four_digits(phone, masked):
    assert rules.mask_phone(phone) == masked


# --- Expired card: renew from the panel ----------------------------------------------------------------


def test_the_expired_card_panel_renews_the_membership_by_the_categorys_rule(at_desk, desk):
    today = timezone.localdate()
    desk.patron.card_expires_on = today - timedelta(days=3)
    desk.patron.save()
    panel = at_desk.get(reverse("circulation:desk"), {"card": desk.patron.card_number}).content.decode()
    assert 'data-code="card_expired"' in panel and "renew-membership" in panel

    response = at_desk.post(reverse("circulation:patron-action", args=[desk.patron.pk, "renew-membership"]),
                            {"back": "desk"})

    assert response.status_code == 302 and response["Location"].endswith(f"?card={desk.patron.card_number}")
    patron = Patron.objects.get(pk=desk.patron.pk)
    assert patron.card_expires_on == rules.card_expiry(today, patron.category.card_valid_years)
    last = patron.history.first()  # audited: who, and the expiry before and after
    assert last.history_user == desk.staff and last.card_expires_on == patron.card_expires_on
    assert last.prev_record.card_expires_on == today - timedelta(days=3)


def test_staff_without_the_permission_cannot_renew_a_membership(client, desk):
    volunteer = staff_user(roles.VOLUNTEER, desk.branch)
    expired = timezone.localdate() - timedelta(days=1)
    Patron.objects.filter(pk=desk.patron.pk).update(card_expires_on=expired)
    at(client, volunteer, desk.branch).post(
        reverse("circulation:patron-action", args=[desk.patron.pk, "renew-membership"]), {"back": "desk"})
    assert Patron.objects.get(pk=desk.patron.pk).card_expires_on == expired
    with pytest.raises(NotPermitted):
        services.renew_membership(desk.patron, staff=volunteer, desk=desk.branch)


# --- Due-date slip --------------------------------------------------------------------------------------


def test_the_due_date_slip_lists_todays_loans_with_be_due_dates_and_a_masked_card(at_desk, desk):
    loan = services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    older = services.checkout(item=ItemFactory(branch=desk.branch), patron=desk.patron, staff=desk.staff,
                              desk=desk.branch, now=timezone.now() - timedelta(days=2))
    panel = at_desk.get(reverse("circulation:desk"), {"card": desk.patron.card_number}).content.decode()
    assert reverse("circulation:due-slip", args=[desk.patron.pk]) in panel

    page = at_desk.get(reverse("circulation:due-slip", args=[desk.patron.pk])).content.decode()
    body = page[page.index('<article class="slip'):page.index("</article>")]  # what is printed

    assert f'data-loan="{loan.pk}"' in body and f'data-loan="{older.pk}"' not in body
    assert loan.item.record.title in body and loan.item.barcode in body
    assert f"{loan.due_on.year + 543}" in body  # the due date in the Buddhist Era
    assert desk.patron.card_number not in body and desk.patron.card_number[-4:] in body
    assert desk.branch.name_th in body and "circulation/desk.css" in page  # its @media print hides the rest


# --- Checkin of an item that was not on loan ------------------------------------------------------------


def test_checking_in_an_item_not_on_loan_is_flagged_and_still_fills_a_hold(at_desk, desk):
    waiting = services.place_hold(record=desk.item.record, patron=PatronFactory(), pickup_branch=desk.branch,
                                  staff=desk.staff, desk=desk.branch)
    result = services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch)
    assert result.was_on_loan is False and result.previous_status == Item.Status.AVAILABLE
    assert result.destination == "hold_shelf" and Hold.objects.get(pk=waiting.pk).status == Hold.Status.READY


def test_the_returns_page_flags_an_item_that_was_not_on_loan(at_desk, desk):
    body = at_desk.post(reverse("circulation:scan-checkin"), {"barcode": desk.item.barcode}).content.decode()
    assert 'data-on-loan="false"' in body and "ไม่ได้ถูกยืมอยู่" in body

    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch)
    body = at_desk.post(reverse("circulation:scan-checkin"), {"barcode": desk.item.barcode}).content.decode()
    assert 'data-on-loan="true"' in body and "ไม่ได้ถูกยืมอยู่" not in body


def test_the_checkin_api_says_whether_the_item_was_on_loan(client, desk):
    client.force_login(desk.staff)
    answer = client.post("/api/v1/circulation/checkin/", {"item_barcode": desk.item.barcode,
                                                          "desk": desk.branch.code}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["was_on_loan"] is False


# --- Receipts show what is still owed -------------------------------------------------------------------


def owe(desk, *amounts):
    return [services.charge(patron=desk.patron, kind=Fine.Kind.DAMAGED, amount=a, staff=desk.staff, desk=desk.branch,
                            now=TUE_10AM) for a in amounts]


def test_a_receipt_keeps_and_shows_the_balance_still_owed_after_the_payment(at_desk, desk):
    owe(desk, "30", "50")
    first = services.pay(patron=desk.patron, amount="40", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    second = services.pay(patron=desk.patron, amount="15", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    first.refresh_from_db()
    assert first.balance_after == Decimal("40.00") and second.balance_after == Decimal("25.00")

    body = at_desk.get(reverse("circulation:receipt", args=[first.pk])).content.decode()
    assert 'data-balance="40.00"' in body and "ยอดค้างชำระคงเหลือ" in body


# --- Cash-up: counted cash, difference, sign-off ---------------------------------------------------------


def test_signing_the_cash_up_keeps_the_count_the_difference_and_who_signed(desk):
    owe(desk, "100")
    services.pay(patron=desk.patron, amount="30", staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    services.pay(patron=desk.patron, amount="20", staff=desk.staff, desk=desk.branch, method="qr", now=TUE_10AM)

    signed = services.sign_off_cash_up(branch=desk.branch, day=TUE_10AM.date(), counted_cash="25", staff=desk.staff,
                                       note="ทอนเงินผิด", now=TUE_10AM + timedelta(hours=8))

    assert (signed.expected_cash, signed.counted_cash, signed.difference) == (Decimal("30"), Decimal("25"),
                                                                              Decimal("-5"))
    assert signed.signed_by == desk.staff and signed.signed_at == TUE_10AM + timedelta(hours=8)
    assert signed.history.get().history_user == desk.staff  # audited
    report = queries.cash_up(desk.branch, TUE_10AM.date())
    assert report.cash_total == Decimal("30.00") and report.sign_off == signed


def test_a_cash_up_cannot_be_signed_twice(desk):
    services.sign_off_cash_up(branch=desk.branch, day=TUE_10AM.date(), counted_cash="0", staff=desk.staff,
                              now=TUE_10AM)
    with pytest.raises(CashUpRefused) as refused:
        services.sign_off_cash_up(branch=desk.branch, day=TUE_10AM.date(), counted_cash="10", staff=desk.staff,
                                  now=TUE_10AM)
    assert refused.value.code == "cash_up_already_signed"
    with pytest.raises(IntegrityError), transaction.atomic():
        CashUpSignOff.objects.create(branch=desk.branch, day=TUE_10AM.date(), expected_cash=0, counted_cash=0,
                                     difference=0, signed_by=desk.staff, signed_at=TUE_10AM)


def test_the_database_refuses_a_difference_that_is_not_counted_minus_expected(desk):
    with pytest.raises(IntegrityError), transaction.atomic():
        CashUpSignOff.objects.create(branch=desk.branch, day=TUE_10AM.date(), expected_cash=30, counted_cash=25,
                                     difference=0, signed_by=desk.staff, signed_at=TUE_10AM)


def test_a_future_day_or_a_staff_member_without_permission_cannot_sign(desk):
    with pytest.raises(CashUpRefused):
        services.sign_off_cash_up(branch=desk.branch, day=TUE_10AM.date() + timedelta(days=1), counted_cash="0",
                                  staff=desk.staff, now=TUE_10AM)
    with pytest.raises(NotPermitted):
        services.sign_off_cash_up(branch=desk.branch, day=TUE_10AM.date(), counted_cash="0",
                                  staff=staff_user(roles.VOLUNTEER, desk.branch), now=TUE_10AM)


def test_the_cash_up_page_takes_the_count_and_shows_the_sign_off(at_desk, desk):
    today = timezone.localdate()
    owe(desk, "100")
    services.pay(patron=desk.patron, amount="30", staff=desk.staff, desk=desk.branch)
    url = reverse("circulation:cash-up")
    assert 'name="counted_cash"' in at_desk.get(url).content.decode()

    at_desk.post(f"{url}?day={today.isoformat()}", {"day": today.isoformat(), "counted_cash": "35", "note": ""})
    again = at_desk.post(f"{url}?day={today.isoformat()}", {"day": today.isoformat(), "counted_cash": "1"},
                         follow=True).content.decode()

    signed = CashUpSignOff.objects.get(branch=desk.branch, day=today)
    assert signed.difference == Decimal("5.00") and signed.signed_by == desk.staff
    assert 'name="counted_cash"' not in again and "data-signed" in again and "+5.00" in again
    assert "ลงนามแล้วโดย" in again  # the second attempt is refused, with who signed


# --- Holds to trap, overdue, the staff home ---------------------------------------------------------------


def test_holds_to_trap_are_titles_with_waiting_holds_and_a_copy_on_this_shelf(at_desk, desk):
    elsewhere = BranchFactory()
    wanted = desk.item.record
    services.place_hold(record=wanted, patron=PatronFactory(), pickup_branch=elsewhere, staff=desk.staff,
                        desk=desk.branch)
    services.place_hold(record=wanted, patron=PatronFactory(), pickup_branch=desk.branch, staff=desk.staff,
                        desk=desk.branch)
    far_record = RecordFactory()
    ItemFactory(record=far_record, branch=elsewhere)  # its only copy is at another branch
    services.place_hold(record=far_record, patron=PatronFactory(), pickup_branch=desk.branch, staff=desk.staff,
                        desk=desk.branch)
    suspended = services.place_hold(record=ItemFactory(branch=desk.branch).record, patron=PatronFactory(),
                                    pickup_branch=desk.branch, staff=desk.staff, desk=desk.branch)
    services.suspend_hold(suspended, until=timezone.localdate() + timedelta(days=10), staff=desk.staff,
                          desk=desk.branch)

    rows = queries.holds_to_trap(desk.branch, today=timezone.localdate())

    assert [(row.record, row.holds, row.items) for row in rows] == [(wanted, 2, [desk.item])]
    assert queries.count_holds_to_trap(user=desk.staff, branch=desk.branch, today=timezone.localdate()) == 1
    body = at_desk.get(reverse("circulation:holds-to-trap")).content.decode()
    assert f'data-record="{wanted.pk}"' in body and f'data-record="{far_record.pk}"' not in body


def test_the_staff_home_counts_the_work_waiting_at_this_desk_and_links_to_each_list(at_desk, desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch,
                      now=timezone.now() - timedelta(days=60))  # overdue by now
    services.place_hold(record=ItemFactory(branch=desk.branch).record, patron=PatronFactory(),
                        pickup_branch=desk.branch, staff=desk.staff, desk=desk.branch)
    other = BranchFactory()
    services.checkin(item=ItemFactory(branch=other), staff=desk.staff, desk=desk.branch)  # goes home: from here
    pending = PatronFactory(home_branch=desk.branch, status=Patron.Status.PENDING)
    PatronFactory(home_branch=other, status=Patron.Status.PENDING)  # another branch's
    Branch.objects.filter(pk=desk.branch.pk).update(verified_at=None)

    response = at_desk.get(reverse("staff-home"))

    counts = {todo["url"].split("?")[0]: todo["count"] for todo in response.context["todos"]}
    assert counts[reverse("circulation:holds-to-trap")] == 1
    assert counts[reverse("circulation:overdue")] == 1
    assert counts[reverse("circulation:pending")] == 1
    assert counts[reverse("network:freshness")] >= 1
    transit_counts = [t["count"] for t in response.context["todos"] if t["url"] == reverse("circulation:transits")]
    assert transit_counts == [0, 1]  # to here, from here
    body = response.content.decode()
    assert f'{reverse("circulation:pending")}?branch={desk.branch.pk}' in body
    assert 'id="home-scan"' in body and f'action="{reverse("circulation:desk")}"' in body
    # Each count is the length of the list it links to.
    pending_page = at_desk.get(f'{reverse("circulation:pending")}?branch={desk.branch.pk}')
    assert [p.pk for p in pending_page.context["patrons"]] == [pending.pk]
    overdue_page = at_desk.get(reverse("circulation:overdue")).content.decode()
    assert overdue_page.count("data-loan=") == 1


def test_the_staff_home_asks_for_a_desk_before_counting(client, desk):
    second = BranchFactory()
    roaming = staff_user(roles.BRANCH_LIBRARIAN, desk.branch, second)
    client.force_login(roaming)
    response = client.get(reverse("staff-home"))
    assert response.context["todos"] == [] and reverse("staff-desk") in response.content.decode()


def test_a_volunteer_sees_only_the_to_dos_of_their_permissions(client, desk):
    volunteer = staff_user(roles.VOLUNTEER, desk.branch)
    response = at(client, volunteer, desk.branch).get(reverse("staff-home"))
    # Of circulation's to-dos a volunteer sees the transits, and the holds to trap since volunteers lend
    # at reading houses and mobile stops (outreach gives them circulation.change_loan); other apps may
    # give volunteers theirs, e.g. checking participants in at today's activities.
    urls = {todo["url"].split("?")[0] for todo in response.context["todos"] if todo["app"] == "circulation"}
    assert urls == {reverse("circulation:transits"), reverse("circulation:holds-to-trap")}
    assert response.context["scan"]["url"] == reverse("circulation:desk")  # they lend, so they scan


def test_a_patron_without_a_block_is_offered_the_block_form_not_a_lift(at_desk, desk):
    # The context's "block" clashed with the template engine's own {{ block }} inside {% block %}.
    url = reverse("circulation:patron-detail", args=[desk.patron.pk])
    body = at_desk.get(url).content.decode()
    assert reverse("circulation:patron-action", args=[desk.patron.pk, "block"]) in body
    assert reverse("circulation:patron-action", args=[desk.patron.pk, "unblock"]) not in body

    services.block_patron(desk.patron, staff=desk.staff, desk=desk.branch, reason="ทำหนังสือหาย")
    body = at_desk.get(url).content.decode()
    assert reverse("circulation:patron-action", args=[desk.patron.pk, "unblock"]) in body and "ทำหนังสือหาย" in body
