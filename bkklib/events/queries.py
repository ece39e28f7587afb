"""The read side of the events app: the public programme, a patron's registrations, staff lists, counts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from bkklib.network import access

from . import rules
from .models import Activity, Festival, Project, Registration, Session, WalkIn


def _aware(day: date, at: time = time.min) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def festival_of_month(day: date) -> Festival | None:
    return Festival.objects.filter(year=day.year, month=day.month).first()


def festivals_of_year(year: int) -> QuerySet[Festival]:
    return Festival.objects.filter(year=year).order_by("month")


@dataclass(frozen=True)
class Filters:
    branch: str = ""  # branch code
    district: str = ""  # district code
    age: int | None = None
    festival: int | None = None
    start: date | None = None
    end: date | None = None


def public_sessions(filters: Filters, *, today: date) -> QuerySet[Session]:
    """Return the published, not cancelled sessions matching ``filters``, soonest first (from today by default)."""
    rows = Session.objects.live().select_related("activity__branch__district", "activity__festival")
    start = filters.start or today
    rows = rows.filter(ends_at__gte=_aware(start))
    if filters.end:
        rows = rows.filter(starts_at__lt=_aware(filters.end + timedelta(days=1)))
    if filters.branch:
        rows = rows.filter(activity__branch__code=filters.branch)
    if filters.district:
        rows = rows.filter(activity__branch__district__code=filters.district)
    if filters.age is not None:
        rows = rows.filter(Q(activity__min_age__isnull=True) | Q(activity__min_age__lte=filters.age),
                           Q(activity__max_age__isnull=True) | Q(activity__max_age__gte=filters.age))
    if filters.festival:
        rows = rows.filter(activity__festival_id=filters.festival)
    return rows.order_by("starts_at", "pk")


def month_grid(year: int, month: int, sessions) -> list[list[dict]]:
    """Return the weeks (Monday first) of a month, each day with its sessions, for the month calendar."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    by_day: dict[date, list] = {}
    for session in sessions:
        by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
    weeks, day = [], start
    while day.month == month or day < first or day.weekday() != 0:
        week = []
        for _ in range(7):
            week.append({"day": day, "in_month": day.month == month, "sessions": by_day.get(day, [])})
            day += timedelta(days=1)
        weeks.append(week)
        if day.month != month and day > first:
            break
    return weeks


def published_activity(pk: int) -> Activity | None:
    return (Activity.objects.filter(pk=pk).exclude(status=Activity.Status.DRAFT)
            .select_related("branch__district", "festival", "project").first())


def upcoming_sessions(activity: Activity, *, now: datetime) -> QuerySet[Session]:
    return activity.sessions.filter(cancelled=False, ends_at__gte=now).order_by("starts_at")


def counts_for(sessions) -> dict[int, dict]:
    """Return {session id: {"registered": n, "waiting": n}} for ``sessions`` in one query."""
    rows = (Registration.objects.filter(session__in=sessions)
            .values("session_id").annotate(registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
                                           waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED))))
    return {row["session_id"]: row for row in rows}


def capacity_of(session: Session) -> int | None:
    return session.capacity if session.capacity is not None else session.activity.capacity


def registrations_of(patron, *, today: date) -> QuerySet[Registration]:
    """A patron's live registrations of sessions not yet over, soonest first (the account page)."""
    return (Registration.objects.live().filter(patron=patron, session__ends_at__gte=_aware(today))
            .select_related("session__activity__branch").order_by("session__starts_at"))


def waiting_place(registration: Registration) -> int:
    """Return the registration's place in its session's waiting list (1 = next)."""
    return Registration.objects.waiting().filter(session_id=registration.session_id,
                                                 position__lte=registration.position).count()


# --- Staff -----------------------------------------------------------------------------------------


def staff_activities(user, *, perm: str = "events.view_activity") -> QuerySet[Activity]:
    """Activities of the branches ``user`` works at (all for network admins; branchless ones for them only)."""
    rows = Activity.objects.select_related("branch", "festival", "project")
    if access.acts_everywhere(user):
        return rows
    return rows.filter(branch__in=access.branches_for(user, perm))


def staff_session(user, pk: int, *, perm: str = "events.view_session") -> Session:
    """Return a session the user may see (another branch's is a 404)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Session.objects.select_related("activity__branch"),
                             pk=pk, activity__in=staff_activities(user, perm=perm))


def session_registrations(session: Session) -> QuerySet[Registration]:
    return session.registrations.select_related("patron").order_by("position")


def count_sessions_today(*, user, branch=None, today: date) -> int:
    """To-do: sessions today at the user's branches (check-in waits)."""
    return Session.objects.live().filter(
        activity__in=staff_activities(user), starts_at__gte=_aware(today),
        starts_at__lt=_aware(today + timedelta(days=1))).count()


# --- Attendance and reporting ------------------------------------------------------------------------


def attendance(sessions) -> dict:
    """Count who came to ``sessions``: checked-in registrations plus walk-ins, by age group and gender."""
    by_group = dict.fromkeys(rules.AGE_GROUPS, 0)
    by_gender: dict[str, int] = {}
    checked = (Registration.objects.filter(session__in=sessions, checked_in_at__isnull=False)
               .values("age_group", "gender").annotate(n=Count("pk")))
    walk = WalkIn.objects.filter(session__in=sessions).values("age_group", "gender").annotate(n=Sum("count"))
    for row in [*checked, *walk]:
        by_group[row["age_group"]] = by_group.get(row["age_group"], 0) + row["n"]
        by_gender[row["gender"]] = by_gender.get(row["gender"], 0) + row["n"]
    return {"by_group": by_group, "by_gender": by_gender, "total": sum(by_group.values())}


def held_sessions(*, start: date, end: date, now: datetime) -> QuerySet[Session]:
    """Sessions held (not cancelled, already started) between ``start`` and ``end``."""
    return (Session.objects.filter(cancelled=False, starts_at__gte=_aware(start),
                                   starts_at__lt=_aware(end + timedelta(days=1)), starts_at__lte=now)
            .exclude(activity__status=Activity.Status.CANCELLED))


def projects_of_year(fiscal_year: int) -> QuerySet[Project]:
    return Project.objects.filter(fiscal_year=fiscal_year).prefetch_related("targets").order_by("name")
