"""iCalendar (RFC 5545): the one writer of .ics files and feeds (docs/architecture.md,
Cross-cutting mechanisms).

Apps describe what happens as ``Event``s (aware datetimes, or dates for whole days) and get a
calendar back: events and activities, space bookings, mobile-library visits, closures. Times are
written in Asia/Bangkok with its VTIMEZONE, so calendar programs show the library's local time;
Thai text is kept as UTF-8; UIDs are stable, so a re-downloaded feed updates events instead of
duplicating them. Built on the ``icalendar`` package.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Timezone, TimezoneStandard
from icalendar import Event as VEvent

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//BMA Library and Learning Division//bkklib//TH"


@dataclass(frozen=True)
class Event:
    """One event of a calendar.

    ``uid`` must be stable and unique across the site (``"event-session-42@bkklib"``); ``start``
    and ``end`` are aware datetimes, or dates for whole-day events (``end`` is then the last day,
    included). ``rrule`` is a dict for icalendar (``{"freq": "weekly", "until": ...}``);
    ``exdates`` are occurrences left out; ``status`` is CONFIRMED, TENTATIVE or CANCELLED.
    """

    uid: str
    start: datetime | date
    end: datetime | date
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    rrule: dict | None = None
    exdates: tuple[datetime | date, ...] = field(default_factory=tuple)
    geo: tuple[float, float] | None = None
    sequence: int = 0
    last_modified: datetime | None = None


def _local(value):
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise ValueError("iCalendar events need aware datetimes")
        return value.astimezone(ZoneInfo(settings.TIME_ZONE))
    return value


def _vtimezone() -> Timezone:
    """The VTIMEZONE of the site's zone: Asia/Bangkok has kept UTC+07:00 without summer time since
    1920, so one STANDARD part says all (RFC 5545 wants at least one)."""
    tz = Timezone()
    tz.add("tzid", settings.TIME_ZONE)
    standard = TimezoneStandard()
    offset = datetime(2000, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)).utcoffset()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    standard.add("tzname", "+07" if offset == timedelta(hours=7) else settings.TIME_ZONE)
    tz.add_component(standard)
    return tz


def calendar(events: Iterable[Event], *, name: str, description: str = "", now: datetime | None = None) -> bytes:
    """Return the iCalendar file of ``events``, named ``name`` in calendar programs."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if description:
        cal.add("x-wr-caldesc", description)
    events = list(events)
    if any(isinstance(e.start, datetime) for e in events):
        cal.add_component(_vtimezone())
    for item in events:
        vevent = VEvent()
        vevent.add("uid", item.uid)
        vevent.add("dtstamp", now)
        vevent.add("summary", item.summary)
        if isinstance(item.start, datetime):
            vevent.add("dtstart", _local(item.start))
            vevent.add("dtend", _local(item.end))
        else:
            vevent.add("dtstart", item.start)
            vevent.add("dtend", item.end + timedelta(days=1))  # DTEND of a whole day is exclusive
        if item.description:
            vevent.add("description", item.description)
        if item.location:
            vevent.add("location", item.location)
        if item.url:
            vevent.add("url", item.url)
        if item.geo:
            vevent.add("geo", item.geo)
        vevent.add("status", item.status)
        if item.categories:
            vevent.add("categories", list(item.categories))
        if item.rrule:
            vevent.add("rrule", item.rrule)
        for exdate in item.exdates:
            vevent.add("exdate", _local(exdate))
        if item.sequence:
            vevent.add("sequence", item.sequence)
        if item.last_modified:
            vevent.add("last-modified", item.last_modified)
        cal.add_component(vevent)
    return cal.to_ical()


def ics_response(events: Iterable[Event], *, name: str, filename: str = "", description: str = "",
                 attachment: bool = False) -> HttpResponse:
    """Return ``events`` as an HTTP answer: a subscribable feed, or a download with ``attachment``."""
    response = HttpResponse(calendar(events, name=name, description=description), content_type=CONTENT_TYPE)
    if attachment or filename:
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename or "calendar.ics"}"'
    return response
