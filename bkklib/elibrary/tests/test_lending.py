"""E-loans and e-holds through the services: limits, each licence model at its edges, expiry, queues."""
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from bkklib.circulation.tests.factories import category
from bkklib.core.models import NotificationAttempt

from ..exceptions import ElibraryRefused, NoCopyFree
from ..models import EHold, ELoan, LendingPolicy, Licence, Turnaway
from ..services import lending
from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_borrow_runs_14_days_and_counts_the_loan(patron, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    loan = lending.borrow(patron=patron, title=title, now=NOW)
    assert loan.ends_at == NOW + timedelta(days=14) and loan.seat == 1
    assert Licence.objects.get().loans_used == 1
    title.refresh_from_db()
    assert title.loans_count == 1


def test_the_last_loan_of_a_metered_licence_is_lent_and_the_next_reader_turned_away(patron, other_patrons, title_factory):
    title = title_factory(kind="metered", copies=5, loans_total=2)
    lending.borrow(patron=other_patrons[0], title=title, now=NOW)
    last = lending.borrow(patron=patron, title=title, now=NOW)  # the last loan
    assert last.licence.loans_used == 2
    with pytest.raises(ElibraryRefused) as caught:
        lending.borrow(patron=other_patrons[1], title=title, now=NOW)
    assert caught.value.code == "not_lendable"  # the licence is used up
    assert Turnaway.objects.filter(title=title).count() == 1  # and the demand is counted
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a loan past the total too
        Licence.objects.filter(title=title).update(loans_used=3)


def test_a_licence_expiring_during_a_loan_lets_the_loan_run_to_its_end(patron, other_patrons, title_factory):
    title = title_factory(kind="metered", copies=2, expires_on=NOW.date() + timedelta(days=3))
    loan = lending.borrow(patron=patron, title=title, now=NOW)
    assert loan.ends_at == NOW + timedelta(days=14)
    after_expiry = NOW + timedelta(days=5)
    assert lending.expire_loans(now=after_expiry) == 0  # still running after the licence ended
    with pytest.raises(ElibraryRefused) as caught:  # but nobody new can borrow
        lending.borrow(patron=other_patrons[0], title=title, now=after_expiry)
    assert caught.value.code == "not_lendable"
    assert lending.expire_loans(now=NOW + timedelta(days=14)) == 1
    loan.refresh_from_db()
    assert loan.ended == ELoan.Ended.EXPIRED and loan.returned_at == NOW + timedelta(days=14)


def test_concurrent_seats_lend_up_to_the_seats(patron, other_patrons, title_factory):
    title = title_factory(kind="concurrent", copies=2, expires_on=date(2026, 12, 31))
    seats = {lending.borrow(patron=p, title=title, now=NOW).seat for p in (patron, other_patrons[0])}
    assert seats == {1, 2}
    with pytest.raises(NoCopyFree):
        lending.borrow(patron=other_patrons[1], title=title, now=NOW)


def test_open_access_lends_to_everyone(patron, other_patrons, title_factory):
    title = title_factory(kind="open")
    loans = [lending.borrow(patron=p, title=title, now=NOW) for p in (patron, *other_patrons)]
    assert all(loan.seat is None for loan in loans) and len(loans) == 5


def test_a_title_without_any_licence_cannot_be_borrowed(patron, title_factory):
    title = title_factory(kind=None)
    with pytest.raises(ElibraryRefused) as caught:
        lending.borrow(patron=patron, title=title, now=NOW)
    assert caught.value.code == "not_lendable"


def test_e_loan_limits_come_from_the_patron_category_and_ignore_print_loans(patron, title_factory):
    LendingPolicy.objects.create(category=category("adult"), max_loans=2, max_holds=1, loan_days=7)
    titles = [title_factory(n, kind="open") for n in range(1, 4)]
    first = lending.borrow(patron=patron, title=titles[0], now=NOW)
    assert first.ends_at == NOW + timedelta(days=7)
    lending.borrow(patron=patron, title=titles[1], now=NOW)
    with pytest.raises(ElibraryRefused) as caught:
        lending.borrow(patron=patron, title=titles[2], now=NOW)
    assert caught.value.code == "eloan_limit"


def test_borrowing_twice_is_refused(patron, title_factory):
    title = title_factory(kind="open")
    lending.borrow(patron=patron, title=title, now=NOW)
    with pytest.raises(ElibraryRefused) as caught:
        lending.borrow(patron=patron, title=title, now=NOW)
    assert caught.value.code == "already_borrowed"


def test_an_expired_card_cannot_borrow(patron, title_factory):
    patron.card_expires_on = date(2026, 1, 1)
    patron.save()
    with pytest.raises(ElibraryRefused) as caught:
        lending.borrow(patron=patron, title=title_factory(kind="open"), now=NOW)
    assert caught.value.code == "card_expired"


def test_early_return_frees_the_copy(patron, other_patrons, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    loan = lending.borrow(patron=patron, title=title, now=NOW)
    lending.return_loan(loan, patron=patron, now=NOW + timedelta(hours=2))
    loan.refresh_from_db()
    assert loan.ended == ELoan.Ended.RETURNED
    assert lending.borrow(patron=other_patrons[0], title=title, now=NOW + timedelta(hours=3)).seat == 1
    with pytest.raises(ElibraryRefused):
        lending.return_loan(loan, patron=patron, now=NOW + timedelta(hours=4))


def test_holds_are_promoted_in_the_order_they_were_placed(patron, other_patrons, title_factory,
                                                          django_capture_on_commit_callbacks):
    title = title_factory(kind="perpetual", copies=1)
    loan = lending.borrow(patron=patron, title=title, now=NOW)
    queue = [lending.place_hold(patron=p, title=title, now=NOW + timedelta(minutes=n))
             for n, p in enumerate(other_patrons[:3], 1)]
    with django_capture_on_commit_callbacks(execute=True):
        lending.return_loan(loan, patron=patron, now=NOW + timedelta(hours=1))
    states = [EHold.objects.get(pk=h.pk).status for h in queue]
    assert states == ["ready", "waiting", "waiting"]
    first = EHold.objects.get(pk=queue[0].pk)
    assert first.expires_at == NOW + timedelta(hours=49)
    assert NotificationAttempt.objects.filter(about=f"circulation.patron:{other_patrons[0].pk}").exists()
    # someone not first in line is turned away: the free copy is kept
    with pytest.raises(NoCopyFree) as caught:
        lending.borrow(patron=other_patrons[2], title=title, now=NOW + timedelta(hours=2))
    assert caught.value.code == "held_for_another"
    # not borrowed within 48 hours: the copy passes to the second in line
    assert lending.expire_holds(now=NOW + timedelta(hours=50)) == 1
    states = [EHold.objects.get(pk=h.pk).status for h in queue]
    assert states == ["expired", "ready", "waiting"]
    loan = lending.borrow(patron=other_patrons[1], title=title, now=NOW + timedelta(hours=51))
    assert EHold.objects.get(pk=queue[1].pk).status == "borrowed" and loan.seat == 1


def test_a_hold_is_refused_while_a_copy_is_free(patron, title_factory):
    with pytest.raises(ElibraryRefused) as caught:
        lending.place_hold(patron=patron, title=title_factory(kind="open"), now=NOW)
    assert caught.value.code == "available_now"


def test_a_new_licence_offers_its_copies_to_the_queue(patron, other_patrons, title_factory):
    from ..services import licences

    title = title_factory(kind="perpetual", copies=1)
    lending.borrow(patron=patron, title=title, now=NOW)
    hold = lending.place_hold(patron=other_patrons[0], title=title, now=NOW)
    licences.save_licence(Licence(title=title, kind="perpetual", copies=1, starts_on=NOW.date()), now=NOW)
    assert EHold.objects.get(pk=hold.pk).status == "ready"


def test_cancelling_a_ready_hold_passes_the_copy_on(patron, other_patrons, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    loan = lending.borrow(patron=patron, title=title, now=NOW)
    first = lending.place_hold(patron=other_patrons[0], title=title, now=NOW)
    second = lending.place_hold(patron=other_patrons[1], title=title, now=NOW + timedelta(seconds=1))
    lending.return_loan(loan, now=NOW + timedelta(hours=1))
    lending.cancel_hold(EHold.objects.get(pk=first.pk), patron=other_patrons[0], now=NOW + timedelta(hours=2))
    assert EHold.objects.get(pk=second.pk).status == "ready"


def test_the_periodic_task_ends_loans_and_holds():
    from ..tasks import expire_loans_and_holds

    assert expire_loans_and_holds.call_local() == {"loans": 0, "holds": 0}
