"""Checkout at any desk: due dates on open days, and every refusal named with its reason."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bkklib.catalog.models import Item, ItemType
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.exceptions import CheckoutRefused, ItemNotAvailable
from bkklib.circulation.models import Fine, Loan, LoanPolicy
from bkklib.core.exceptions import NotPermitted
from bkklib.network import services as network_services
from bkklib.network.tests.factories import BranchFactory

from .conftest import TUE_10AM
from .factories import PatronFactory, category

pytestmark = pytest.mark.django_db


def lend(desk, item=None, patron=None, now=TUE_10AM):
    return services.checkout(item=item or desk.item, patron=patron or desk.patron, staff=desk.staff, desk=desk.branch,
                             now=now)


def test_checkout_lends_for_the_policy_loan_period(desk):
    loan = lend(desk)

    assert loan.due_on == date(2025, 6, 17)  # 14-day network default, Tuesday
    desk.item.refresh_from_db()
    assert desk.item.status == Item.Status.ON_LOAN
    assert loan.age_band == "25-39" and loan.patron_category.code == "adult"
    assert loan.history.count() == 1


def test_a_due_date_on_a_closed_day_moves_to_the_next_open_day(desk):
    network_services.add_closure(branch=desk.branch, starts_on=date(2025, 6, 17), ends_on=date(2025, 6, 19),
                                 reason_th="ปิดปรับปรุง")
    assert lend(desk).due_on == date(2025, 6, 20)


def test_a_branch_policy_beats_the_network_default(desk):
    LoanPolicy.objects.create(branch=desk.branch, loan_days=7)
    assert lend(desk).due_on == date(2025, 6, 10)


def test_any_item_of_the_network_can_be_lent_at_any_desk(desk):
    far_item = ItemFactory(branch=BranchFactory(name_th="ห้องสมุดพระนคร"))
    loan = lend(desk, item=far_item)
    assert loan.branch == desk.branch and loan.item.branch != desk.branch


def test_an_item_on_loan_cannot_be_lent_again(desk):
    lend(desk)
    with pytest.raises(ItemNotAvailable) as err:
        lend(desk, patron=PatronFactory())
    assert err.value.code == "item_on_loan"
    assert desk.item.barcode in err.value.text and "2568" in err.value.text  # due date in the Buddhist Era
    assert Loan.objects.count() == 1


def test_an_item_in_transit_cannot_be_lent(desk):
    home = BranchFactory()
    item = ItemFactory(branch=home)
    lend(desk, item=item)
    services.checkin(item=item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=1))

    with pytest.raises(ItemNotAvailable) as err:
        lend(desk, item=item, now=TUE_10AM + timedelta(days=1))

    assert err.value.code == "item_in_transit" and home.name_th in err.value.text


def test_an_expired_card_is_refused_with_the_date(desk):
    patron = PatronFactory(card_expires_on=date(2025, 5, 31))
    with pytest.raises(CheckoutRefused) as err:
        lend(desk, patron=patron)
    assert err.value.code == "card_expired" and "31 พ.ค. 2568" in err.value.text
    assert not Loan.objects.exists()
    desk.item.refresh_from_db()
    assert desk.item.status == Item.Status.AVAILABLE


def test_a_blocked_patron_is_refused_with_the_block_reason(desk):
    services.block_patron(desk.patron, staff=desk.staff, desk=desk.branch, reason="บัตรหาย แจ้งระงับ")
    with pytest.raises(CheckoutRefused) as err:
        lend(desk)
    assert err.value.code == "patron_blocked" and "บัตรหาย" in err.value.text


def test_fines_reaching_the_category_limit_block_borrowing(desk):
    Fine.objects.create(patron=desk.patron, kind=Fine.Kind.DAMAGED, branch=desk.branch, amount=Decimal("100"),
                        created_at=TUE_10AM)
    with pytest.raises(CheckoutRefused) as err:
        lend(desk)
    assert err.value.code == "fines_due" and "100.00" in err.value.text


def test_a_pending_patron_cannot_borrow(desk):
    with pytest.raises(CheckoutRefused) as err:
        lend(desk, patron=PatronFactory(status="pending"))
    assert err.value.code == "patron_pending"


def test_the_loan_limit_counts_open_loans(desk):
    LoanPolicy.objects.create(category=category("adult"), max_loans=2)
    for _ in range(2):
        lend(desk, item=ItemFactory(branch=desk.branch))
    with pytest.raises(CheckoutRefused) as err:
        lend(desk)
    assert err.value.code == "loan_limit" and "2" in err.value.text


def test_reference_items_are_for_library_use_only(desk):
    item = ItemFactory(branch=desk.branch, item_type=ItemType.objects.get(code="reference"))
    with pytest.raises(CheckoutRefused) as err:
        lend(desk, item=item)
    assert err.value.code == "not_for_loan"


def test_staff_cannot_lend_at_a_desk_they_do_not_work_at(desk):
    with pytest.raises(NotPermitted):
        services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=BranchFactory(), now=TUE_10AM)


def test_the_database_refuses_a_second_open_loan_of_one_item(desk):
    loan = lend(desk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(item=loan.item, patron=PatronFactory(), branch=desk.branch, checked_out_at=TUE_10AM,
                            due_on=date(2025, 6, 17), item_type=loan.item_type, patron_category=loan.patron_category)


def test_english_messages_on_request(desk):
    from django.utils import translation

    lend(desk)
    with translation.override("en"), pytest.raises(ItemNotAvailable) as err:
        lend(desk, patron=PatronFactory())
    with translation.override("en"):
        assert "is already on loan" in err.value.text
