"""The patron's account: sign-in with card and PIN, lockout, rate limit, PIN reset, loans, holds, privacy.

Every test that shows or changes something also proves the page never reaches another patron's data.
"""
import json
import re
from datetime import timedelta

import pytest
from django.core import mail

from bkklib.circulation import queries as circ_queries
from bkklib.circulation.models import Consent, Hold, Loan, Patron
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import lending
from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.factories import thai_id
from bkklib.opac import cards, rules
from bkklib.opac.models import PatronLogin

from .conftest import PIN, WED_10AM

pytestmark = pytest.mark.django_db


def sign_in(client, patron, pin=PIN, **extra):
    return client.post("/account/", {"card": patron.card_number, "pin": pin, **extra})


def test_the_account_page_asks_visitors_to_sign_in(client, library):
    page = client.get("/account/").content.decode()
    assert 'name="card"' in page and 'name="pin"' in page
    response = client.get("/account/card/")
    assert response.status_code == 302 and response["Location"] == "/account/?next=/account/card/"


def test_a_patron_signs_in_and_sees_only_their_own_loans_and_holds(client, library):
    response = sign_in(client, library["alice"])
    assert response.status_code == 302 and response["Location"] == "/account/"
    page = client.get("/account/").content.decode()
    assert "อลิสา" in page and "ข้างหลังภาพ" in page
    assert "บันทึกลับของบุญมี" not in page and "บุญมี" not in page
    assert library["bob"].card_number not in page


def test_a_wrong_pin_and_an_unknown_card_get_the_same_message(client, library):
    wrong = sign_in(client, library["alice"], pin="0000").content.decode()
    unknown = client.post("/account/", {"card": "2999999999999", "pin": PIN}).content.decode()
    message = "หมายเลขบัตรหรือ PIN ไม่ถูกต้อง"
    assert message in wrong and message in unknown
    assert client.get("/account/card/").status_code == 302  # still signed out


def test_five_wrong_pins_lock_the_card_even_for_the_right_pin(client, library, fixed_now):
    alice = library["alice"]
    for _ in range(rules.LOCK_AFTER_FAILURES):
        sign_in(client, alice, pin="9999")
    state = PatronLogin.objects.get(patron=alice)
    assert state.failed_attempts == 5 and state.locked_until == WED_10AM + timedelta(minutes=15)
    page = sign_in(client, alice).content.decode()
    assert "ถูกล็อก" in page
    assert client.get("/account/card/").status_code == 302
    fixed_now(WED_10AM + timedelta(minutes=16))
    assert sign_in(client, alice).status_code == 302
    assert PatronLogin.objects.get(patron=alice).failed_attempts == 0


def test_too_many_attempts_from_one_address_are_refused(client, library):
    for _ in range(rules.IP_ATTEMPTS_PER_WINDOW):
        client.post("/account/", {"card": "1", "pin": "1"})
    page = sign_in(client, library["alice"]).content.decode()
    assert "พยายามหลายครั้งเกินไป" in page
    assert client.get("/account/card/").status_code == 302


def test_signing_in_rotates_the_session_and_signing_out_ends_it(client, library):
    client.get("/account/")
    before = client.session.session_key
    sign_in(client, library["alice"])
    assert client.session.session_key != before
    client.post("/account/sign-out/")
    assert client.get("/account/card/").status_code == 302


def test_renew_a_loan_moves_its_due_date(client, library):
    loan = library["alice_loan"]
    due = loan.due_on
    sign_in(client, library["alice"])
    response = client.post(f"/account/loans/{loan.pk}/renew/", follow=True)
    loan.refresh_from_db()
    assert loan.renewals == 1 and loan.due_on > due
    assert "ยืมต่อ" in response.content.decode()


def test_a_renewal_refused_by_the_rules_says_why_and_changes_nothing(client, library):
    # Bob waits for Alice's book: it cannot be renewed.
    loan = library["alice_loan"]
    due = loan.due_on
    sign_in(client, library["alice"])
    hold_services.place_hold(record=library["painting"], patron=library["bob"], pickup_branch=library["city"])
    response = client.post(f"/account/loans/{loan.pk}/renew/", follow=True)
    loan.refresh_from_db()
    assert loan.renewals == 0 and loan.due_on == due
    assert response.context["messages"] and list(response.context["messages"])[0].level_tag == "error"


def test_another_patrons_loan_hold_and_data_are_out_of_reach(client, library):
    sign_in(client, library["alice"])
    bob_loan, bob_hold = library["bob_loan"], library["bob_hold"]
    assert client.post(f"/account/loans/{bob_loan.pk}/renew/").status_code == 404
    assert client.post(f"/account/holds/{bob_hold.pk}/cancel/").status_code == 404
    assert client.post(f"/account/holds/{bob_hold.pk}/pickup/", {"branch": "bangkhen"}).status_code == 404
    bob_loan.refresh_from_db()
    bob_hold.refresh_from_db()
    assert bob_loan.renewals == 0 and bob_hold.status == Hold.Status.WAITING and bob_hold.pickup_branch == library["city"]
    exported = json.loads(client.get("/account/privacy/my-data.json").content)
    text = json.dumps(exported, ensure_ascii=False)
    assert library["alice"].card_number in text and library["bob"].card_number not in text
    assert "บันทึกลับของบุญมี" not in text
    for path in ["/account/", "/account/card/", "/account/history/", "/account/preferences/", "/account/privacy/"]:
        page = client.get(path).content.decode()
        assert "บุญมี" not in page and library["bob"].card_number not in page, path


def test_place_a_hold_from_the_record_page_and_see_it_in_the_account(client, library):
    record = library["secret"]
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert f"/account/?next=/records/{record.pk}/" in page  # visitors are asked to sign in
    sign_in(client, library["alice"])
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert 'id="place-hold"' in page
    response = client.post(f"/records/{record.pk}/hold/", {"branch": "bangkhen"}, follow=True)
    hold = Hold.objects.get(patron=library["alice"], record=record)
    assert hold.pickup_branch == library["bangkhen"]
    assert "บันทึกลับของบุญมี" in response.content.decode()


def test_cancel_a_hold_and_change_its_pickup_branch(client, library):
    sign_in(client, library["bob"])
    hold = library["bob_hold"]
    client.post(f"/account/holds/{hold.pk}/pickup/", {"branch": "bangkhen"})
    hold.refresh_from_db()
    assert hold.pickup_branch == library["bangkhen"]
    client.post(f"/account/holds/{hold.pk}/pickup/", {"branch": "nowhere"})
    hold.refresh_from_db()
    assert hold.pickup_branch == library["bangkhen"]
    client.post(f"/account/holds/{hold.pk}/cancel/")
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED


def test_the_digital_card_shows_a_barcode_and_qr_of_the_card_number(client, library):
    sign_in(client, library["alice"])
    page = client.get("/account/card/").content.decode()
    number = library["alice"].card_number
    assert number in page and 'class="barcode"' in page and 'class="qrcode"' in page


def test_the_card_barcode_encodes_the_card_number_as_code_128():
    from reportlab.graphics.barcode import code128

    number = "2000000012345"
    svg = cards.code128_svg(number)
    widths = [int(w) for w in re.findall(r"h(\d+)v", svg)]
    positions = [int(x) for x in re.findall(r"M(\d+),0", svg)]
    symbol = code128.Code128(number)
    symbol.validate()
    symbol.encode()
    symbol.decompose()
    expected_bars = [ord(c) - ord("A") + 1 for c in symbol.decomposed if c.isupper()]
    assert widths == expected_bars
    # Spaces between bars are the pattern's lowercase widths, and the quiet zone is ten modules.
    gaps = [b - (a + w) for a, w, b in zip(positions, widths, positions[1:], strict=False)]
    assert gaps == [ord(c) - ord("a") + 1 for c in symbol.decomposed if c.islower()]
    assert positions[0] == cards.QUIET_MODULES


def test_the_card_qr_code_matches_the_qr_modules_of_the_card_number():
    number = "2000000012345"
    svg = cards.qr_svg(number)
    matrix = cards.qr_matrix(number)
    dark = sum(row.count(True) for row in matrix)
    drawn = sum(int(n) for n in re.findall(r"h(\d+)v1", svg))
    assert dark == drawn and len(matrix) == 21  # version 1 holds 13 digits


def test_pin_reset_by_a_code_sent_by_email(client, library):
    alice = library["alice"]
    response = client.post("/account/pin/", {"card": alice.card_number})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    bad = client.post("/account/pin/confirm/", {"card": alice.card_number, "code": "000000" if code != "000000"
                                                else "111111", "new_pin": "246810", "new_pin_again": "246810"})
    assert "รหัสไม่ถูกต้อง" in bad.content.decode()
    client.post("/account/pin/confirm/", {"card": alice.card_number, "code": code, "new_pin": "246810",
                                          "new_pin_again": "246810"})
    assert sign_in(client, alice, pin=PIN).status_code == 200  # the old PIN no longer works
    assert sign_in(client, alice, pin="246810").status_code == 302


def test_pin_reset_for_an_unknown_card_says_the_same_and_sends_nothing(client, library):
    response = client.post("/account/pin/", {"card": "2999999999999"})
    assert response.status_code == 302 and not mail.outbox


def test_preferences_and_consent_change_and_are_recorded(client, library):
    alice = library["alice"]
    sign_in(client, alice)
    response = client.post("/account/preferences/", {"pref-channels": ["sms"], "pref-language": "en"})
    assert response.status_code == 200  # Alice has no phone: refused on the field
    client.post("/account/preferences/", {"pref-channels": ["email"], "pref-language": "en"})
    alice.refresh_from_db()
    assert alice.notice_channels == ["email"] and alice.language == "en"
    client.post("/account/privacy/", {"purposes": ["loan_history", "notices"]})
    alice.refresh_from_db()
    consent = alice.consents.order_by("-given_at", "-pk").first()
    assert set(consent.purposes) == {"membership", "loan_history", "notices"}
    assert consent.channel == Consent.Channel.ONLINE and alice.keeps_loan_history


def test_loan_history_is_shown_only_when_the_patron_opted_in(client, library):
    alice = library["alice"]
    lending.checkin(item=library["alice_loan"].item, staff=library["staff"], desk=library["city"])
    sign_in(client, alice)
    page = client.get("/account/history/").content.decode()
    assert "ข้างหลังภาพ" not in page.split("<main", 1)[1]
    patron_services.update_consent(alice, purposes=["loan_history"])
    page = client.get("/account/history/").content.decode()
    assert "ข้างหลังภาพ" in page


def test_self_registration_feeds_the_pending_queue(client, library):
    response = client.post("/account/register/", {
        "first_name_th": "มานี", "last_name_th": "มีนา", "id_type": "thai_id", "national_id": thai_id(424242),
        "birth_date": "1995-02-03", "category": "adult", "phone": "0812345678", "email": "manee@example.org",
        "home_branch": "citylib", "pin": "1357", "pin_again": "1357", "agree_membership": "on",
        "purposes": ["notices"],
    })
    assert response.status_code == 200 and not response.context.get("form"), response.context["form"].errors
    patron = Patron.objects.get(first_name_th="มานี")
    assert patron.status == Patron.Status.PENDING and patron in circ_queries.pending_patrons()
    assert patron.card_number in response.content.decode()


def test_self_registration_with_a_bad_id_says_which_field_and_saves_nothing(client, library):
    response = client.post("/account/register/", {
        "first_name_th": "มานี", "id_type": "thai_id", "national_id": "1234567890123", "birth_date": "1995-02-03",
        "category": "adult", "home_branch": "citylib", "pin": "1357", "pin_again": "1357", "agree_membership": "on",
    })
    assert response.status_code == 200 and response.context["form"].errors
    assert not Patron.objects.filter(first_name_th="มานี").exists()


def test_loans_only_show_open_loans_of_the_patron(library):
    assert list(Loan.objects.filter(patron=library["alice"], returned_at__isnull=True)) == [library["alice_loan"]]


def test_a_block_shows_only_when_the_card_is_blocked(client, library):
    from bkklib.circulation.services import patrons as services

    sign_in(client, library["alice"])
    assert "ถูกระงับ" not in client.get("/account/").content.decode()
    services.block_patron(library["alice"], staff=library["staff"], desk=library["city"], reason="บัตรหาย")
    assert "บัตรหาย" in client.get("/account/").content.decode()


def test_the_record_page_shows_the_due_date_of_a_copy_on_loan(client, library):
    from bkklib.core.calendar import thai_date

    loan = library["alice_loan"]
    page = client.get(f"/records/{library['painting'].pk}/").content.decode()
    assert f"กำหนดคืน {thai_date(loan.due_on)}" in page
