"""Branch scoping: staff act only at desks they work at; lending itself crosses the whole network."""
from decimal import Decimal

import pytest
from django.urls import reverse

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import queries, services
from bkklib.circulation.models import Fine
from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network import access
from bkklib.network.tests.factories import BranchFactory, staff_user

from .conftest import TUE_10AM
from .factories import PatronFactory

pytestmark = pytest.mark.django_db


def test_staff_of_branch_a_cannot_take_money_or_waive_at_branch_b(desk):
    other = BranchFactory()
    fine = Fine.objects.create(patron=desk.patron, kind=Fine.Kind.DAMAGED, branch=other, amount=Decimal("30"),
                               created_at=TUE_10AM)
    with pytest.raises(NotPermitted):
        services.pay(patron=desk.patron, amount="30", staff=desk.staff, desk=other)
    with pytest.raises(NotPermitted):
        services.waive(fine=fine, amount="30", reason="x", staff=desk.staff, desk=other)
    assert queries.fines_due(desk.patron) == Decimal("30.00")
    # At their own desk they can take the payment for a fine charged elsewhere: one account, one network.
    services.pay(patron=desk.patron, amount="30", staff=desk.staff, desk=desk.branch)


def test_a_patron_of_another_branch_borrows_another_branchs_item_here(desk):
    far = BranchFactory()
    loan = services.checkout(item=ItemFactory(branch=far), patron=PatronFactory(home_branch=far), staff=desk.staff,
                             desk=desk.branch, now=TUE_10AM)
    assert loan.branch == desk.branch


def test_the_cash_up_and_hold_shelf_are_the_desks_own(client, desk):
    other = BranchFactory()
    other_staff = staff_user(roles.BRANCH_LIBRARIAN, other)
    Fine.objects.create(patron=desk.patron, kind=Fine.Kind.DAMAGED, branch=other, amount=Decimal("77"),
                        created_at=TUE_10AM)
    services.pay(patron=desk.patron, amount="77", staff=other_staff, desk=other)
    client.force_login(desk.staff)
    session = client.session
    session[access.DESK_SESSION_KEY] = other.pk  # a desk this user is not assigned to
    session.save()
    page = client.get(reverse("circulation:cash-up")).content.decode()
    assert "77.00" not in page  # falls back to the user's own branch, whose takings are nil
