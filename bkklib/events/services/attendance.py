"""Attendance verbs: check-in by card or registration code, walk-in counts, photos, outcome, certificates."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bkklib.circulation.models import Patron
from bkklib.core.calendar import thai_datetime
from bkklib.core.history import audit
from bkklib.core.images import Photo

from .. import queue, rules
from ..exceptions import CheckInRefused, RegistrationRefused
from ..models import Activity, Registration, Session, SessionPhoto, WalkIn
from .common import moment, require_for
from .registration import registration_spec


def _find(session: Session, code: str) -> Registration | None:
    """Return the registration that ``code`` (a registration QR code or a library card number) points to."""
    by_token = Registration.objects.filter(token=code).select_related("session__activity", "patron").first()
    if by_token is not None:
        return by_token
    patron = Patron.objects.filter(card_number=code).first()
    if patron is None:
        raise CheckInRefused("unknown_code", code_text=code)
    mine = Registration.objects.filter(session=session, patron=patron).select_related("patron")
    # A live registration first; else the latest cancelled one (so the refusal can say so).
    found = mine.exclude(status=Registration.Status.CANCELLED).first() or mine.order_by("-position").first()
    return found or Registration(session=session, patron=patron, status="")


def check_in(*, session: Session, code: str, staff, now: datetime | None = None) -> Registration:
    """Mark the holder of ``code`` present at ``session`` and return their registration.

    At an activity open to all, a patron's card alone checks them in (a registration is made on
    the spot); where registration is required, they must hold a place.
    """
    now, today = moment(now)
    code = (code or "").strip()
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("activity__branch").get(pk=session.pk)
        require_for(staff, "events.change_registration", session.activity.branch, on=today)
        registration = _find(session, code)
        if registration.session_id != session.pk:
            raise CheckInRefused("other_session", session=str(registration.session))
        name = registration.display_name
        if registration.pk is None:
            if session.activity.registration != Activity.Registration.OPEN:
                raise CheckInRefused("not_registered", name=name)
            patron = registration.patron
            age = rules.age_on(patron.birth_date, today) if patron.birth_date else None
            registration = Registration(
                session=session, patron=patron, status=Registration.Status.REGISTERED,
                position=queue.take_position(registration_spec(), session),
                age_group=rules.age_group_of(age) if age is not None else rules.ADULT,
                channel=Registration.Channel.STAFF, registered_at=now, created_by=staff,
            )
        elif registration.status == Registration.Status.WAITLISTED:
            raise CheckInRefused("waitlisted", name=name)
        elif registration.status == Registration.Status.CANCELLED:
            raise CheckInRefused("cancelled", name=name)
        elif registration.checked_in_at is not None:
            raise CheckInRefused("already_checked_in", name=name, time=thai_datetime(registration.checked_in_at))
        registration.checked_in_at = now
        audit(registration, staff, _("check-in"))
        registration.save()
    return registration


def record_walk_ins(*, session: Session, counts: dict[tuple[str, str], int], staff,
                    now: datetime | None = None) -> list[WalkIn]:
    """Set the walk-in counts of ``session`` by (age group, gender); a zero removes a cell."""
    _now, today = moment(now)
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("activity__branch").get(pk=session.pk)
        require_for(staff, "events.change_session", session.activity.branch, on=today)
        rows = []
        for (group, gender), count in counts.items():
            row = WalkIn.objects.filter(session=session, age_group=group, gender=gender).first() or WalkIn(
                session=session, age_group=group, gender=gender)
            if count < 0:
                raise ValueError("a count cannot be negative")
            if count == 0:
                if row.pk:
                    audit(row, staff, _("walk-ins"))
                    row.delete()
                continue
            row.count = count
            audit(row, staff, _("walk-ins"))
            row.save()
            rows.append(row)
    return rows


@transaction.atomic
def add_photo(*, session: Session, photo: Photo, caption: str = "", staff, now: datetime | None = None) -> SessionPhoto:
    """Keep a prepared photo (``core.images``: upright, shrunk, no EXIF) of a session."""
    _now, today = moment(now)
    require_for(staff, "events.change_session", session.activity.branch, on=today)
    row = SessionPhoto(session=session, caption=caption, taken_at=photo.taken_at)
    row.image.save(photo.content.name, photo.content, save=False)
    row.save()
    return row


@transaction.atomic
def set_outcome(*, session: Session, outcome: str, staff, now: datetime | None = None) -> Session:
    _now, today = moment(now)
    session = Session.objects.select_for_update(of=("self",)).select_related("activity__branch").get(pk=session.pk)
    require_for(staff, "events.change_session", session.activity.branch, on=today)
    audit(session, staff, _("outcome notes"))
    session.outcome = outcome
    session.save()
    return session


@transaction.atomic
def request_certificate(*, registration: Registration, wanted: bool = True, staff=None, patron=None) -> Registration:
    """Record that a participant asks (or no longer asks) for a certificate of participation."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if patron is not None and registration.patron_id != patron.pk:
        raise RegistrationRefused("not_yours")
    audit(registration, staff, _("certificate"))
    registration.wants_certificate = wanted
    registration.save()
    return registration
