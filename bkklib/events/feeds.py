"""iCalendar feeds of the public programme (core/ics.py): all events, per branch, per festival.

A weekly series is one VEVENT with an RRULE (FREQ=WEEKLY until the series' last day) and EXDATEs
for the weeks that were cancelled or moved; other sessions are one VEVENT each. Times are in
Asia/Bangkok with its VTIMEZONE; UIDs are stable, so calendar programs update rather than duplicate.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bkklib.core import ics

from .models import Activity, Session


def _url(activity: Activity) -> str:
    return settings.BKKLIB["SITE_URL"].rstrip("/") + reverse("events:detail", args=[activity.pk])


def _location(activity: Activity, session: Session) -> str:
    parts = [session.room, activity.where]
    if activity.branch_id and activity.branch.address and not activity.place:
        parts.append(activity.branch.address)
    return ", ".join(p for p in parts if p)


def _categories(activity: Activity) -> tuple[str, ...]:
    return tuple(x for x in (activity.festival.name_th if activity.festival_id else "", activity.audience) if x)


def _series_events(activity: Activity, sessions: list[Session]) -> list[ics.Event]:
    """One recurring VEVENT for the weekly series of ``activity`` (sessions at the same weekday and time)."""
    first = sessions[0]
    local_first = timezone.localtime(first.starts_at)
    length = first.ends_at - first.starts_at
    regular, exdates, others = set(), [], []
    for session in sessions:
        local = timezone.localtime(session.starts_at)
        same_slot = (local.time() == local_first.time() and (local.date() - local_first.date()).days % 7 == 0
                     and session.ends_at - session.starts_at == length and not session.cancelled)
        if same_slot:
            regular.add(local.date())
        else:
            others.append(session)
    day = local_first.date()
    until = activity.repeat_weekly_until
    while day <= until:
        if day not in regular:
            exdates.append(timezone.make_aware(datetime.combine(day, local_first.time())))
        day += timedelta(days=7)
    # RFC 5545: with a DTSTART in a time zone, UNTIL is given in UTC.
    until_utc = timezone.make_aware(datetime.combine(until, time(23, 59, 59))).astimezone(UTC)
    series = ics.Event(
        uid=f"events-activity-{activity.pk}@bkklib", start=first.starts_at, end=first.starts_at + length,
        summary=activity.title, description=activity.description, location=_location(activity, first),
        url=_url(activity), categories=_categories(activity), rrule={"freq": "weekly", "until": until_utc},
        exdates=tuple(exdates), last_modified=activity.updated_at,
    )
    return [series, *(_single(activity, s) for s in others if not s.cancelled)]


def _single(activity: Activity, session: Session) -> ics.Event:
    return ics.Event(
        uid=f"events-session-{session.pk}@bkklib", start=session.starts_at, end=session.ends_at,
        summary=activity.title, description=activity.description, location=_location(activity, session),
        url=_url(activity), categories=_categories(activity), last_modified=session.updated_at,
        status="CANCELLED" if session.cancelled else "CONFIRMED",
    )


def events_of(sessions) -> list[ics.Event]:
    """Turn sessions (published activities) into calendar events, a weekly series as one recurring event."""
    by_activity: dict[int, list[Session]] = {}
    activities: dict[int, Activity] = {}
    for session in sessions:
        by_activity.setdefault(session.activity_id, []).append(session)
        activities[session.activity_id] = session.activity
    events: list[ics.Event] = []
    for pk, rows in by_activity.items():
        activity = activities[pk]
        rows.sort(key=lambda s: s.starts_at)
        if activity.repeat_weekly_until and len(rows) > 1:
            events += _series_events(activity, rows)
        else:
            events += [_single(activity, s) for s in rows]
    return events


def feed_sessions():
    """Sessions of published activities from 30 days ago on (a feed is for what is coming)."""
    since = timezone.now() - timedelta(days=30)
    return (Session.objects.filter(activity__status=Activity.Status.PUBLISHED, ends_at__gte=since)
            .select_related("activity__branch", "activity__festival").order_by("starts_at"))
