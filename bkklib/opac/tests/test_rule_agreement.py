"""Agreement tests: each rule written once, and every adapter that applies it gives the same answer.

The PIN format reaches the desk's registration form, the REST API, the public self-registration,
PIN change and sign-in; "overdue" reaches the desk's overdue list, the patron panel, the staff home
count, the public account page and the overdue notices. Each test drives the rule through all of
them and compares their answers with the rule itself.
"""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import notices, queries, rules
from bkklib.circulation.models import CirculationSettings, Loan, Notice, Patron
from bkklib.circulation.services import lending
from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.factories import PatronFactory, category, thai_id
from bkklib.core import roles
from bkklib.network import access
from bkklib.network.tests.factories import staff_user

from .conftest import PIN

pytestmark = pytest.mark.django_db

# (typed PIN, accepted?) — Thai digits are the same digits; anything else that is not 4–6 digits is refused.
PINS = [
    ("2468", True),
    ("๒๔๖๘", True),
    ("๒4๖8", True),
    (" ๑๒๓๔๕๖ ", True),
    ("12a4", False),
    ("123", False),
    ("๑๒๓๔๕๖๗", False),
    ("１２３４", False),  # full-width digits: not on a Thai or an English keyboard
    ("²³⁴⁵", False),  # superscripts pass str.isdigit(), the old desk check
]


def _desk_client(client, staff, branch):
    client.force_login(staff)
    session = client.session
    session[access.DESK_SESSION_KEY] = branch.pk
    session.save()
    return client


def _api_client(staff):
    call_command("drf_create_token", staff.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=staff).key}")
    return api


def _sign_in(client, card, pin):
    response = client.post("/account/", {"card": card, "pin": pin})
    client.post("/account/sign-out/")
    return response.status_code == 302


@pytest.mark.parametrize(("n", "pin", "accepted"), [(n, pin, ok) for n, (pin, ok) in enumerate(PINS)])
def test_the_pin_format_is_one_rule_at_the_desk_the_api_and_the_public_site(client, library, n, pin, accepted):
    city, staff = library["city"], library["staff"]
    assert (rules.normalise_pin(pin) is not None) is accepted
    expected = rules.normalise_pin(pin)

    # Staff form (desk registration).
    desk = _desk_client(client, staff, city)
    response = desk.post(reverse("circulation:patron-register"), {
        "category": category("adult").pk, "first_name_th": "ฟอร์ม", "last_name_th": f"ทดสอบ{n}", "id_type": "thai_id",
        "national_id": thai_id(51000 + n), "birth_date": "1990-02-03", "language": "th", "home_branch": city.pk,
        "pin": pin})
    by_form = Patron.objects.filter(last_name_th=f"ทดสอบ{n}").first()
    assert (response.status_code == 302) is accepted and (by_form is not None) is accepted
    if not accepted:
        assert response.context["form"].errors.get("pin")
    client.logout()

    # REST API.
    response = _api_client(staff).post("/api/v1/patrons/", {
        "desk": city.code, "category": "adult", "first_name_th": "เอพีไอ", "last_name_th": f"ทดสอบ{n}",
        "national_id": thai_id(52000 + n), "birth_date": "1990-02-03", "pin": pin}, format="json")
    assert (response.status_code == 201) is accepted, response.content
    if not accepted:
        assert response.json()["field"] == "pin"
    by_api = Patron.objects.filter(first_name_th="เอพีไอ").first()

    # Public self-registration.
    response = client.post("/account/register/", {
        "first_name_th": "เว็บ", "last_name_th": f"ทดสอบ{n}", "id_type": "thai_id", "national_id": thai_id(53000 + n),
        "birth_date": "1990-02-03", "category": "adult", "home_branch": "citylib", "pin": pin, "pin_again": pin,
        "agree_membership": "on"})
    by_web = Patron.objects.filter(first_name_th="เว็บ").first()
    assert (by_web is not None) is accepted
    if not accepted:
        assert response.context["form"].errors.get("pin")

    # Public PIN change by a signed-in patron.
    alice = library["alice"]
    assert _sign_in(client, alice.card_number, PIN)
    client.post("/account/", {"card": alice.card_number, "pin": PIN})
    client.post("/account/preferences/", {"pin-current_pin": PIN, "pin-new_pin": pin, "pin-new_pin_again": pin})
    client.post("/account/sign-out/")
    alice.refresh_from_db()
    assert patron_services.pin_matches(alice, expected or PIN)

    # Every PIN set above signs in on the public site as ASCII digits and as Thai digits alike.
    if accepted:
        thai = expected.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        for patron in (by_form, by_api, alice):
            assert _sign_in(client, patron.card_number, expected)
            assert _sign_in(client, patron.card_number, thai)
        by_web.refresh_from_db()
        assert patron_services.pin_matches(by_web, thai)


def test_a_pin_set_in_ascii_signs_in_with_thai_digits(client, library):
    alice = library["alice"]  # PIN 4321 set at the desk
    assert _sign_in(client, alice.card_number, "๔๓๒๑")
    assert not _sign_in(client, alice.card_number, "๔๓๒๒")


@pytest.fixture
def overdue_desk(network, fixed_now, client):
    """Three loans of one patron at the city library: due yesterday, today and tomorrow (the real today)."""
    now = fixed_now(timezone.now())
    today = timezone.localdate(now)
    city = network["city"]
    staff = staff_user(roles.BRANCH_LIBRARIAN, city)
    patron = PatronFactory(home_branch=city, email="late@example.org")
    patron_services.set_pin(patron, PIN)
    loans = {}
    for label, days in (("yesterday", -1), ("today", 0), ("tomorrow", 1)):
        loan = lending.checkout(item=ItemFactory(branch=city), patron=patron, staff=staff, desk=city,
                                now=now - timedelta(days=30))
        Loan.objects.filter(pk=loan.pk).update(due_on=today + timedelta(days=days))
        loans[label] = Loan.objects.get(pk=loan.pk)
    return {"city": city, "staff": staff, "patron": patron, "loans": loans, "today": today}


def test_overdue_is_one_rule_for_the_desk_the_account_page_and_the_notices(client, overdue_desk, smtp_sink):
    city, staff, patron, today = (overdue_desk[k] for k in ("city", "staff", "patron", "today"))
    loans = overdue_desk["loans"]
    by_rule = {loan.pk for loan in loans.values() if rules.is_overdue(due_on=loan.due_on, today=today)}
    assert by_rule == {loans["yesterday"].pk}

    assert set(Loan.objects.overdue(on=today).values_list("pk", flat=True)) == by_rule
    assert set(queries.overdue_of(list(loans.values()), today=today)) == by_rule

    desk = _desk_client(client, staff, city)
    listed = desk.get(reverse("circulation:overdue")).context["loans"]
    assert {loan.pk for loan in listed} == by_rule
    assert queries.count_overdue(user=staff, branch=city, today=today) == len(by_rule)
    panel = desk.get(reverse("circulation:desk"), {"card": patron.card_number}).context["loans"]
    assert {loan.pk for loan in panel if loan.is_overdue} == by_rule
    client.logout()

    assert _sign_in(client, patron.card_number, PIN)
    client.post("/account/", {"card": patron.card_number, "pin": PIN})
    account = client.get("/account/").context
    assert {loan.pk for loan in account["loans"] if loan.overdue} == by_rule
    assert {o.loan.pk for o in account["overdue"]} == by_rule

    # Notices: even with a first notice "0 days late", a loan due today is not yet overdue.
    CirculationSettings.objects.filter(pk=CirculationSettings.current().pk).update(overdue_1_days=0)
    notices.send_overdue_notices(today)
    assert set(Notice.objects.filter(kind__startswith="overdue").values_list("loan_id", flat=True)) == by_rule
    assert rules.overdue_notice_level(due_on=today, today=today, schedule=(0, 8, 15)) == 0
