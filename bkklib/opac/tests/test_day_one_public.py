"""Issue 17, item 11: overdue renewals say what they cost, the account shows running fines, holds take
a pickup branch (home and nearby first, pickup points only), the directory names a holiday once."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
from bkklib.circulation.models import Fine, Hold
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import lending
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.models import Branch, Closure
from bkklib.network.tests.factories import BranchFactory, district, staff_user

from .conftest import WED_10AM
from .test_account import sign_in

pytestmark = pytest.mark.django_db
TODAY = WED_10AM.date()


def open_days_late(due: date, today: date) -> int:
    """Days after ``due`` up to today when the city library opens (every day but Monday in the fixture)."""
    return sum(1 for n in range(1, (today - due).days + 1) if (due + timedelta(days=n)).weekday() != 0)


@pytest.fixture
def late(library):
    """Alice has a second book, lent 20 days ago on the 14-day default: 6 days overdue."""
    record = RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช")
    loan = lending.checkout(item=ItemFactory(record=record, branch=library["city"]), patron=library["alice"],
                            staff=library["staff"], desk=library["city"], now=WED_10AM - timedelta(days=20))
    assert loan.due_on < TODAY and loan.fine_per_day > 0
    return loan


def test_the_account_shows_the_running_fine_of_an_overdue_loan_and_the_total_owed(client, library, late):
    alice = library["alice"]
    Fine.objects.create(patron=alice, kind=Fine.Kind.MEMBERSHIP, amount=Decimal("30.00"), branch=library["city"],
                        created_at=WED_10AM - timedelta(days=2), description="ค่าสมาชิก")
    expected = late.fine_per_day * open_days_late(late.due_on, TODAY)
    sign_in(client, alice)
    response = client.get("/account/")
    page = response.content.decode()
    days = (TODAY - late.due_on).days
    assert f"เกินกำหนด {days} วัน</span>" in page and f"ค่าปรับถึงวันนี้ {expected:.2f} บาท" in page
    assert "สี่แผ่นดิน" in page and "ค่าปรับสะสมของหนังสือที่เกินกำหนด" in page
    total = re.search(r'id="total-owed">([\d.,]+)<', page).group(1)
    assert Decimal(total) == Decimal("30.00") + expected
    # The loan that is not overdue adds nothing.
    assert response.context["accruing"] == expected


def test_the_running_fine_counts_what_an_overdue_renewal_already_charged_within_the_cap(library, late):
    from bkklib.circulation import queries as circ_queries

    late.max_fine = Decimal("40.00")
    late.save(update_fields=["max_fine"])
    Fine.objects.create(patron=late.patron, kind=Fine.Kind.OVERDUE, loan=late, item=late.item, amount=Decimal("30.00"),
                        cap=Decimal("40.00"), branch=library["city"], created_at=WED_10AM)
    overdue = circ_queries.overdue_of([late], today=TODAY)[late.pk]
    # 5 open days at 5 baht would be 25, but only 10 baht are left under the 40-baht cap.
    assert overdue.fine == Decimal("10.00") == circ_queries.accrued_fine(late, today=TODAY)


def test_a_refused_renewal_of_an_overdue_loan_says_how_late_and_what_it_costs(client, library, late):
    alice = library["alice"]
    hold_services.place_hold(record=late.item.record, patron=library["bob"], pickup_branch=library["city"],
                             now=WED_10AM)
    sign_in(client, alice)
    response = client.post(f"/account/loans/{late.pk}/renew/", follow=True)
    message = str(list(response.context["messages"])[0])
    expected = late.fine_per_day * open_days_late(late.due_on, TODAY)
    assert "เกินกำหนดส่งแล้ว" in message and f"เกินมา {(TODAY - late.due_on).days} วัน" in message
    assert f"ค่าปรับถึงวันนี้ {expected:,.2f} บาท" in message and "มีสมาชิกท่านอื่นจองรออยู่" in message
    assert "โปรดนำไปคืน" in message and "ก่อนวันที่" not in message
    late.refresh_from_db()
    assert late.renewals == 0


def test_an_overdue_loan_that_may_be_renewed_says_the_fine_was_charged(client, library, late):
    sign_in(client, library["alice"])
    response = client.post(f"/account/loans/{late.pk}/renew/", follow=True)
    message = str(list(response.context["messages"])[0])
    expected = late.fine_per_day * open_days_late(late.due_on, TODAY)
    assert f"{expected:,.2f} บาท บันทึกเข้าบัญชีของคุณแล้ว" in message
    assert Fine.objects.get(loan=late, kind=Fine.Kind.OVERDUE).amount == expected


@pytest.fixture
def around(library):
    """Pickup points around Alice's home (the city library), an office and a museum that are not."""
    near = BranchFactory(code="nearby", name_th="ห้องสมุดประชาชนใกล้เมือง", kind=Branch.Kind.PUBLIC_LIBRARY,
                         district=district("1001"), latitude="13.760000", longitude="100.505000")
    office = BranchFactory(code="office", name_th="กองห้องสมุดสำนักงาน", kind=Branch.Kind.OFFICE,
                           district=district("1001"), latitude="13.757000", longitude="100.502000")
    museum = BranchFactory(code="museum", name_th="พิพิธภัณฑ์เด็ก", kind=Branch.Kind.MUSEUM, district=district("1001"))
    return {"near": near, "office": office, "museum": museum}


def test_the_record_page_offers_pickup_points_home_first_then_nearby(client, library, around):
    sign_in(client, library["alice"])
    record = library["tales"]
    form = client.get(f"/records/{record.pk}/").context["hold_form"]
    field = form["branch"]
    assert field.value() == "citylib"  # the home library by default
    html = str(field)
    assert html.index("citylib") < html.index("nearby") < html.index("bangkhen")
    assert "office" not in html and "museum" not in html and "data-filter" in html
    assert "หอสมุดเมืองกรุงเทพมหานคร (ห้องสมุดของคุณ)" in html
    assert "branch_filter.js" in client.get(f"/records/{record.pk}/").content.decode()


def test_a_hold_takes_the_chosen_pickup_branch_and_refuses_one_that_is_not_a_pickup_point(client, library, around):
    sign_in(client, library["alice"])
    record = library["tales"]
    response = client.post(f"/records/{record.pk}/hold/", {"branch": "office"}, follow=True)
    assert "ไม่รับให้มารับหนังสือ" in str(list(response.context["messages"])[0])
    assert not Hold.objects.filter(patron=library["alice"], record=record).exists()
    client.post(f"/records/{record.pk}/hold/", {"branch": "nearby"})
    assert Hold.objects.get(patron=library["alice"], record=record).pickup_branch == around["near"]


def test_the_hold_services_refuse_a_branch_without_a_desk(library, around):
    from bkklib.circulation.exceptions import HoldRefused

    with pytest.raises(HoldRefused) as refused:
        hold_services.place_hold(record=library["tales"], patron=library["alice"], pickup_branch=around["museum"])
    assert refused.value.code == "not_a_pickup_point"
    with pytest.raises(HoldRefused):
        hold_services.change_pickup_branch(library["bob_hold"], pickup_branch=around["office"], patron=library["bob"])


def test_changing_the_pickup_branch_in_the_account_lists_nearby_first(client, library, around):
    sign_in(client, library["bob"])
    page = client.get("/account/").content.decode()
    select = re.search(r'<select name="branch"[^>]*id="pickup-\d+-branch".*?</select>', page, re.S).group(0)
    assert select.index("citylib") < select.index("nearby") < select.index("bangkhen")
    assert "office" not in select


def test_the_directory_names_a_network_holiday_once_and_a_branch_closure_on_its_card(client, network, fixed_now):
    fixed_now(WED_10AM)
    holiday = "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี " * 2
    Closure.objects.create(branch=None, kind=Closure.Kind.PUBLIC_HOLIDAY, starts_on=TODAY, ends_on=TODAY,
                           reason_th=holiday.strip())
    Closure.objects.create(branch=network["bangkhen"], starts_on=TODAY, ends_on=TODAY + timedelta(days=2),
                           reason_th="ปิดซ่อมหลังคา")
    page = client.get("/libraries/").content.decode()
    assert page.count(holiday.strip()) == 1
    assert "ห้องสมุดทุกแห่งปิดวันที่ 4 มิ.ย. 2568" in page
    assert page.count("ปิดซ่อมหลังคา") == 1
    cards = re.findall(r'<li class="branch-row">.*?</li>', page, re.S)
    assert len(cards) == 3 and all(len(re.sub(r"<[^>]+>|\s+", "", c)) < 200 for c in cards)


def test_an_upcoming_holiday_is_announced_above_the_directory(client, network, fixed_now):
    fixed_now(WED_10AM)
    Closure.objects.create(branch=None, kind=Closure.Kind.PUBLIC_HOLIDAY, starts_on=TODAY + timedelta(days=3),
                           ends_on=TODAY + timedelta(days=4), reason_th="วันหยุดทดสอบ")
    page = client.get("/libraries/").content.decode()
    assert page.count("วันหยุดทดสอบ") == 1 and "ห้องสมุดทุกแห่งปิดตั้งแต่วันที่ 7 มิ.ย. 2568 ถึง 8 มิ.ย. 2568" in page


def test_staff_desk_hold_form_lists_the_patrons_home_and_nearby_first(client, library, around):
    staff = staff_user(roles.BRANCH_LIBRARIAN, library["city"], username="desk-hold")
    patron = PatronFactory(home_branch=library["bangkhen"])
    client.force_login(staff)
    page = client.get(f"/staff/circulation/patrons/{patron.pk}/").content.decode()
    select = re.search(r'<select name="pickup_branch".*?</select>', page, re.S).group(0)
    # Bangkhen's neighbour (the reading house) is a pickup point; the city library lies ~17 km away.
    assert select.index("บางเขน (ห้องสมุดของคุณ)") < select.index("บ้านหนังสือชุมชนทดสอบ") < select.index(
        "หอสมุดเมืองกรุงเทพมหานคร")
    assert "กองห้องสมุดสำนักงาน" not in select and "branch_filter.js" in page
