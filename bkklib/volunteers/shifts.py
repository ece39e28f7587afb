"""The roster: create shifts, sign up, cancel, check in and out, record and approve hours (swaps: swaps.py).

Re-exported by ``services``; every verb is one transaction with audit.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_datetime
from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.network import access

from . import rules
from ._common import _local
from .exceptions import (
    BadHours,
    BadShift,
    ShiftFull,
    ShiftOverlap,
    ShiftRefused,
    SignupState,
)
from .models import (
    Agreement,
    Shift,
    Signup,
    Volunteer,
)

MAX_SHIFT_HOURS = 16


@transaction.atomic
def create_shift(*, branch, role, starts_at: datetime, ends_at: datetime, places: int = 1, note: str = "",
                 by) -> Shift:
    access.require(by, "volunteers.add_shift", at=branch)
    if ends_at <= starts_at or ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise BadShift(field="ends_at")
    if places < 1:
        raise InvalidInput(_("A shift needs at least one volunteer."), code="bad_places", field="places")
    shift = Shift(branch=branch, role=role, starts_at=starts_at, ends_at=ends_at, places=places, note=note)
    audit(shift, by, "rostered").save()
    return shift


def _overlap_check(volunteer: Volunteer, shift: Shift, *, ignore: Signup | None = None) -> None:
    held = Signup.objects.holding().filter(volunteer=volunteer, shift__starts_at__lt=shift.ends_at,
                                           shift__ends_at__gt=shift.starts_at).select_related("shift")
    if ignore is not None:
        held = held.exclude(pk=ignore.pk)
    spans = [(s.shift.starts_at, s.shift.ends_at) for s in held]
    clash = rules.overlapping((shift.starts_at, shift.ends_at), spans)
    if clash:
        raise ShiftOverlap(start=thai_datetime(_local(clash[0])), end=f"{_local(clash[1]):%H.%M}")


def _open_agreement(volunteer: Volunteer, shift: Shift) -> Agreement | None:
    return Agreement.objects.filter(volunteer=volunteer, branch_id=shift.branch_id, role_id=shift.role_id,
                                    status=Agreement.Status.ACTIVE, starts_on__lte=_local(shift.starts_at).date()
                                    ).first()


@transaction.atomic
def sign_up(*, shift: Shift, volunteer: Volunteer, now: datetime | None = None) -> Signup:
    """Put ``volunteer`` on ``shift``: needs an agreement in force for its role and branch, a free place,
    and no other shift of theirs overlapping it."""
    now = now or timezone.now()
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if shift.starts_at <= now or _open_agreement(volunteer, shift) is None:
        raise ShiftRefused()
    if Signup.objects.holding().filter(shift=shift, volunteer=volunteer).exists():
        raise SignupState(status=Signup.Status.SIGNED_UP.label)
    _overlap_check(volunteer, shift)
    if Signup.objects.holding().filter(shift=shift).count() >= shift.places:
        raise ShiftFull(places=shift.places)
    signup = Signup(shift=shift, volunteer=volunteer, branch_id=shift.branch_id, signed_up_at=now)
    audit(signup, volunteer.user, "signed up").save()
    return signup


@transaction.atomic
def cancel_signup(*, signup: Signup, volunteer: Volunteer | None = None, by=None, now: datetime | None = None
                  ) -> Signup:
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if by is not None:
        access.require(by, "volunteers.change_signup", at=signup.branch)
    if signup.status != Signup.Status.SIGNED_UP or signup.shift.starts_at <= now:
        raise SignupState(status=signup.get_status_display())
    signup.status = Signup.Status.CANCELLED
    audit(signup, by, "cancelled").save()
    return signup


CHECK_IN_EARLY = timedelta(minutes=30)


@transaction.atomic
def check_in(*, signup: Signup, by=None, volunteer: Volunteer | None = None, method: str = "desk",
             now: datetime | None = None) -> Signup:
    """Check a volunteer in: at the desk (``by`` staff of the branch) or by the branch's QR (the volunteer)."""
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if by is not None:
        access.require(by, "volunteers.change_signup", at=signup.branch)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if signup.status != Signup.Status.SIGNED_UP:
        raise SignupState(status=signup.get_status_display())
    if not signup.shift.starts_at - CHECK_IN_EARLY <= now <= signup.shift.ends_at:
        raise InvalidInput(_("Check-in opens 30 minutes before the shift and closes at its end."),
                           code="check_in_window")
    signup.status, signup.checked_in_at, signup.check_method = Signup.Status.CHECKED_IN, now, method
    audit(signup, by, f"checked in ({method})").save()
    return signup


@transaction.atomic
def check_out(*, signup: Signup, by=None, volunteer: Volunteer | None = None, now: datetime | None = None
              ) -> Signup:
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if by is not None:
        access.require(by, "volunteers.change_signup", at=signup.branch)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if signup.status != Signup.Status.CHECKED_IN:
        raise SignupState(status=signup.get_status_display())
    reason = rules.hours_refusal(checked_in_at=signup.checked_in_at, checked_out_at=now, now=now)
    if reason:
        raise BadHours(reason)
    signup.status, signup.checked_out_at = Signup.Status.CHECKED_OUT, now
    signup.minutes = rules.worked_minutes(signup.checked_in_at, now)
    audit(signup, by, "checked out").save()
    return signup


@transaction.atomic
def record_hours(*, signup: Signup, by, checked_in_at: datetime, checked_out_at: datetime,
                 now: datetime | None = None) -> Signup:
    """Staff record or correct the times of a sign-up (a forgotten check-out); no time in the future."""
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    access.require(by, "volunteers.change_signup", at=signup.branch)
    if signup.status not in (Signup.Status.SIGNED_UP, Signup.Status.CHECKED_IN, Signup.Status.CHECKED_OUT):
        raise SignupState(status=signup.get_status_display())
    if signup.approved_at is not None:
        raise SignupState(status=_("approved"))
    reason = rules.hours_refusal(checked_in_at=checked_in_at, checked_out_at=checked_out_at, now=now)
    if reason:
        raise BadHours(reason)
    signup.checked_in_at, signup.checked_out_at = checked_in_at, checked_out_at
    signup.status, signup.check_method = Signup.Status.CHECKED_OUT, signup.check_method or "desk"
    signup.minutes = rules.worked_minutes(checked_in_at, checked_out_at)
    audit(signup, by, "hours recorded").save()
    return signup


@transaction.atomic
def approve_hours(*, signup: Signup, by, now: datetime | None = None) -> Signup:
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    access.require(by, "volunteers.approve_hours", at=signup.branch)
    if signup.status != Signup.Status.CHECKED_OUT or signup.approved_at is not None:
        raise SignupState(status=signup.get_status_display())
    signup.approved_at, signup.approved_by = now, by
    audit(signup, by, "hours approved").save()
    return signup
