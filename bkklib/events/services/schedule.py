"""Verbs of the programme: save a festival, project or activity; schedule sessions (single or weekly)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.core.history import audit

from .. import rules
from ..exceptions import ScheduleRefused
from ..models import Activity, Festival, Project, Registration, Session
from .common import moment, require_for

PERMS = {Festival: "events.change_festival", Project: "events.change_project", Activity: "events.change_activity",
         Session: "events.change_session"}


def _branch_of(instance):
    if isinstance(instance, Activity):
        return instance.branch
    if isinstance(instance, Session):
        return instance.activity.branch
    return None  # festivals and projects are the division's, not a branch's


@transaction.atomic
def save(instance, *, staff, reason: str = "", now: datetime | None = None, related=(), deleted=()):
    """Save a festival, project, activity or session edited in a form (audited, scoped to its branch).

    ``related`` are rows saved with it in the same transaction (a project's targets), ``deleted`` rows
    removed with it.
    """
    _now, today = moment(now)
    perm = PERMS[type(instance)].replace("change_", "add_") if instance.pk is None else PERMS[type(instance)]
    if isinstance(instance, Activity) and instance.pk is not None:
        previous = Activity.objects.select_related("branch").get(pk=instance.pk)
        require_for(staff, perm, previous.branch, on=today)  # no moving another branch's activity to yours
    if isinstance(instance, (Festival, Project)):
        if not staff.has_perm(perm):
            require_for(staff, perm, None, on=today)
    else:
        require_for(staff, perm, _branch_of(instance), on=today)
    for row in (instance, *related):
        try:  # the database's own rules, checked first so a refusal is a message, never a failed insert
            row.validate_constraints()
        except ValidationError as exc:
            raise ScheduleRefused("; ".join(str(m) for m in exc.messages)) from None
    audit(instance, staff, reason)
    instance.save()
    for row in related:
        audit(row, staff, reason)
        row.save()
    for row in deleted:
        audit(row, staff, reason)
        row.delete()
    return instance


def schedule_sessions(*, activity: Activity, starts_at: datetime, ends_at: datetime, staff,
                      weekly_until: date | None = None, skip: frozenset[date] = frozenset(),
                      capacity: int | None = None, room: str = "", now: datetime | None = None) -> list[Session]:
    """Add one session, or a weekly series up to ``weekly_until`` (every Saturday storytelling)."""
    _now, today = moment(now)
    if ends_at <= starts_at:
        raise ScheduleRefused(_("A session must end after it starts."), field="ends_at")
    length = ends_at - starts_at
    if length > timedelta(days=14):
        raise ScheduleRefused(_("A session cannot last more than 14 days; make a series instead."), field="ends_at")
    if weekly_until is not None:
        if weekly_until < starts_at.date():
            raise ScheduleRefused(_("The series ends before its first session."), field="weekly_until")
        try:
            starts = rules.weekly_starts(starts_at, weekly_until, skip=skip)
        except ValueError:
            raise ScheduleRefused(_("A series has at most {count} sessions."), field="weekly_until",
                                  count=rules.MAX_SERIES_SESSIONS) from None
    else:
        starts = [starts_at]
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        require_for(staff, "events.add_session", activity.branch, on=today)
        sessions = []
        for start in starts:
            session = Session(activity=activity, starts_at=start, ends_at=start + length, capacity=capacity, room=room)
            audit(session, staff, pgettext_lazy("activity session", "scheduled"))
            session.save()
            sessions.append(session)
        if weekly_until is not None:
            audit(activity, staff, _("weekly series"))
            activity.repeat_weekly_until = max(weekly_until, activity.repeat_weekly_until or weekly_until)
            activity.save(update_fields=["repeat_weekly_until", "updated_at"])
    return sessions


def cancel_session(*, session: Session, staff, now: datetime | None = None) -> int:
    """Cancel a session and every registration of it; return how many registrations were cancelled."""
    now, today = moment(now)
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("activity__branch").get(pk=session.pk)
        require_for(staff, "events.change_session", session.activity.branch, on=today)
        audit(session, staff, _("cancelled"))
        session.cancelled = True
        session.save()
        live = Registration.objects.live().filter(session=session)
        count = live.update(status=Registration.Status.CANCELLED, cancelled_at=now)
    return count
