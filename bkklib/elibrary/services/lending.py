"""E-loans and e-holds: borrow, return early, expire at the end, queue, keep a copy 48 hours for the next reader.

Every verb locks the patron and then the title row (``select_for_update``), so parallel borrowers of one
title are served one after the other and never get more loans than the licences' copies; the unique
(licence, seat) of active loans is the database's own guard behind that.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.circulation import queries as circulation_queries
from bkklib.circulation import rules as circulation_rules
from bkklib.circulation.models import Patron
from bkklib.core import history
from bkklib.core.calendar import thai_date

from .. import rules
from ..exceptions import REASONS, ElibraryRefused, NoCopyFree
from ..models import EHold, ELoan, LendingPolicy, Licence, Title, Turnaway


def reader_key(patron: Patron) -> str:
    """A pseudonymous key of the patron, so unique readers can be counted after loans are anonymised."""
    return hmac.new(settings.SECRET_KEY.encode(), f"patron:{patron.pk}".encode(), hashlib.sha256).hexdigest()[:32]


def policy_for(patron: Patron) -> LendingPolicy:
    """Return the e-lending limits of ``patron``'s category (or the default row, or the settings' defaults)."""
    rows = {row.category_id: row for row in LendingPolicy.objects.filter(Q(category_id=patron.category_id)
                                                                            | Q(category__isnull=True))}
    found = rows.get(patron.category_id) or rows.get(None)
    if found is None:
        conf = settings.ELIBRARY
        found = LendingPolicy(max_loans=conf["MAX_LOANS"], max_holds=conf["MAX_HOLDS"], loan_days=conf["LOAN_DAYS"])
    return found


def terms_of(title_id: int) -> list[rules.Terms]:
    """Return the licences of a title as the rules see them, with their active loans counted."""
    licences = Licence.objects.filter(title_id=title_id).annotate(
        active=Count("loans", filter=Q(loans__returned_at__isnull=True)))
    return [rules.Terms(id=lic.pk, kind=lic.kind, copies=lic.copies, loans_total=lic.loans_total,
                        loans_used=lic.loans_used, starts_on=lic.starts_on, expires_on=lic.expires_on,
                        active_loans=lic.active) for lic in licences]


def _check_patron(patron: Patron, today) -> None:
    standing = circulation_queries.standing(patron)
    reason = circulation_rules.patron_refusal(standing.borrower, today=today)
    if reason:
        raise ElibraryRefused(reason, date=thai_date(patron.card_expires_on) if patron.card_expires_on else "",
                              amount=standing.borrower.fines_due)


def _lock(patron: Patron, title: Title) -> tuple[Patron, Title]:
    patron = Patron.objects.select_related("category").select_for_update(of=("self",)).get(pk=patron.pk)
    title = Title.objects.select_for_update().get(pk=title.pk)
    return patron, title


def borrow(*, patron: Patron, title: Title, now: datetime | None = None, channel: str = ELoan.Channel.WEB) -> ELoan:
    """Lend ``title`` to ``patron`` for their category's loan length; return the e-loan.

    Refuse (ElibraryRefused) for the patron's standing or limits; refuse with NoCopyFree, recording a
    turnaway, when every copy is out or kept for a reader ahead in the queue.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    refused_for_copy = None
    with transaction.atomic():
        patron, title = _lock(patron, title)
        _check_patron(patron, today)
        _expire_ready_holds(title, now)
        policy = policy_for(patron)
        open_loans = ELoan.objects.active().filter(patron=patron).count()
        has_it = ELoan.objects.active().filter(patron=patron, title=title).exists()
        if reason := rules.borrow_refusal(open_loans=open_loans, max_loans=policy.max_loans, already_has_it=has_it):
            raise ElibraryRefused(reason, title=title.title, count=open_loans, limit=policy.max_loans)
        terms = terms_of(title.pk)
        my_hold = EHold.objects.filter(title=title, patron=patron, status=EHold.Status.READY).first()
        others_ready = EHold.objects.filter(title=title, status=EHold.Status.READY).exclude(patron=patron).count()
        avail = rules.availability(terms, today=today, ready_holds=others_ready)
        chosen = rules.choose(terms, today=today)
        if chosen is None or not avail.can_borrow:
            refused_for_copy = ("not_lendable" if not avail.lendable else
                                "no_copy_free" if chosen is None else "held_for_another")
        else:
            loan = _lend(patron=patron, title=title, chosen=chosen, policy=policy, now=now, channel=channel)
            if my_hold is not None:
                my_hold.status, my_hold.closed_at = EHold.Status.BORROWED, now
                history.audit(my_hold, None, _("borrowed"))
                my_hold.save(update_fields=["status", "closed_at"])
            return loan
    # Outside the refused transaction: the turnaway (demand the licences did not meet) is kept.
    Turnaway.objects.create(title=title, at=now, channel=channel)
    if refused_for_copy == "not_lendable":
        raise ElibraryRefused("not_lendable", title=title.title)
    if refused_for_copy == "held_for_another":
        raise NoCopyFree(REASONS["held_for_another"], code="held_for_another", title=title.title)
    raise NoCopyFree(title=title.title)


def _lend(*, patron, title, chosen: rules.Terms, policy, now, channel) -> ELoan:
    seat = None
    if chosen.kind != rules.OPEN:
        taken = set(ELoan.objects.active().filter(licence_id=chosen.id).values_list("seat", flat=True))
        seat = rules.free_seat(chosen.copies or 0, taken)
    Licence.objects.filter(pk=chosen.id).update(loans_used=F("loans_used") + 1)
    Title.objects.filter(pk=title.pk).update(loans_count=F("loans_count") + 1)
    loan = ELoan(title=title, licence_id=chosen.id, seat=seat, patron=patron, reader_key=reader_key(patron),
                 category_id=patron.category_id, channel=channel, started_at=now,
                 ends_at=rules.loan_end(now, policy.loan_days))
    history.audit(loan, None, _("borrowed"))
    loan.save()
    return loan


def return_loan(loan: ELoan, *, patron: Patron | None = None, now: datetime | None = None) -> ELoan:
    """End ``loan`` now (early return); the copy goes to the next reader in line."""
    now = now or timezone.now()
    with transaction.atomic():
        # The title first, then the loan: the order expire_loans takes them in (no deadlock between the two).
        Title.objects.select_for_update().get(pk=loan.title_id)
        loan = ELoan.objects.select_for_update().select_related("title").get(pk=loan.pk)
        if patron is not None and loan.patron_id != patron.pk:
            raise ElibraryRefused("not_your_loan")
        if loan.returned_at is not None:
            raise ElibraryRefused("loan_not_active")
        _end(loan, now, ELoan.Ended.RETURNED)
        promote(loan.title, now=now)
    return loan


def _end(loan: ELoan, now: datetime, how: str) -> None:
    loan.returned_at, loan.ended = now, how
    history.audit(loan, None, loan.get_ended_display())
    loan.save(update_fields=["returned_at", "ended"])


def expire_loans(*, now: datetime | None = None) -> int:
    """End every loan whose time is up (the periodic task); return how many ended."""
    now = now or timezone.now()
    ended = 0
    for loan_id, title_id in list(ELoan.objects.active().filter(ends_at__lte=now).values_list("pk", "title_id")):
        with transaction.atomic():
            title = Title.objects.select_for_update().get(pk=title_id)
            loan = ELoan.objects.select_for_update().get(pk=loan_id)
            if loan.returned_at is None:
                _end(loan, now, ELoan.Ended.EXPIRED)
                promote(title, now=now)
                ended += 1
    return ended


def place_hold(*, patron: Patron, title: Title, now: datetime | None = None) -> EHold:
    """Put ``patron`` in the queue for ``title`` (only when no copy is free)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        patron, title = _lock(patron, title)
        _check_patron(patron, today)
        _expire_ready_holds(title, now)
        policy = policy_for(patron)
        active = EHold.objects.active().filter(patron=patron)
        ready = EHold.objects.filter(title=title, status=EHold.Status.READY).count()
        avail = rules.availability(terms_of(title.pk), today=today, ready_holds=ready)
        reason = rules.hold_refusal(
            active_holds=active.count(), max_holds=policy.max_holds, already_holds_it=active.filter(title=title).exists(),
            has_it=ELoan.objects.active().filter(patron=patron, title=title).exists(), can_borrow=avail.can_borrow,
            lendable=avail.lendable)
        if reason:
            raise ElibraryRefused(reason, title=title.title, count=active.count(), limit=policy.max_holds)
        hold = EHold(title=title, patron=patron, placed_at=now)
        history.audit(hold, None, _("placed"))
        hold.save()
    return hold


def cancel_hold(hold: EHold, *, patron: Patron | None = None, now: datetime | None = None) -> EHold:
    now = now or timezone.now()
    with transaction.atomic():
        Title.objects.select_for_update().get(pk=hold.title_id)
        hold = EHold.objects.select_for_update().select_related("title").get(pk=hold.pk)
        if patron is not None and hold.patron_id != patron.pk:
            raise ElibraryRefused("hold_not_active")
        if hold.status not in (EHold.Status.WAITING, EHold.Status.READY):
            raise ElibraryRefused("hold_not_active")
        hold.status, hold.closed_at = EHold.Status.CANCELLED, now
        history.audit(hold, None, _("cancelled"))
        hold.save(update_fields=["status", "closed_at"])
        promote(hold.title, now=now)
    return hold


def _expire_ready_holds(title: Title, now: datetime) -> int:
    late = list(EHold.objects.filter(title=title, status=EHold.Status.READY, expires_at__lte=now))
    for hold in late:
        hold.status, hold.closed_at = EHold.Status.EXPIRED, now
        history.audit(hold, None, _("not borrowed in time"))
        hold.save(update_fields=["status", "closed_at"])
    if late:
        promote(title, now=now)
    return len(late)


def expire_holds(*, now: datetime | None = None) -> int:
    """Close holds not borrowed within 48 hours and pass the copy to the next in line (periodic task)."""
    now = now or timezone.now()
    count = 0
    title_ids = set(EHold.objects.filter(status=EHold.Status.READY, expires_at__lte=now).values_list("title_id", flat=True))
    for title_id in title_ids:
        with transaction.atomic():
            count += _expire_ready_holds(Title.objects.select_for_update().get(pk=title_id), now)
    return count


def promote(title: Title, *, now: datetime) -> list[EHold]:
    """Offer free copies to the readers waiting longest (in the order they placed their holds).

    Call with the title locked. Each promoted hold is kept 48 hours and its reader is told.
    """
    today = timezone.localdate(now)
    ready = EHold.objects.filter(title=title, status=EHold.Status.READY).count()
    avail = rules.availability(terms_of(title.pk), today=today, ready_holds=ready)
    if not avail.lendable:
        return []
    waiting = EHold.objects.filter(title=title, status=EHold.Status.WAITING).order_by("placed_at", "pk")
    room = None if avail.free is None else max(0, avail.free - ready)
    promoted = list(waiting if room is None else waiting[:room])
    for hold in promoted:
        hold.status, hold.ready_at, hold.expires_at = EHold.Status.READY, now, rules.hold_deadline(now)
        history.audit(hold, None, _("a copy is free"))
        hold.save(update_fields=["status", "ready_at", "expires_at"])
        transaction.on_commit(lambda pk=hold.pk: _notify_ready(pk))
    return promoted


def _notify_ready(hold_id: int) -> None:
    from ..tasks import send_hold_ready

    send_hold_ready(hold_id)
