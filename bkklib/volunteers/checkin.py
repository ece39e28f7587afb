"""Check-in by QR at a branch: one poster token per branch (rotated by staff), and the scan of a signed-in
volunteer, which checks them in to their shift at that branch now, or out of the one they are on.

Re-exported by ``services``; every verb is one transaction with audit.
"""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bkklib.core.history import audit
from bkklib.network import access

from .exceptions import NoShiftNow, UnknownCheckinCode
from .models import CheckinPoint, Signup, Volunteer, new_token
from .shifts import CHECK_IN_EARLY, check_in, check_out


def checkin_point(branch) -> CheckinPoint:
    """The branch's QR check-in point, made on first use."""
    point, _made = CheckinPoint.objects.get_or_create(branch=branch)
    return point


@transaction.atomic
def rotate_checkin_token(*, branch, by, now: datetime | None = None) -> CheckinPoint:
    """Give the branch a new QR token: posters printed before stop working."""
    now = now or timezone.now()
    access.require(by, "volunteers.change_shift", at=branch)
    point = CheckinPoint.objects.select_for_update().filter(branch=branch).first() or CheckinPoint(branch=branch)
    point.token, point.rotated_at, point.rotated_by = new_token(), now, by
    audit(point, by, "QR token rotated").save()
    return point


def point_of(token: str) -> CheckinPoint:
    point = CheckinPoint.objects.select_related("branch").filter(token=token).first() if token else None
    if point is None:
        raise UnknownCheckinCode()
    return point


def signup_at(volunteer: Volunteer, branch, now: datetime) -> Signup | None:
    """The sign-up a scan at ``branch`` acts on: the shift the volunteer is on there, else one whose
    check-in window (30 minutes before the start to the end) holds ``now``."""
    mine = Signup.objects.filter(volunteer=volunteer, shift__branch=branch).select_related("shift__role")
    on_shift = mine.filter(status=Signup.Status.CHECKED_IN).order_by("shift__starts_at").first()
    if on_shift is not None:
        return on_shift
    return (mine.filter(status=Signup.Status.SIGNED_UP, shift__starts_at__lte=now + CHECK_IN_EARLY,
                        shift__ends_at__gte=now).order_by("shift__starts_at").first())


def scan_checkin(*, token: str, volunteer: Volunteer, now: datetime | None = None) -> Signup:
    """The signed-in volunteer scanned the poster of a branch: check in, or out when on shift there."""
    now = now or timezone.now()
    point = point_of(token)
    signup = signup_at(volunteer, point.branch, now)
    if signup is None:
        raise NoShiftNow(branch=point.branch.name_th)
    if signup.status == Signup.Status.CHECKED_IN:
        return check_out(signup=signup, volunteer=volunteer, now=now)
    return check_in(signup=signup, volunteer=volunteer, method="qr", now=now)
