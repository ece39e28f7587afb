"""PDPA of volunteers: export and erasure of a volunteer's data, and deletion of applicants not accepted.

Purpose of the data: to select volunteers, place them, count their hours and give welfare. Applications
not accepted (rejected or withdrawn) keep their personal data ``RETENTION_DAYS`` after the decision; then
``purge_unaccepted`` deletes it, keeping only the facts (call, dates, status) for recruitment figures.
A volunteer's erasure (on request, by ``volunteers.erase_volunteer``) clears the person and keeps the
shifts and hours as anonymous counts.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bkklib.core import pdpa as core_pdpa
from bkklib.core.exceptions import NotPermitted
from bkklib.core.history import audit
from bkklib.network import access

from . import protect, queries
from .models import Application, Volunteer

RETENTION_DAYS = 180

_PERSONAL = {"first_name": "—", "last_name": "—", "birth_date": None, "phone": "", "email": "", "district": None,
             "national_id_hash": "", "national_id_sealed": "", "address_sealed": "", "health_sealed": ""}


@transaction.atomic
def purge_unaccepted(now: datetime | None = None) -> int:
    """Delete the personal data of applications not accepted, decided more than RETENTION_DAYS ago."""
    now = now or timezone.now()
    rows = Application.objects.filter(status__in=("rejected", "withdrawn"), erased_at__isnull=True,
                                      decided_at__lt=now - timedelta(days=RETENTION_DAYS))
    count = 0
    for application in rows:
        for name, value in _PERSONAL.items():
            setattr(application, name, value)
        application.skills = application.documents = application.guardian_name = application.motivation = ""
        application.screening_note = application.interview_notes = ""
        application.erased_at = now
        audit(application, None, "retention: personal data deleted").save()
        count += 1
    return count


def export_volunteer(volunteer: Volunteer, user) -> dict:
    """Return everything kept about ``volunteer`` (their own request, or staff allowed to export)."""
    if volunteer.user_id != getattr(user, "pk", None):
        if not user.has_perm("volunteers.erase_volunteer"):
            raise NotPermitted(code="export_refused")
        access.require(user, "volunteers.erase_volunteer", at=volunteer.branch)
        core_pdpa.log_access(user, volunteer, action="export", purpose="PDPA export")
    return {
        "code": volunteer.code, "first_name": volunteer.first_name, "last_name": volunteer.last_name,
        "birth_date": volunteer.birth_date.isoformat() if volunteer.birth_date else None,
        "phone": volunteer.phone, "email": volunteer.email,
        "district": volunteer.district.name_th if volunteer.district else None,
        "national_id": protect.unseal(volunteer.national_id_sealed),
        "address": protect.unseal(volunteer.address_sealed), "health_notes": protect.unseal(volunteer.health_sealed),
        "skills": volunteer.skills, "branch": volunteer.branch.code,
        "agreements": [{"role": a.role.name_th, "branch": a.branch.code, "starts_on": a.starts_on.isoformat(),
                        "ends_on": a.ends_on.isoformat() if a.ends_on else None, "status": a.status}
                       for a in volunteer.agreements.select_related("role", "branch")],
        "shifts": [{"starts_at": s.shift.starts_at.isoformat(), "branch": s.shift.branch.code, "status": s.status,
                    "minutes": s.minutes, "approved": s.approved_at is not None}
                   for s in queries.signups_of(volunteer)],
        "evaluations": [{"form": e.form.name, "total": str(e.total), "recommendation": e.recommendation,
                         "comments": e.comments} for e in volunteer.evaluations.select_related("form")],
        "welfare": [{"benefit": w.benefit.name_th, "given_on": w.given_on.isoformat(), "amount": str(w.amount)}
                    for w in volunteer.welfare.select_related("benefit")],
    }


@transaction.atomic
def erase_volunteer(volunteer: Volunteer, user, *, now: datetime | None = None) -> Volunteer:
    """Erase ``volunteer``'s personal data on request: the record stays as an anonymous row with its hours."""
    now = now or timezone.now()
    if not user.has_perm("volunteers.erase_volunteer"):
        raise NotPermitted(code="erase_refused")
    access.require(user, "volunteers.erase_volunteer", at=volunteer.branch)
    core_pdpa.log_access(user, volunteer, action="erase", purpose="PDPA erasure")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    for name, value in _PERSONAL.items():
        setattr(volunteer, name, value)
    volunteer.skills = ""
    volunteer.status = Volunteer.Status.ENDED
    volunteer.erased_at = now
    if volunteer.user_id:
        volunteer.user.is_active = False
        volunteer.user.save(update_fields=["is_active"])
    volunteer.evaluations.update(comments="", volunteer_comment="")
    volunteer.welfare.update(note="")
    audit(volunteer, user, "PDPA erasure").save()
    if volunteer.application_id:
        application = volunteer.application
        for name, value in _PERSONAL.items():
            setattr(application, name, value)
        application.erased_at = now
        audit(application, user, "PDPA erasure").save()
    return volunteer
