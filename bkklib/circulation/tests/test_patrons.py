"""Membership: Thai ID and passports, guardians and consent, fees by age, pending self-registration, search."""
from datetime import date
from decimal import Decimal

import pytest

from bkklib.circulation import queries, services
from bkklib.circulation.exceptions import DuplicatePatron, InvalidPatronData
from bkklib.circulation.models import Consent, Fine, Patron

from .conftest import TUE_10AM
from .factories import PatronFactory, category, thai_id

pytestmark = pytest.mark.django_db


def register(desk, **fields):
    base = {"first_name_th": "ประยูร", "last_name_th": "ใฝ่รู้", "national_id": thai_id(9001), "birth_date": date(1980, 1, 2),
            "category": category("adult"), "consent_purposes": ["notices"]}
    base.update(fields)
    return services.register_patron(staff=desk.staff, desk=desk.branch, now=TUE_10AM, **base)


def test_a_desk_registration_issues_a_card_and_charges_the_age_tier_fee(desk):
    patron = register(desk)
    assert patron.status == Patron.Status.ACTIVE and patron.card_number.startswith("2") and len(patron.card_number) == 13
    assert patron.card_expires_on == date(2026, 6, 3)
    fee = Fine.objects.get(patron=patron, kind=Fine.Kind.MEMBERSHIP)
    assert fee.amount == Decimal("50.00")
    assert Consent.objects.get(patron=patron).purposes == ["membership", "notices"]


def test_an_invalid_thai_id_is_refused_naming_the_field(desk):
    with pytest.raises(InvalidPatronData) as err:
        register(desk, national_id="1234567890123")
    assert err.value.field == "national_id" and "1234567890123" in err.value.text
    assert not Patron.objects.filter(last_name_th="ใฝ่รู้").exists()


def test_a_national_id_registers_once(desk):
    register(desk)
    with pytest.raises(DuplicatePatron):
        register(desk, first_name_th="อื่น")


def test_a_foreigner_registers_with_a_passport(desk):
    patron = register(desk, id_type="passport", national_id="", passport_number="tk 1234567", passport_country="jpn",
                      first_name_en="Haruki", first_name_th="")
    assert (patron.passport_number, patron.passport_country) == ("TK1234567", "JPN")


def test_a_child_needs_a_guardian_who_gives_the_consent(desk):
    with pytest.raises(InvalidPatronData) as err:
        register(desk, category=category("child"), birth_date=date(2021, 3, 1), national_id=thai_id(9002))
    assert err.value.field == "guardian"
    child = register(desk, category=category("child"), birth_date=date(2021, 3, 1), national_id=thai_id(9002),
                     guardian=desk.patron)
    consent = Consent.objects.get(patron=child)
    assert consent.given_by_guardian == desk.patron
    assert Fine.objects.get(patron=child, kind=Fine.Kind.MEMBERSHIP).amount == Decimal("10.00")  # under 5: 10 baht


def test_online_self_registration_waits_for_an_id_check(desk):
    patron = services.register_pending_patron(
        home_branch=desk.branch, consent_purposes=["loan_history"], pin="4321", first_name_th="มาลี",
        last_name_th="ใจงาม", national_id=thai_id(9003), birth_date=date(2001, 7, 7), category=category("student"),
        email="malee@example.org")
    assert patron.status == Patron.Status.PENDING and patron.keeps_loan_history
    assert services.card_holder(patron.card_number) == patron
    assert services.pin_matches(patron, "4321") and not services.pin_matches(patron, "0000")
    assert list(queries.pending_patrons()) == [patron]
    services.approve_patron(patron, staff=desk.staff, desk=desk.branch, document_checked="บัตรประชาชน", now=TUE_10AM)
    patron.refresh_from_db()
    assert patron.status == Patron.Status.ACTIVE and patron.approved_by == desk.staff


def test_desk_search_finds_by_card_thai_or_english_name_id_and_phone(desk):
    p = PatronFactory(first_name_th="วิไล", last_name_th="ศรีสุข", first_name_en="Wilai", last_name_en="Srisuk",
                      phone="0812345678", national_id=thai_id(7777))
    for text in (p.card_number, "วิไล", "ศรีสุข", "วิไล ศรีสุข", "wilai srisuk", thai_id(7777), "081-234-5678"):
        assert p in queries.search_patrons(text), text


def test_renewing_a_membership_extends_from_the_expiry_and_charges(desk):
    patron = PatronFactory(card_expires_on=date(2025, 7, 1), birth_date=date(1950, 1, 1), category=category("senior"))
    services.renew_membership(patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    patron.refresh_from_db()
    assert patron.card_expires_on == date(2027, 7, 1)
    assert not Fine.objects.filter(patron=patron).exists()  # 60 and over: free


def test_a_replaced_card_stops_the_old_number(desk):
    old = desk.patron.card_number
    services.replace_card(desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    from bkklib.circulation.exceptions import PatronNotFound

    with pytest.raises(PatronNotFound):
        queries.patron_by_card(old)
    assert Fine.objects.get(patron=desk.patron).kind == Fine.Kind.CARD_REPLACEMENT
