"""The new screens and API: swaps (volunteer pages, staff roster, API), the handover checklist page, the QR
check-in poster and scan, and the set-up screens; 403/404 for the wrong people, bad input storing nothing."""
from datetime import date, datetime

import pytest

from bkklib.core import roles
from bkklib.network.tests.factories import staff_user
from bkklib.opac import clock
from bkklib.volunteers import services
from bkklib.volunteers.models import Agreement, Call, EvaluationForm, Shift, Signup, Swap

from .conftest import BKK, NOW
from .test_swaps import placed_other

PASSWORD = "รหัสผ่านยาวพอ-2568"


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def pair(placed, fixed_clock):
    services.make_account(application=placed.volunteer.application, password=PASSWORD)
    placed.other = placed_other(placed)
    services.make_account(application=placed.other.application, password=PASSWORD)
    placed.volunteer.refresh_from_db()
    placed.other.refresh_from_db()
    shift = Shift.objects.create(branch=placed.branch, role=placed.role, starts_at=datetime(2025, 6, 9, 9, tzinfo=BKK),
                                 ends_at=datetime(2025, 6, 9, 12, tzinfo=BKK))
    placed.mine = services.sign_up(shift=shift, volunteer=placed.volunteer, now=NOW)
    return placed


def test_a_swap_through_the_pages_asked_accepted_and_approved(pair, client):
    client.force_login(pair.volunteer.user)
    page = client.get(f"/volunteer/me/signups/{pair.mine.pk}/swap/")
    assert page.status_code == 200 and pair.other.full_name in page.content.decode()
    client.post(f"/volunteer/me/signups/{pair.mine.pk}/swap/", {"kind": "give", "to_volunteer": pair.other.pk})
    swap = Swap.objects.get()
    client.force_login(pair.other.user)
    assert "คำขอแลกกะถึงคุณ" in client.get("/volunteer/me/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    client.post(f"/volunteer/me/swaps/{swap.pk}/", {"action": "accept"})
    client.force_login(pair.librarian)
    roster = client.get("/staff/volunteers/roster/").content.decode()
    assert f'id="swap-{swap.pk}"' in roster
    client.post(f"/staff/volunteers/swaps/{swap.pk}/", {"action": "approve"})
    assert Swap.objects.get().status == Swap.Status.APPROVED
    assert Signup.objects.holding().get(shift=pair.mine.shift).volunteer == pair.other


def test_swap_pages_refuse_other_peoples_records(pair, client):
    swap = services.request_swap(signup=pair.mine, volunteer=pair.volunteer, to_volunteer=pair.other, now=NOW)
    client.force_login(pair.other.user)
    assert client.get(f"/volunteer/me/signups/{pair.mine.pk}/swap/").status_code == 404
    assert client.post(f"/volunteer/me/swaps/{swap.pk}/", {"action": "withdraw"}).status_code == 404
    client.force_login(pair.volunteer.user)
    assert client.post(f"/volunteer/me/swaps/{swap.pk}/", {"action": "accept"}).status_code == 404
    services.answer_swap(swap=swap, volunteer=pair.other, accept=True, now=NOW)
    client.force_login(pair.other_librarian)
    assert client.post(f"/staff/volunteers/swaps/{swap.pk}/", {"action": "approve"}).status_code == 404
    client.force_login(pair.desk)
    assert client.post(f"/staff/volunteers/swaps/{swap.pk}/", {"action": "approve"}).status_code == 403
    assert Swap.objects.get().status == Swap.Status.PENDING


def test_a_swap_form_without_a_choice_says_so_in_thai_and_stores_nothing(pair, client):
    client.force_login(pair.volunteer.user)
    page = client.post(f"/volunteer/me/signups/{pair.mine.pk}/swap/", {"kind": "give"}, HTTP_ACCEPT_LANGUAGE="th")
    assert "โปรดเลือกอาสาสมัครที่จะรับกะ" in page.content.decode() and not Swap.objects.exists()


@pytest.fixture
def api_clock(monkeypatch):
    """The API's services read Django's clock: fix it to the tests' Monday morning."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def test_the_swap_api_asks_answers_and_decides(pair, client, api_clock):
    client.force_login(pair.volunteer.user)
    asked = client.post(f"/api/v1/volunteers/signups/{pair.mine.pk}/swap/", {"to_volunteer": pair.other.code},
                        content_type="application/json")
    assert asked.status_code == 201, asked.content
    swap_id = asked.json()["id"]
    assert client.post(f"/api/v1/volunteers/swaps/{swap_id}/decide/", {"approve": True},
                       content_type="application/json").status_code == 403  # a volunteer is no approver
    client.force_login(pair.other.user)
    answer = client.post(f"/api/v1/volunteers/swaps/{swap_id}/answer/", {"accept": True},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "pending"
    client.force_login(pair.librarian)
    assert [s["id"] for s in client.get("/api/v1/volunteers/swaps/?status=pending").json()["results"]] == [swap_id]
    refused = client.post(f"/api/v1/volunteers/swaps/{swap_id}/decide/", {"approve": False},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="th")
    assert refused.status_code == 400 and refused.json()["code"] == "swap_reason"
    done = client.post(f"/api/v1/volunteers/swaps/{swap_id}/decide/", {"approve": True},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "approved"


def test_the_swap_api_refuses_a_volunteer_not_placed_there_with_a_thai_problem(pair, client, api_clock):
    from .conftest import accepted_volunteer

    stranger = accepted_volunteer(pair.call, pair.librarian, twelve="610170020347", first_name="สมปอง")
    client.force_login(pair.volunteer.user)
    answer = client.post(f"/api/v1/volunteers/signups/{pair.mine.pk}/swap/", {"to_volunteer": stranger.code},
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="th")
    assert answer.status_code == 422 and answer.json()["code"] == "not_placed"
    assert "สมปอง" in answer.json()["title"] and not Swap.objects.exists()


def test_the_handover_page_ticks_overrides_and_ends(placed, client, fixed_clock):
    services.request_resignation(agreement=placed.agreement, volunteer=placed.volunteer, now=NOW)
    url = f"/staff/volunteers/agreements/{placed.agreement.pk}/"
    client.force_login(placed.other_librarian)
    assert client.get(url).status_code == 404
    client.force_login(placed.desk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "tick", "items": ["คืนกุญแจตู้"]}).status_code == 403
    client.force_login(placed.librarian)
    client.post(url, {"action": "tick", "items": ["คืนกุญแจตู้"]})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "lib-bangkhen" in page or placed.librarian.get_full_name() in page
    ended = client.post(url, {"action": "end"}, follow=True, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "ส่งต่อรายชื่อเด็กในกิจกรรม" in ended
    assert Agreement.objects.get(pk=placed.agreement.pk).status == Agreement.Status.RESIGNING
    client.post(url, {"action": "override", "reason": "ย้ายไปต่างจังหวัด ติดต่อไม่ได้"})
    assert Agreement.objects.get(pk=placed.agreement.pk).handover_override_reason


def test_the_qr_poster_page_pdf_and_rotation(placed, client):
    client.force_login(placed.librarian)
    page = client.get("/staff/volunteers/check-in-qr/")
    token = services.checkin_point(placed.branch).token
    assert page.status_code == 200 and f"/volunteer/check-in/{token}/" in page.content.decode()
    assert "<svg" in page.content.decode()
    pdf = client.get("/staff/volunteers/check-in-qr.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.post("/staff/volunteers/check-in-qr/")
    assert services.checkin_point(placed.branch).token != token
    client.force_login(placed.desk)  # branch staff see and print the poster but make no new code
    token = services.checkin_point(placed.branch).token
    assert client.get("/staff/volunteers/check-in-qr/").status_code == 200
    client.post("/staff/volunteers/check-in-qr/")
    assert services.checkin_point(placed.branch).token == token


def test_the_scan_page_checks_in_a_volunteer_on_shift_and_refuses_others(pair, client, monkeypatch):
    token = services.checkin_point(pair.branch).token
    url = f"/volunteer/check-in/{token}/"
    assert client.get(url)["Location"].startswith("/volunteer/sign-in/?next=")
    client.force_login(pair.volunteer.user)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="th")
    assert page.status_code == 422 and "คุณไม่มีกะที่" in page.content.decode()
    monkeypatch.setattr(clock, "now", lambda: datetime(2025, 6, 9, 8, 45, tzinfo=BKK))
    assert client.get(url).status_code == 200
    client.post(url)
    assert Signup.objects.get(pk=pair.mine.pk).status == Signup.Status.CHECKED_IN
    assert client.get("/volunteer/check-in/no-such-token/").status_code == 404


def test_the_sign_in_returns_to_the_scan_page(pair, client):
    token = services.checkin_point(pair.branch).token
    page = client.post(f"/volunteer/sign-in/?next=/volunteer/check-in/{token}/",
                       {"code": pair.volunteer.code, "password": PASSWORD})
    assert page["Location"] == f"/volunteer/check-in/{token}/"
    client.logout()
    page = client.post("/volunteer/sign-in/?next=https://evil.example/", {"code": pair.volunteer.code,
                                                                         "password": PASSWORD})
    assert page["Location"] == "/volunteer/me/"


def test_the_scan_api_checks_in_and_refuses_without_a_shift(pair, client, monkeypatch):
    token = services.checkin_point(pair.branch).token
    client.force_login(pair.volunteer.user)
    refused = client.post("/api/v1/volunteers/check-in/", {"token": token}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "no_shift_now"
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 6, 9, 9, 5, tzinfo=BKK))
    done = client.post("/api/v1/volunteers/check-in/", {"token": token}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "checked_in"


def test_setup_screens_save_calls_of_the_users_branch_only(world, client):
    client.force_login(world.librarian)
    assert client.get("/staff/volunteers/setup/").status_code == 200
    data = {"branch": world.branch.pk, "role": world.role.pk, "criteria": world.criteria.pk, "title": "รับอาสาเล่านิทาน",
            "description": "", "wanted": "2", "opens_on": "2025-07-01", "closes_on": "2025-07-31"}
    assert client.post("/staff/volunteers/setup/calls/new/", data).status_code == 302
    bad = client.post("/staff/volunteers/setup/calls/new/", {**data, "closes_on": "2025-06-01"},
                      HTTP_ACCEPT_LANGUAGE="th")
    assert "ปิดรับสมัครก่อนเปิด" in bad.content.decode() or bad.status_code == 200
    elsewhere = client.post("/staff/volunteers/setup/calls/new/", {**data, "branch": world.other_branch.pk})
    assert elsewhere.status_code == 200  # not a choice for this user: the form says so
    assert Call.objects.filter(title="รับอาสาเล่านิทาน").count() == 1
    other_call = Call.objects.create(branch=world.other_branch, role=world.role, criteria=world.criteria, title="อื่น",
                                     opens_on=date(2025, 7, 1), closes_on=date(2025, 7, 2))
    assert client.get(f"/staff/volunteers/setup/calls/{other_call.pk}/").status_code == 404
    assert client.get("/staff/volunteers/setup/criteria/new/").status_code == 403
    client.force_login(world.desk)
    assert client.get("/staff/volunteers/setup/calls/new/").status_code == 403


def test_the_division_edits_evaluation_forms_with_weights(world, client):
    admin = staff_user(roles.NETWORK_ADMIN, world.branch, username="net-admin")
    client.force_login(admin)
    data = {"name": "ประเมินปี 2568", "period_start": "2025-01-01", "period_end": "2025-12-31", "pass_mark": "60",
            "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000", "criteria-0-name": "ตรงต่อเวลา", "criteria-0-weight": "0",
            "criteria-0-max_score": "5", "criteria-1-name": "", "criteria-1-weight": "", "criteria-1-max_score": ""}
    bad = client.post("/staff/volunteers/setup/evaluation-forms/new/", data)
    assert bad.status_code == 200 and not EvaluationForm.objects.exists()
    data["criteria-0-weight"] = "3"
    assert client.post("/staff/volunteers/setup/evaluation-forms/new/", data).status_code == 302
    form = EvaluationForm.objects.get()
    assert [(c.name, c.weight) for c in form.criteria.all()] == [("ตรงต่อเวลา", 3)]
    page = client.get(f"/staff/volunteers/setup/evaluation-forms/{form.pk}/")
    assert page.status_code == 200 and "ตรงต่อเวลา" in page.content.decode()
    for url in ("/staff/volunteers/setup/criteria/new/", "/staff/volunteers/setup/benefits/new/"):
        assert client.get(url).status_code == 200
