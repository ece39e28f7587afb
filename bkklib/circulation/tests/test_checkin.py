"""Checkin anywhere: overdue fines on open days, transit home, holds trapped, renew refusals."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.exceptions import RenewalRefused
from bkklib.circulation.models import Fine, Hold, LoanPolicy, Transit
from bkklib.network import services as network_services
from bkklib.network.tests.factories import BranchFactory

from .conftest import TUE_10AM
from .factories import PatronFactory

pytestmark = pytest.mark.django_db


def lend(desk, item=None, patron=None, now=TUE_10AM):
    return services.checkout(item=item or desk.item, patron=patron or desk.patron, staff=desk.staff, desk=desk.branch,
                             now=now)


def back(desk, item=None, days=1, branch=None):
    return services.checkin(item=item or desk.item, staff=desk.staff, desk=branch or desk.branch,
                            now=TUE_10AM + timedelta(days=days))


def test_an_item_back_on_time_goes_to_the_shelf_without_a_fine(desk):
    lend(desk)
    result = back(desk)
    assert result.loan.returned_at and result.fine is None and result.destination == "shelf"
    desk.item.refresh_from_db()
    assert desk.item.status == Item.Status.AVAILABLE


def test_a_late_return_is_fined_for_open_days_only(desk):
    lend(desk)  # due Tue 17 Jun
    # Back on Tue 24 Jun: 18–24 Jun is 7 days, Monday 23 closed → 6 open days × 5 baht.
    result = back(desk, days=21)
    assert result.fine.amount == Decimal("30.00") and result.fine.kind == Fine.Kind.OVERDUE


def test_a_holiday_during_the_late_period_is_not_fined(desk):
    lend(desk)
    network_services.add_closure(branch=None, starts_on=date(2025, 6, 18), ends_on=date(2025, 6, 19),
                                 reason_th="วันหยุดราชการ")
    assert back(desk, days=21).fine.amount == Decimal("20.00")


def test_the_fine_stops_at_its_cap(desk):
    lend(desk)
    result = back(desk, days=200)
    assert result.fine.amount == Decimal("100.00") == result.fine.cap


def test_an_item_returned_away_from_home_goes_in_transit_home(desk):
    lend(desk)
    elsewhere = BranchFactory(name_th="ห้องสมุดพระนคร")
    from bkklib.core import roles
    from bkklib.network.models import Assignment

    Assignment.objects.create(staff=desk.staff.staff_member, branch=elsewhere, starts_on=date(2000, 1, 1))
    result = back(desk, branch=elsewhere)
    assert result.destination == "transit"
    assert result.transit.to_branch == desk.branch and result.transit.reason == Transit.Reason.RETURN_HOME
    desk.item.refresh_from_db()
    assert desk.item.status == Item.Status.IN_TRANSIT
    # Received at home: back on the shelf.
    assert back(desk, days=3).destination == "shelf"
    assert roles  # the role helpers are the ones desks use


def test_a_returned_item_is_trapped_for_the_first_waiting_hold(desk):
    lend(desk)
    first, second = PatronFactory(), PatronFactory()
    h1 = services.place_hold(record=desk.item.record, patron=first, pickup_branch=desk.branch, staff=desk.staff,
                             desk=desk.branch, now=TUE_10AM)
    services.place_hold(record=desk.item.record, patron=second, pickup_branch=desk.branch, staff=desk.staff,
                        desk=desk.branch, now=TUE_10AM)
    result = back(desk)
    assert result.hold.pk == h1.pk and result.destination == "hold_shelf"
    h1.refresh_from_db()
    assert h1.status == Hold.Status.READY and h1.expires_on == date(2025, 6, 11)  # 7 days from Wed 4 Jun
    desk.item.refresh_from_db()
    assert desk.item.status == Item.Status.ON_HOLD_SHELF


def test_a_hold_for_another_branch_sends_the_item_there(desk):
    lend(desk)
    pickup = BranchFactory(name_th="ห้องสมุดดินแดง")
    hold = services.place_hold(record=desk.item.record, patron=PatronFactory(), pickup_branch=pickup,
                               staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    result = back(desk)
    assert result.transit.to_branch == pickup and result.transit.hold == hold
    hold.refresh_from_db()
    assert hold.status == Hold.Status.IN_TRANSIT and hold.trapped_item == desk.item


def test_renew_extends_from_today_and_counts(desk):
    loan = lend(desk)
    renewed = services.renew(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=10))
    assert renewed.renewals == 1 and renewed.due_on == date(2025, 6, 27)


def test_renew_is_refused_at_the_limit_with_the_counts(desk):
    LoanPolicy.objects.create(branch=desk.branch, renewals_allowed=1)
    loan = lend(desk)
    services.renew(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    with pytest.raises(RenewalRefused) as err:
        services.renew(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert err.value.code == "renewal_limit" and "1" in err.value.text


def test_renew_of_an_item_another_patron_holds_is_refused_and_changes_nothing(desk):
    loan = lend(desk)
    services.place_hold(record=desk.item.record, patron=PatronFactory(), pickup_branch=desk.branch,
                        staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    with pytest.raises(RenewalRefused) as err:
        services.renew(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert err.value.code == "on_hold_for_another" and "17 มิ.ย. 2568" in err.value.text
    loan.refresh_from_db()
    assert loan.renewals == 0 and loan.due_on == date(2025, 6, 17)


def test_renewing_an_overdue_loan_charges_the_fine_so_far(desk):
    loan = lend(desk)
    services.renew(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=16))  # Thu 19 Jun
    fine = Fine.objects.get(loan=loan)
    assert fine.amount == Decimal("10.00")
    back(desk, days=60)  # late again after the renewal: the same fine grows, within the cap
    fine.refresh_from_db()
    assert fine.amount == Decimal("100.00")
    assert Fine.objects.filter(loan=loan).count() == 1


def test_lost_items_are_charged_price_and_processing(desk):
    item = ItemFactory(branch=desk.branch, price=Decimal("250"))
    loan = lend(desk, item=item)
    fines = services.declare_lost(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert sorted(f.amount for f in fines) == [Decimal("50.00"), Decimal("250.00")]
    item.refresh_from_db()
    assert item.status == Item.Status.LOST


def test_claims_returned_stops_the_fine_from_growing(desk):
    loan = lend(desk)
    services.claims_returned(loan=loan, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=16))
    result = back(desk, days=40)
    assert result.fine.amount == Decimal("10.00")
