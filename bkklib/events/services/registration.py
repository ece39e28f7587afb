"""Registration verbs: a place in a session or its waiting list, cancellation and promotion in order.

Built on ``events.queue``: the session row is locked for the whole decision, so simultaneous
registrations for the last places are served strictly in arrival order on PostgreSQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bkklib.circulation.models import Patron
from bkklib.core import ratelimit
from bkklib.core.history import audit

from .. import queue, rules, tasks
from ..exceptions import RegistrationRefused
from ..models import Activity, Registration, Session
from .common import moment, require_for

GUEST_LIMIT = ratelimit.Limit("events-guest-registration", 10, 3600)


def _capacity(session: Session) -> int | None:
    return session.capacity if session.capacity is not None else session.activity.capacity


def registration_spec() -> queue.Spec:
    """The queue of a session: sessions hold registrations (volunteer shifts reuse ``queue`` the same way)."""
    return queue.Spec(holder=Session, entry=Registration, holder_field="session", capacity_of=_capacity)


@dataclass(frozen=True)
class Guest:
    """A participant without a library card (PDPA: consent and a retention period)."""

    name: str
    phone: str
    age_group: str
    consent: bool
    gender: str = "unspecified"


def _ages(activity: Activity) -> str:
    low = activity.min_age if activity.min_age is not None else 0
    return f"{low}–{activity.max_age}" if activity.max_age is not None else f"{low}+"


def register(*, session: Session, patron: Patron | None = None, guest: Guest | None = None, staff=None,
             gender: str = "", wants_certificate: bool = False, now: datetime | None = None) -> Registration:
    """Give ``patron`` (or ``guest``) a place in ``session``, or a place on its waiting list.

    Staff registering a walk-in pass ``staff`` (checked at the activity's branch). Raise
    RegistrationRefused (session past or cancelled, already registered, age outside the range,
    full without a waiting list); nothing is stored then.
    """
    if (patron is None) == (guest is None):
        raise ValueError("register a patron or a guest")
    now, today = moment(now)
    if guest is not None:
        if not guest.consent:
            raise RegistrationRefused("consent_missing", field="consent")
        if not guest.age_group:
            raise RegistrationRefused("age_unknown", field="age_group")
    spec = registration_spec()
    # Everything that needs no lock is read and decided first: the session row stays locked only for
    # the few statements that hand out the place (a registration rush queues on that lock).
    session = Session.objects.select_related("activity__branch").get(pk=session.pk)
    activity = session.activity
    if staff is not None:
        require_for(staff, "events.add_registration", activity.branch, on=today)
    if activity.status != Activity.Status.PUBLISHED:
        raise RegistrationRefused("not_published")
    live = Registration.objects.live().filter(session=session)
    if patron is not None:
        name = patron.full_name
        already = live.filter(patron=patron).exists()
        age = rules.age_on(patron.birth_date, session.starts_at.date()) if patron.birth_date else None
        group = rules.age_group_of(age) if age is not None else rules.ADULT
    else:
        name = guest.name
        already = live.filter(patron__isnull=True, guest_phone=guest.phone).exists()
        age, group = None, guest.age_group

    def attempt(admitted: int, cancelled: bool) -> rules.Attempt:
        return rules.Attempt(
            starts_at=session.starts_at, now=now, cancelled=cancelled,
            registration_required=activity.registration == Activity.Registration.REQUIRED,
            already_registered=already, admitted=admitted, capacity=_capacity(session), waitlist=activity.waitlist,
            age=age, age_group=group, min_age=activity.min_age, max_age=activity.max_age)

    reason = rules.registration_refusal(attempt(0, session.cancelled))
    if reason:
        raise RegistrationRefused(reason, name=name, ages=_ages(activity))
    try:
        with transaction.atomic():
            locked = (Session.objects.select_for_update().only("id", "capacity", "cancelled", "next_position")
                      .get(pk=session.pk))
            locked.activity = activity
            # Under the lock: the session may have been cancelled or filled since the first look.
            reason = rules.registration_refusal(attempt(queue.admitted_count(spec, locked), locked.cancelled))
            if reason:
                raise RegistrationRefused(reason, name=name, ages=_ages(activity))
            status = queue.place_for(spec, locked, waitlist=activity.waitlist)
            registration = Registration(
                session=locked, patron=patron, status=status, position=queue.take_position(spec, locked),
                age_group=group, gender=gender or (guest.gender if guest else "unspecified"),
                channel=(Registration.Channel.STAFF if staff is not None
                         else Registration.Channel.GUEST if guest else Registration.Channel.ACCOUNT),
                registered_at=now, wants_certificate=wants_certificate, created_by=staff,
                guest_name=guest.name.strip() if guest else "", guest_phone=guest.phone.strip() if guest else "",
                consent_at=now if guest else None,
            )
            audit(registration, staff, reason=_("registration"))
            registration.save()
    except IntegrityError:
        # The same patron (or phone) twice at the same moment: the constraint refuses the second, and
        # its whole transaction (the arrival number included) is rolled back.
        raise RegistrationRefused("already_registered", name=name) from None
    registration.session = session
    return registration


def cancel(*, registration: Registration, patron: Patron | None = None, staff=None,
           now: datetime | None = None) -> list[Registration]:
    """Cancel ``registration`` (by its patron, by staff, or by a guest holding its code); promote in order.

    Return the registrations promoted from the waiting list; each of them is notified after commit.
    """
    now, today = moment(now)
    spec = registration_spec()
    with transaction.atomic():
        session = queue.lock(spec, registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if patron is not None and registration.patron_id != patron.pk:
            raise RegistrationRefused("not_yours")
        if staff is not None:
            require_for(staff, "events.change_registration", session.activity.branch, on=today)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationRefused("already_cancelled")
        audit(registration, staff, reason=_("cancellation"))
        promoted = queue.leave(spec, registration, now=now) if session.starts_at > now else _cancel_only(
            registration, now)
        ids = [p.pk for p in promoted]
        transaction.on_commit(lambda: [tasks.notify_promoted_task(pk) for pk in ids])
    return promoted


def _cancel_only(registration: Registration, now: datetime) -> list:
    """After the start nobody is promoted (they could not come any more): only cancel."""
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save()
    return []
