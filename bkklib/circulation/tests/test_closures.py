"""A closure added after checkout moves the loans due on its days to the next open day."""
from datetime import date

import pytest

from bkklib.circulation import services
from bkklib.circulation.models import Loan
from bkklib.network import services as network_services

from .conftest import TUE_10AM

pytestmark = pytest.mark.django_db


def test_a_new_closure_moves_due_dates_to_the_next_open_day(desk, django_capture_on_commit_callbacks):
    loan = services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert loan.due_on == date(2025, 6, 17)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=desk.branch, starts_on=date(2025, 6, 17), ends_on=date(2025, 6, 18),
                                     reason_th="น้ำท่วม")
    loan.refresh_from_db()
    assert loan.due_on == date(2025, 6, 19)
    assert loan.history.first().history_change_reason == "due date moved: branch closed"


def test_a_network_holiday_moves_every_branchs_loans(desk, django_capture_on_commit_callbacks):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=None, starts_on=date(2025, 6, 17), ends_on=date(2025, 6, 17),
                                     reason_th="วันหยุดพิเศษ")
    assert Loan.objects.get().due_on == date(2025, 6, 18)


def test_a_closure_elsewhere_leaves_the_loan_alone(desk, django_capture_on_commit_callbacks):
    from bkklib.network.tests.factories import BranchFactory

    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=BranchFactory(), starts_on=date(2025, 6, 17), ends_on=date(2025, 6, 17),
                                     reason_th="ปิด")
    assert Loan.objects.get().due_on == date(2025, 6, 17)
