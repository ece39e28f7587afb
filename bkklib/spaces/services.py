"""The verbs of spaces: book, repeat, cancel, approve, check in, release no-shows, block, cancel for a closure.

Every verb is one transaction. Double bookings are impossible twice over: the space row is locked
(``select_for_update``; on SQLite every write transaction is ``BEGIN IMMEDIATE``, so writers queue)
before the overlap is checked, and on PostgreSQL the exclusion constraint ``spaces_booking_no_overlap``
refuses an overlapping row whatever the code does.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.circulation.models import Patron
from bkklib.core.calendar import thai_date
from bkklib.core.exceptions import DomainError, InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.network import access
from bkklib.network.models import Branch

from . import queries, rules, tasks
from .exceptions import (
    BadRepeat,
    BookingRefused,
    BookingStateRefused,
    CancelRefused,
    CheckInRefused,
    SlotTaken,
    SpaceNotBookable,
)
from .models import ACTIVE_STATUSES, Booking, BookingSuspension, Space

MAX_REPEAT_DAYS = 366


def _hours_text(periods) -> str:
    return ", ".join(f"{a:%H.%M}–{b:%H.%M}" for a, b in periods) or "—"


def _refusal(reason: str, *, space: Space, rule: rules.Rule, span: rules.Span, day: rules.Day,
             cal: queries.Calendar, people: int, booker: rules.Booker | None, now: datetime) -> BookingRefused:
    """Build the refusal with every detail its Thai message names."""
    when = span[0].date()
    closed = cal.closed.get(when, ("", ""))
    return BookingRefused(
        reason, space=space.name_th, window=rule.window_days,
        last=thai_date(now.date() + timedelta(days=rule.window_days)), notice=rule.min_notice_minutes,
        slot=rule.slot_minutes, day=thai_date(when), closure=closed[1],
        hours=_hours_text(cal.periods.get(when.weekday(), ())), capacity=space.capacity, people=people,
        until=thai_date(booker.suspended_until) if booker and booker.suspended_until else "",
        categories=", ".join(str(c) for c in _category_names(rule)), age=rule.min_age or 0,
        limit=rule.max_hours_per_day if reason == "day_limit" else rule.max_hours_per_week,
    )


def _category_names(rule: rules.Rule):
    from bkklib.circulation.models import PatronCategory

    return PatronCategory.objects.filter(pk__in=rule.category_ids).values_list("name_th", flat=True)


def _save_new(booking: Booking, by) -> Booking:
    audit(booking, by, "booked" if booking.kind != Booking.Kind.BLOCK else "blocked")
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal leaves the outer transaction usable
            booking.save()
    except IntegrityError as exc:
        if "no_overlap" in str(exc) or "exclusion" in str(exc).lower():
            raise SlotTaken(space=booking.space.name_th) from None
        raise
    return booking


@transaction.atomic
def book_space(*, space: Space, patron: Patron, starts_at: datetime, ends_at: datetime, people: int = 1,
               purpose: str = "", by=None, now: datetime | None = None, series: uuid.UUID | None = None) -> Booking:
    """Book ``space`` for ``patron`` from ``starts_at`` to ``ends_at`` and return the booking.

    Without ``by`` it is the patron's own online booking: only public spaces, within the window
    and notice of the rule, and it waits for approval when the rule says so. With ``by`` (staff,
    who must be allowed to book at the space's branch) it is a walk-in or a repeat booking.
    Raise BookingRefused (with the rule's reason as code), SlotTaken, SpaceNotBookable or NotPermitted.
    """
    now = now or timezone.now()
    space = Space.objects.select_for_update().select_related("branch").get(pk=space.pk)
    if by is not None:
        access.require(by, "spaces.add_booking", at=space.branch)
    elif not (space.is_public and space.is_active):
        raise SpaceNotBookable(space=space.name_th)
    if not space.is_active:
        raise SpaceNotBookable(space=space.name_th)
    # Lock the patron too: two tabs booking at once must not pass the daily limit together.
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    if patron.status != Patron.Status.ACTIVE:
        raise BookingRefused("patron_inactive")
    span = (queries.local(starts_at), queries.local(ends_at))
    rule = queries.rule_for(space)
    cal = queries.calendar(space.branch, span[0].date(), span[0].date())
    day = cal.day(span[0].date())
    booker = queries.booker(patron, day=span[0].date())
    now_local = queries.local(now)
    reason = rules.refusal(span=span, people=people, capacity=space.capacity, rule=rule, booker=booker, day=day,
                           taken=queries.taken_spans(space, starts_at - timedelta(days=1),
                                                     ends_at + timedelta(days=1)),
                           now=now_local, by_staff=by is not None)
    if reason:
        raise _refusal(reason, space=space, rule=rule, span=span, day=day, cal=cal, people=people, booker=booker,
                       now=now_local)
    status = Booking.Status.PENDING if rule.requires_approval and by is None else Booking.Status.CONFIRMED
    booking = _save_new(Booking(space=space, branch=space.branch, patron=patron, starts_at=starts_at,
                                ends_at=ends_at, people=people, purpose=(purpose or "")[:200], created_at=now,
                                created_by=by, status=status, series=series,
                                kind=Booking.Kind.STAFF if by is not None else Booking.Kind.ONLINE), by)
    kind = "pending" if status == Booking.Status.PENDING else "confirmed"
    transaction.on_commit(lambda: tasks.send_booking_notice(booking.pk, kind))
    return booking


@transaction.atomic
def book_series(*, space: Space, patron: Patron, starts_at: datetime, ends_at: datetime, until: date, by,
                people: int = 1, purpose: str = "", now: datetime | None = None
                ) -> tuple[list[Booking], list[tuple[date, str]]]:
    """Book the same time every week until ``until`` (staff only); each occurrence is checked on its own.

    Return the bookings made and, for each occurrence refused, its day and the reason's text.
    """
    now = now or timezone.now()
    first = queries.local(starts_at).date()
    if until < first or until > first + timedelta(days=MAX_REPEAT_DAYS):
        raise BadRepeat()
    access.require(by, "spaces.add_booking", at=space.branch)
    series = uuid.uuid4()
    made, refused = [], []
    week = 0
    while True:
        start, end = starts_at + timedelta(weeks=week), ends_at + timedelta(weeks=week)
        start, end = queries.aware(queries.local(start)), queries.aware(queries.local(end))
        if queries.local(start).date() > until:
            break
        try:
            with transaction.atomic():
                made.append(book_space(space=space, patron=patron, starts_at=start, ends_at=end, people=people,
                                       purpose=purpose, by=by, now=now, series=series))
        except DomainError as exc:
            refused.append((queries.local(start).date(), exc.text))
        week += 1
    return made, refused


def _owned(booking: Booking, patron: Patron | None, by) -> None:
    if patron is not None:
        if booking.patron_id != patron.pk:
            raise NotPermitted()
    else:
        access.require(by, "spaces.change_booking", at=booking.branch)


@transaction.atomic
def cancel_booking(*, booking: Booking, patron: Patron | None = None, by=None, reason: str = "",
                   now: datetime | None = None) -> Booking:
    """Cancel ``booking``: by its patron up to the rule's cut-off, or by staff of its branch at any time."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).select_related("space", "branch").get(pk=booking.pk)
    _owned(booking, patron, by)
    if booking.status not in ACTIVE_STATUSES:
        raise BookingStateRefused(status=booking.get_status_display())
    if patron is not None:
        rule = queries.rule_for(booking.space)
        if not rules.may_cancel(starts_at=queries.local(booking.starts_at), now=queries.local(now),
                                cutoff_minutes=rule.cancel_cutoff_minutes):
            raise CancelRefused(cutoff=rule.cancel_cutoff_minutes)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = (reason or (_("cancelled by the patron") if patron else _("cancelled by staff")))[:200]
    audit(booking, by, "cancelled").save()
    if patron is None and booking.patron_id:
        transaction.on_commit(lambda: tasks.send_booking_notice(booking.pk, "cancelled"))
    return booking


@transaction.atomic
def decide(*, booking: Booking, by, approve: bool, now: datetime | None = None) -> Booking:
    """Approve (confirm) or refuse a booking waiting for approval; tell the patron."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("space", "branch").get(pk=booking.pk)
    access.require(by, "spaces.approve_booking", at=booking.branch)
    if booking.status != Booking.Status.PENDING:
        raise BookingStateRefused(status=booking.get_status_display())
    booking.status = Booking.Status.CONFIRMED if approve else Booking.Status.REJECTED
    if not approve:
        booking.cancelled_at = now or timezone.now()
    audit(booking, by, "approved" if approve else "not approved").save()
    kind = "confirmed" if approve else "rejected"
    transaction.on_commit(lambda: tasks.send_booking_notice(booking.pk, kind))
    return booking


@transaction.atomic
def check_in(*, booking: Booking, by=None, patron: Patron | None = None, now: datetime | None = None) -> Booking:
    """Check ``booking`` in (staff scanning its QR, or its patron scanning the space's QR)."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).select_related("space", "branch", "patron").get(pk=booking.pk)
    _owned(booking, patron, by)
    if booking.status == Booking.Status.CHECKED_IN:
        return booking  # a second scan changes nothing
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingStateRefused(status=booking.get_status_display())
    if not rules.may_check_in(starts_at=queries.local(booking.starts_at), ends_at=queries.local(booking.ends_at),
                              now=queries.local(now)):
        raise CheckInRefused()
    booking.status = Booking.Status.CHECKED_IN
    booking.checked_in_at = now
    booking.checked_in_by = by
    audit(booking, by, "checked in").save()
    return booking


def check_in_at_space(*, token: str, patron: Patron, now: datetime | None = None) -> Booking:
    """Check ``patron`` in at the space whose QR (``token``) they scanned: their booking there now."""
    now = now or timezone.now()
    space = Space.objects.filter(checkin_token=token).first()
    if space is None:
        raise InvalidInput(_("This QR code is not a space of the library."), code="unknown_space")
    booking = (Booking.objects.filter(space=space, patron=patron, status__in=(Booking.Status.CONFIRMED,
                                                                               Booking.Status.CHECKED_IN))
               .filter(starts_at__lte=now + timedelta(minutes=15), ends_at__gt=now).order_by("starts_at").first())
    if booking is None:
        raise CheckInRefused(_("You have no booking of {space} now."), code="no_booking_now", space=space.name_th)
    return check_in(booking=booking, patron=patron, now=now)


@transaction.atomic
def release_no_shows(*, now: datetime | None = None) -> int:
    """Release confirmed bookings nobody checked into N minutes after their start; count them as no-shows.

    Patrons who reach the rule's number of no-shows are suspended from booking. Return how many
    bookings were released. A checked-in booking is never touched.
    """
    now = now or timezone.now()
    released = 0
    patrons: dict[int, rules.Rule] = {}
    candidates = (Booking.objects.select_for_update(of=("self",)).filter(status=Booking.Status.CONFIRMED,
                                                             checked_in_at__isnull=True, starts_at__lte=now)
                  .exclude(kind=Booking.Kind.BLOCK).select_related("space"))
    rule_cache: dict[int, rules.Rule] = {}
    for booking in candidates:
        rule = rule_cache.setdefault(booking.space_id, queries.rule_for(booking.space))
        if not rules.is_no_show(status=booking.status, starts_at=booking.starts_at, checked_in=False, now=now,
                                release_after_minutes=rule.release_after_minutes):
            continue
        booking.status = Booking.Status.NO_SHOW
        booking.cancelled_at = now
        booking.cancel_reason = _("not checked in within {minutes} minutes").format(
            minutes=rule.release_after_minutes)[:200]
        audit(booking, None, "released: no-show").save(update_fields=["status", "cancelled_at", "cancel_reason"])
        released += 1
        patrons[booking.patron_id] = rule
    today = timezone.localdate(now)
    for patron_id, rule in patrons.items():
        if BookingSuspension.objects.filter(patron_id=patron_id, ends_on__gte=today).exists():
            continue
        days = [queries.local(s).date() for s in Booking.objects.filter(
            patron_id=patron_id, status=Booking.Status.NO_SHOW,
            starts_at__gte=now - timedelta(days=rule.no_show_period_days + 1)).values_list("starts_at", flat=True)]
        until = rules.suspension_until(no_show_days=days, today=today, rule=rule)
        if until:
            suspension = BookingSuspension(patron_id=patron_id, starts_on=today, ends_on=until, created_at=now,
                                           reason=_("{count} no-shows in {days} days").format(
                                               count=len(days), days=rule.no_show_period_days))
            audit(suspension, None, "suspended after no-shows").save()
            transaction.on_commit(lambda s=suspension: tasks.send_suspension_notice(s.pk))
    return released


@transaction.atomic
def block_space(*, space: Space, starts_at: datetime, ends_at: datetime, reason: str, by=None,
                now: datetime | None = None) -> Booking:
    """Hold ``space`` from ``starts_at`` to ``ends_at`` for ``reason`` (maintenance, an activity) and return the block.

    Refuse (SlotTaken) when a booking holds the space then: cancel it first, so the patron is told.
    ``by`` is the staff member (None for the system, e.g. another app linking an activity).
    """
    now = now or timezone.now()
    space = Space.objects.select_for_update().select_related("branch").get(pk=space.pk)
    if by is not None:
        access.require(by, "spaces.block_space", at=space.branch)
    if ends_at <= starts_at:
        raise BookingRefused("bad_range")
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reason for the block."), code="reason_required", field="reason")
    if not queries.is_space_free(space, starts_at, ends_at):
        raise SlotTaken(space=space.name_th)
    return _save_new(Booking(space=space, branch=space.branch, patron=None, kind=Booking.Kind.BLOCK,
                             status=Booking.Status.CONFIRMED, starts_at=starts_at, ends_at=ends_at,
                             reason=reason.strip()[:200], created_at=now, created_by=by), by)


@transaction.atomic
def cancel_for_closure(*, branch: Branch | None, starts_on: date, ends_on: date, reason: str = "",
                       now: datetime | None = None) -> int:
    """Cancel the active bookings of ``branch`` (every branch when None) on closed days; tell each patron.

    Return how many bookings were cancelled.
    """
    now = now or timezone.now()
    lo = queries.aware(datetime.combine(starts_on, time.min))
    hi = queries.aware(datetime.combine(ends_on + timedelta(days=1), time.min))
    # Checked-in bookings are left to the staff on site (the patron is already there).
    rows = (Booking.objects.select_for_update(of=("self",)).overlapping(lo, hi)
            .filter(status__in=(Booking.Status.PENDING, Booking.Status.CONFIRMED)))
    if branch is not None:
        rows = rows.filter(branch=branch)
    count = 0
    text = (_("the library is closed: {reason}").format(reason=reason) if reason else _("the library is closed"))
    for booking in rows:
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = text[:200]
        audit(booking, None, "cancelled: closure").save(update_fields=["status", "cancelled_at", "cancel_reason"])
        count += 1
        if booking.patron_id:
            transaction.on_commit(lambda pk=booking.pk: tasks.send_booking_notice(pk, "cancelled"))
    return count


def when_text(booking: Booking) -> str:
    """Return the booking's day and times as people read them: ``3 มิ.ย. 2568 10:00–11:00``."""
    start = queries.local(booking.starts_at)
    return f"{thai_date(start)} {start:%H:%M}–{queries.local(booking.ends_at):%H:%M}"


@transaction.atomic
def set_photo(*, space: Space, photo, by) -> Space:
    """Store a prepared photo (core.images.Photo: upright, shrunk, EXIF stripped) as ``space``'s photo."""
    space = Space.objects.select_for_update().get(pk=space.pk)
    access.require(by, "spaces.change_space", at=space.branch)
    audit(space, by, "photo")
    space.photo.save(f"{space.branch.code}-{space.code}.jpg", photo.content, save=False)
    space.save()
    return space
