"""Shift swaps: a volunteer offers a sign-up to another volunteer, to anyone placed at the branch (an open
offer), or in exchange for the other volunteer's sign-up; the other volunteer accepts; staff approve.

Each step checks again what may have changed since the last: neither shift has started, the volunteer
taking a shift has an agreement in force for its branch and role, and no shift of theirs overlaps it.
Re-exported by ``services``; every verb is one transaction with audit.
"""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_datetime
from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.network import access

from . import rules
from ._common import _local
from .exceptions import NotPlaced, ShiftStarted, SignupState, SwapOverlap, SwapState
from .models import Signup, Swap, Volunteer
from .shifts import _open_agreement

OPEN = (Swap.Status.ASKED, Swap.Status.PENDING)


def _not_started(signup: Signup, now: datetime) -> None:
    if signup.status != Signup.Status.SIGNED_UP:
        raise SignupState(status=signup.get_status_display())
    if signup.shift.starts_at <= now:
        raise ShiftStarted(start=thai_datetime(_local(signup.shift.starts_at)))


def _may_take(volunteer: Volunteer, signup: Signup, *, giving_up: Signup | None = None) -> None:
    """Refuse unless ``volunteer`` may take ``signup``'s shift (``giving_up``: the sign-up they hand back)."""
    shift = signup.shift
    if _open_agreement(volunteer, shift) is None:
        raise NotPlaced(name=volunteer.full_name, branch=shift.branch.name_th, role=shift.role.name_th)
    held = (Signup.objects.holding().filter(volunteer=volunteer, shift__starts_at__lt=shift.ends_at,
                                            shift__ends_at__gt=shift.starts_at).select_related("shift"))
    if giving_up is not None:
        held = held.exclude(pk=giving_up.pk)
    clash = rules.overlapping((shift.starts_at, shift.ends_at), [(s.shift.starts_at, s.shift.ends_at) for s in held])
    if clash:
        raise SwapOverlap(name=volunteer.full_name, start=thai_datetime(_local(clash[0])),
                          end=f"{_local(clash[1]):%H.%M}")


def _check_pair(signup: Signup, taker: Volunteer, to_signup: Signup | None, now: datetime) -> None:
    _not_started(signup, now)
    if to_signup is not None:
        _not_started(to_signup, now)
        _may_take(taker, signup, giving_up=to_signup)
        _may_take(signup.volunteer, to_signup, giving_up=signup)
    else:
        _may_take(taker, signup)


def _locked(pk: int) -> Signup:
    return Signup.objects.select_for_update().select_related("shift__branch", "shift__role", "volunteer").get(pk=pk)


@transaction.atomic
def request_swap(*, signup: Signup, volunteer: Volunteer, to_volunteer: Volunteer | None = None,
                 to_signup: Signup | None = None, now: datetime | None = None) -> Swap:
    """``volunteer`` offers their ``signup``: to ``to_volunteer``, in exchange for ``to_signup`` (the other
    volunteer's), or to anyone placed at the branch (neither given). Waits for the other volunteer."""
    now = now or timezone.now()
    signup = _locked(signup.pk)
    if signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if to_signup is not None:
        to_signup = _locked(to_signup.pk)
        to_volunteer = to_signup.volunteer
    if to_volunteer is not None and to_volunteer.pk == volunteer.pk:
        raise InvalidInput(_("Choose another volunteer: you cannot swap with yourself."), code="swap_self",
                           field="to_volunteer")
    if Swap.objects.filter(signup=signup, status__in=OPEN).exists():
        raise SwapState(status=_("already waiting for an answer"))
    if to_volunteer is None:
        _not_started(signup, now)
    else:
        _check_pair(signup, to_volunteer, to_signup, now)
    swap = Swap(signup=signup, to_volunteer=to_volunteer, to_signup=to_signup, requested_at=now)
    audit(swap, volunteer.user, "swap asked").save()
    return swap


@transaction.atomic
def answer_swap(*, swap: Swap, volunteer: Volunteer, accept: bool, now: datetime | None = None) -> Swap:
    """The other volunteer accepts (the swap goes to staff) or declines; anyone placed may take an open offer."""
    now = now or timezone.now()
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    if swap.to_volunteer_id not in (None, volunteer.pk) or swap.signup.volunteer_id == volunteer.pk:
        raise NotPermitted(_("This swap was not asked of you."), code="not_yours")
    if swap.status != Swap.Status.ASKED:
        raise SwapState(status=swap.get_status_display())
    if not accept:
        if swap.to_volunteer_id is None:
            raise InvalidInput(_("An open offer needs no answer: leave it for another volunteer."),
                               code="swap_open_offer")
        swap.status = Swap.Status.DECLINED
    else:
        signup = _locked(swap.signup_id)
        to_signup = _locked(swap.to_signup_id) if swap.to_signup_id else None
        _check_pair(signup, volunteer, to_signup, now)
        swap.to_volunteer, swap.status, swap.accepted_at = volunteer, Swap.Status.PENDING, now
    audit(swap, volunteer.user, "swap accepted" if accept else "swap declined").save()
    return swap


@transaction.atomic
def withdraw_swap(*, swap: Swap, volunteer: Volunteer, now: datetime | None = None) -> Swap:
    swap = Swap.objects.select_for_update().select_related("signup").get(pk=swap.pk)
    if swap.signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your swap."), code="not_yours")
    if swap.status not in OPEN:
        raise SwapState(status=swap.get_status_display())
    swap.status = Swap.Status.WITHDRAWN
    audit(swap, volunteer.user, "swap withdrawn").save()
    return swap


def _move(signup: Signup, to: Volunteer, by, now: datetime) -> None:
    signup.status = Signup.Status.SWAPPED
    audit(signup, by, "swapped").save()
    audit(Signup(shift=signup.shift, volunteer=to, branch_id=signup.branch_id, signed_up_at=now),
          by, "swapped in").save()


@transaction.atomic
def decide_swap(*, swap: Swap, by, approve: bool, note: str = "", now: datetime | None = None) -> Swap:
    """Staff of the branch approve (the sign-ups move) or refuse a swap both volunteers agreed."""
    now = now or timezone.now()
    swap = Swap.objects.select_for_update().select_related("signup__branch").get(pk=swap.pk)
    access.require(by, "volunteers.approve_hours", at=swap.signup.branch)
    if swap.status != Swap.Status.PENDING:
        raise SwapState(status=swap.get_status_display())
    if not approve and not (note or "").strip():
        raise InvalidInput(_("Give the volunteers a reason for refusing the swap."), code="swap_reason",
                           field="note")
    swap.decided_at, swap.decided_by, swap.note = now, by, (note or "").strip()[:300]
    if approve:
        signup = _locked(swap.signup_id)
        to_signup = _locked(swap.to_signup_id) if swap.to_signup_id else None
        _check_pair(signup, swap.to_volunteer, to_signup, now)
        _move(signup, swap.to_volunteer, by, now)
        if to_signup is not None:
            _move(to_signup, signup.volunteer, by, now)
        swap.status = Swap.Status.APPROVED
    else:
        swap.status = Swap.Status.REFUSED
    audit(swap, by, "swap decided").save()
    return swap
