"""Welfare: recording a benefit given to a volunteer.

Re-exported by ``services``; every verb is one transaction with audit.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_date
from bkklib.core.exceptions import InvalidInput
from bkklib.core.history import audit
from bkklib.network import access

from ._common import _local
from .models import (
    Benefit,
    Volunteer,
    WelfareRecord,
)


@transaction.atomic
def give_benefit(*, volunteer: Volunteer, benefit: Benefit, by, given_on: date, amount: Decimal | None = None,
                 note: str = "", now: datetime | None = None) -> WelfareRecord:
    now = now or timezone.now()
    access.require(by, "volunteers.manage_welfare", at=volunteer.branch)
    if given_on > _local(now).date():
        raise InvalidInput(_("Welfare cannot be recorded for a future date."), code="welfare_future",
                           field="given_on")
    if given_on < benefit.in_force_from or (benefit.in_force_until and given_on > benefit.in_force_until):
        raise InvalidInput(_("{benefit} was not in force on {day}.").format(benefit=benefit.name_th,
                                                                         day=thai_date(given_on)),
                           code="benefit_not_in_force", field="given_on")
    amount = benefit.amount if amount is None else amount
    if amount is not None and amount < 0:
        raise InvalidInput(_("An amount cannot be negative."), code="negative_amount", field="amount")
    record = WelfareRecord(volunteer=volunteer, benefit=benefit, branch=volunteer.branch, given_on=given_on,
                           amount=amount or Decimal("0"), note=note, recorded_by=by)
    audit(record, by, "welfare given").save()
    return record
