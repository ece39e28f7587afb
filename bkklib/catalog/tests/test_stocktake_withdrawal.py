"""Stocktake (missing, misplaced, unexpected) and withdrawal with a second person's approval."""
import pytest
from django.db import IntegrityError, transaction

from bkklib.catalog import queries, services
from bkklib.catalog.exceptions import StocktakeClosed, WithdrawalRefused
from bkklib.catalog.models import Item, Withdrawal
from bkklib.core import roles
from bkklib.core.exceptions import NotPermitted
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_a_stocktake_reports_missing_misplaced_unexpected_and_unknown():
    branch, other = BranchFactory(), BranchFactory()
    staff = staff_user(roles.BRANCH_STAFF, branch)
    on_shelf = ItemFactory(branch=branch, shelving_location="GEN")
    not_found = ItemFactory(branch=branch, shelving_location="GEN")
    elsewhere = ItemFactory(branch=other, shelving_location="GEN")
    lent = ItemFactory(branch=branch, shelving_location="GEN", status=Item.Status.ON_LOAN)
    ItemFactory(branch=branch, shelving_location="CHILD")  # another shelf: not expected here

    stocktake = services.start_stocktake(branch=branch, shelving_location="GEN", user=staff)
    for barcode in (on_shelf.barcode, elsewhere.barcode, lent.barcode, "UNKNOWN-1", on_shelf.barcode):
        services.scan(stocktake, barcode, user=staff)
    report = queries.stocktake_report(stocktake)

    assert report.expected == 2 and report.scanned == 4
    assert report.missing == [not_found] and report.misplaced == [elsewhere]
    assert report.unexpected == [lent] and report.unknown == ["UNKNOWN-1"]

    marked = services.close_stocktake(stocktake, user=staff, mark_missing=True)
    assert marked == 1 and Item.objects.get(pk=not_found.pk).status == Item.Status.MISSING
    with pytest.raises(StocktakeClosed):
        services.scan(stocktake, on_shelf.barcode, user=staff)


def test_a_missing_item_found_in_a_stocktake_becomes_available():
    branch = BranchFactory()
    staff = staff_user(roles.BRANCH_STAFF, branch)
    item = ItemFactory(branch=branch, status=Item.Status.MISSING)
    stocktake = services.start_stocktake(branch=branch, user=staff)
    services.scan(stocktake, item.barcode, user=staff)

    services.close_stocktake(stocktake, user=staff, mark_missing=True)

    assert Item.objects.get(pk=item.pk).status == Item.Status.AVAILABLE


def test_staff_cannot_stocktake_another_branch():
    staff = staff_user(roles.BRANCH_STAFF, BranchFactory())
    with pytest.raises(NotPermitted):
        services.start_stocktake(branch=BranchFactory(), user=staff)


def test_withdrawal_needs_a_second_persons_approval():
    branch = BranchFactory()
    asker = staff_user(roles.BRANCH_STAFF, branch)
    approver = staff_user(roles.BRANCH_LIBRARIAN, branch)
    item = ItemFactory(branch=branch)

    withdrawal = services.request_withdrawal(item, reason="worn", disposal="donate", user=asker)
    with pytest.raises(WithdrawalRefused):
        services.request_withdrawal(item, reason="worn", disposal="donate", user=asker)
    with pytest.raises(NotPermitted):
        services.decide_withdrawal(withdrawal, approve=True, user=asker)

    services.decide_withdrawal(withdrawal, approve=True, user=approver, note="ส่งบ้านหนังสือ")

    assert Item.objects.get(pk=item.pk).status == Item.Status.WITHDRAWN
    assert Withdrawal.objects.get().status == "approved"


def test_a_librarian_cannot_approve_their_own_request():
    branch = BranchFactory()
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch)
    withdrawal = services.request_withdrawal(ItemFactory(branch=branch), reason="lost", disposal="none", user=librarian)

    with pytest.raises(WithdrawalRefused):
        services.decide_withdrawal(withdrawal, approve=True, user=librarian)
    with pytest.raises(IntegrityError), transaction.atomic():
        Withdrawal.objects.filter(pk=withdrawal.pk).update(decided_by=librarian, status="approved",
                                                           decided_at=withdrawal.created_at)


def test_an_item_on_loan_cannot_be_withdrawn():
    branch = BranchFactory()
    staff = staff_user(roles.BRANCH_STAFF, branch)
    with pytest.raises(WithdrawalRefused):
        services.request_withdrawal(ItemFactory(branch=branch, status=Item.Status.ON_LOAN), reason="worn",
                                    disposal="discard", user=staff)


def test_other_without_a_note_is_refused():
    branch = BranchFactory()
    with pytest.raises(WithdrawalRefused):
        services.request_withdrawal(ItemFactory(branch=branch), reason="other", disposal="discard",
                                    user=staff_user(roles.BRANCH_STAFF, branch))


def test_two_pending_requests_for_one_item_are_impossible_in_the_database():
    branch = BranchFactory()
    user = staff_user(roles.BRANCH_STAFF, branch)
    item = ItemFactory(branch=branch)
    Withdrawal.objects.create(item=item, reason="worn", disposal="discard", requested_by=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Withdrawal.objects.create(item=item, reason="worn", disposal="discard", requested_by=user)
