"""What every events verb shares: the clock and the "where may this person act" check."""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import NotPermitted
from bkklib.network import access


def moment(now: datetime | None) -> tuple[datetime, date]:
    now = now or timezone.now()
    return now, timezone.localdate(now)


def require_for(staff, perm: str, branch, *, on: date) -> None:
    """``staff`` must hold ``perm`` at ``branch`` (or everywhere, for an activity of no branch)."""
    if branch is not None:
        access.require(staff, perm, at=branch, on=on)
    elif not (access.acts_everywhere(staff) and staff.has_perm(perm)):
        raise NotPermitted(code="not_network_wide", message=_("Only network administrators manage activities of no branch."))
