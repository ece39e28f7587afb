"""Volunteer agreements: offer, accept, resign with notice, hand over, end.

Re-exported by ``services``; every verb is one transaction with audit.
"""
from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_datetime
from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.network import access
from bkklib.network.queries import work_calendar

from . import rules
from ._common import _local
from .exceptions import (
    AgreementState,
    HandoverIncomplete,
)
from .models import (
    Agreement,
    Signup,
    Volunteer,
)

DEFAULT_CONDUCT = ("ปฏิบัติต่อผู้ใช้บริการทุกคนอย่างสุภาพและเท่าเทียม; รักษาความลับข้อมูลส่วนบุคคลของผู้ใช้บริการ; "
                   "แจ้งเจ้าหน้าที่ล่วงหน้าหากไม่สามารถมาตามกะ; ไม่รับสิ่งตอบแทนจากผู้ใช้บริการ")


@transaction.atomic
def offer_agreement(*, volunteer: Volunteer, by, branch, role, starts_on: date, duties: str,
                    ends_on: date | None = None, hours_per_week: int = 4, code_of_conduct: str = "",
                    notice_days: int = 5, handover: str = "", now: datetime | None = None) -> Agreement:
    """Offer ``volunteer`` an agreement for a placement (waits for the volunteer's acceptance)."""
    now = now or timezone.now()
    access.require(by, "volunteers.add_agreement", at=branch)
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("An agreement cannot end before it starts."), code="agreement_dates", field="ends_on")
    if Agreement.objects.filter(volunteer=volunteer, branch=branch, role=role,
                                status__in=["offered", "active", "resigning"]).exists():
        raise AgreementState(status=_("already open for this role and branch"))
    agreement = Agreement(volunteer=volunteer, branch=branch, role=role, starts_on=starts_on, ends_on=ends_on,
                          hours_per_week=hours_per_week, duties=duties or role.duties,
                          code_of_conduct=code_of_conduct or DEFAULT_CONDUCT, notice_days=notice_days,
                          handover=handover, created_at=now, created_by=by, is_demo=volunteer.is_demo)
    audit(agreement, by, "offered").save()
    return agreement


def _agreement_of(agreement: Agreement, volunteer: Volunteer | None) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("volunteer").get(pk=agreement.pk)
    if volunteer is not None and agreement.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your agreement."), code="not_yours")
    return agreement


def _move(agreement: Agreement, to: str) -> None:
    if not rules.may_move(agreement.status, to):
        raise AgreementState(status=agreement.get_status_display())
    agreement.status = to


@transaction.atomic
def accept_agreement(*, agreement: Agreement, volunteer: Volunteer, now: datetime | None = None) -> Agreement:
    """The volunteer accepts the agreement in their account: it comes into force."""
    now = now or timezone.now()
    agreement = _agreement_of(agreement, volunteer)
    _move(agreement, Agreement.Status.ACTIVE)
    agreement.accepted_at = now
    audit(agreement, volunteer.user, "accepted by the volunteer").save()
    return agreement


@transaction.atomic
def request_resignation(*, agreement: Agreement, volunteer: Volunteer | None = None, by=None, reason: str = "",
                        now: datetime | None = None) -> Agreement:
    """File a resignation: it takes effect after the agreement's notice in working days (holidays skipped)."""
    now = now or timezone.now()
    agreement = _agreement_of(agreement, volunteer)
    if volunteer is None:
        access.require(by, "volunteers.change_agreement", at=agreement.branch)
    _move(agreement, Agreement.Status.RESIGNING)
    agreement.resignation_filed_at = now
    agreement.resignation_reason = (reason or "").strip()[:300]
    agreement.resignation_effective_at = rules.resignation_effective(
        work_calendar(), filed_at=_local(now), notice_days=agreement.notice_days)
    audit(agreement, by or (volunteer.user if volunteer else None), "resignation filed").save()
    return agreement


@transaction.atomic
def tick_handover(*, agreement: Agreement, by, items: list[str], now: datetime | None = None) -> Agreement:
    """Record which handover items are done (staff of the branch): each newly ticked item keeps who ticked
    it and when; an item already ticked keeps its first tick; an item unticked is removed."""
    now = now or timezone.now()
    agreement = _agreement_of(agreement, None)
    access.require(by, "volunteers.change_agreement", at=agreement.branch)
    if not agreement.is_open:
        raise AgreementState(status=agreement.get_status_display())
    known, wanted, ticks = agreement.handover_items, set(items), agreement.handover_ticks
    unknown = wanted - set(known)
    if unknown:
        raise InvalidInput(_("These are not items of the handover checklist: {items}.").format(
            items=", ".join(sorted(unknown))), code="handover_unknown", field="items")
    name = by.get_full_name() or by.get_username()
    agreement.handover_done = [ticks.get(item) or {"item": item, "by": by.pk, "by_name": name,
                                                   "at": now.isoformat()}
                               for item in known if item in wanted]
    audit(agreement, by, "handover").save()
    return agreement


@transaction.atomic
def override_handover(*, agreement: Agreement, by, reason: str, now: datetime | None = None) -> Agreement:
    """Let the placement end with the handover unfinished, for a reason staff record (kept with who and when)."""
    now = now or timezone.now()
    agreement = _agreement_of(agreement, None)
    access.require(by, "volunteers.change_agreement", at=agreement.branch)
    if not agreement.is_open:
        raise AgreementState(status=agreement.get_status_display())
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput(_("Give the reason the placement may end before the handover is finished."),
                           code="override_reason", field="reason")
    agreement.handover_override_reason, agreement.handover_override_at = reason[:300], now
    agreement.handover_override_by = by
    audit(agreement, by, "handover override").save()
    return agreement


def handover_settled(agreement: Agreement) -> bool:
    return not agreement.handover_left or bool(agreement.handover_override_reason)


@transaction.atomic
def end_agreement(*, agreement: Agreement, by=None, reason: str = "", now: datetime | None = None) -> Agreement:
    """End a placement: a resignation once its notice has run and the handover is done, or staff's ending.

    The sign-ups and hours stay; future sign-ups of the placement are cancelled.
    """
    now = now or timezone.now()
    agreement = _agreement_of(agreement, None)
    if by is not None:
        access.require(by, "volunteers.change_agreement", at=agreement.branch)
    if agreement.status == Agreement.Status.RESIGNING:
        if now < agreement.resignation_effective_at:
            raise AgreementState(message=_("The notice period runs until {until}: the placement ends then."),
                                 until=thai_datetime(_local(agreement.resignation_effective_at)))
    if agreement.is_open and not handover_settled(agreement):
        raise HandoverIncomplete(items=", ".join(agreement.handover_left))
    _move(agreement, Agreement.Status.ENDED)
    agreement.ended_at = now
    agreement.end_reason = (reason or agreement.resignation_reason or "")[:300]
    audit(agreement, by, "ended").save()
    for signup in Signup.objects.filter(volunteer=agreement.volunteer, shift__branch=agreement.branch,
                                        shift__role=agreement.role, status=Signup.Status.SIGNED_UP,
                                        shift__starts_at__gt=now):
        signup.status = Signup.Status.CANCELLED
        audit(signup, by, "agreement ended").save()
    if not Agreement.objects.filter(volunteer=agreement.volunteer).exclude(status="ended").exists():
        volunteer = agreement.volunteer
        volunteer.status = Volunteer.Status.ENDED
        audit(volunteer, by, "last agreement ended").save()
    return agreement


def end_due_resignations(now: datetime | None = None) -> int:
    """End every resignation whose notice has run and whose handover is done; return how many."""
    now = now or timezone.now()
    ended = 0
    for agreement in Agreement.objects.filter(status=Agreement.Status.RESIGNING, resignation_effective_at__lte=now):
        if handover_settled(agreement):
            end_agreement(agreement=agreement, now=now)
            ended += 1
    return ended
