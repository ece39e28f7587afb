"""Public pages: /mobile-libraries/ with timetables per district and per stop, "next visit near me", iCalendar per stop."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import ics
from bkklib.network.models import District
from bkklib.opac import clock

from .. import queries, rules
from ..models import Trip


def _today():
    return timezone.localdate(clock.now())


def index(request):
    """Districts with stops, the visits of the coming week, and the "near me" button."""
    today = _today()
    trips = list(queries.upcoming_trips(queries.Stop.objects.public(), today, days=7))
    return render(request, "outreach/index.html", {
        "districts": list(queries.districts_with_stops()), "trips": trips, "today": today,
    })


def district(request, code: str):
    """The timetable of every stop of a district and their coming visits (moved and cancelled ones said)."""
    place = get_object_or_404(District, code=code)
    today = _today()
    stops = list(queries.stops_in_district(place))
    if not stops:
        raise Http404
    return render(request, "outreach/district.html", {
        "district": place, "today": today,
        "stops": [(stop, queries.weekly_timetable(stop, today)) for stop in stops],
        "trips": list(queries.upcoming_trips(stops, today)),
    })


def stop(request, code: str):
    """One stop: where, when (weekly timetable), the coming visits with changes, the calendar feed."""
    place = queries.public_stop(code)
    if place is None:
        raise Http404
    today = _today()
    return render(request, "outreach/stop.html", {
        "stop": place, "today": today, "timetable": queries.weekly_timetable(place, today),
        "trips": list(queries.upcoming_trips([place], today)), "next": queries.next_visit(place, today),
    })


def _coordinate(value: str | None) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is no position


def near(request):
    """The stops nearest to the phone's position (sent by the page's script) and their next visit."""
    lat, lon = _coordinate(request.GET.get("lat")), _coordinate(request.GET.get("lon"))
    error = ""
    found = []
    if request.GET and (lat is None or lon is None or not rules.valid_position(lat, lon)):
        error = _("The position could not be read. Allow the browser to use your location, or choose your district.")
    elif lat is not None and lon is not None:
        found = queries.near(lat, lon, _today())
        if not found:
            error = _("No mobile library stop within 15 km of you. Choose your district below.")
    return render(request, "outreach/near.html", {
        "found": found, "error": error, "asked": bool(request.GET),
        "districts": list(queries.districts_with_stops()),
    })


def _at(day, moment):
    return timezone.make_aware(datetime.combine(day, moment))


def stop_ics(request, code: str):
    """iCalendar feed of a stop: the coming visits; a cancelled visit stays as CANCELLED with its reason."""
    place = queries.public_stop(code)
    if place is None:
        raise Http404
    today = _today()
    url = request.build_absolute_uri(reverse("outreach:stop", args=[place.code]))
    events = []
    for trip in queries.upcoming_trips([place], today - timedelta(days=7), days=120):
        day = trip.visit_on or trip.planned_on
        note = ""
        if trip.status == Trip.Status.MOVED:
            note = _("Moved from {day} ({reason}).").format(day=day_text(trip.planned_on), reason=trip.reason)
        elif trip.status == Trip.Status.CANCELLED:
            note = _("Cancelled: {reason}.").format(reason=trip.reason)
        events.append(ics.Event(
            uid=f"outreach-trip-{trip.pk}@bkklib", start=_at(day, trip.arrives_at), end=_at(day, trip.departs_at),
            summary=_("Mobile library at {place}").format(place=place.name_th), description=note,
            location=place.address or place.name_th, url=url,
            status="CANCELLED" if trip.status == Trip.Status.CANCELLED else "CONFIRMED",
            geo=(float(place.latitude), float(place.longitude)) if place.latitude is not None else None,
            sequence=1 if trip.status != Trip.Status.SCHEDULED else 0, last_modified=trip.updated_at,
        ))
    return ics.ics_response(events, name=_("Mobile library: {place}").format(place=place.name_th),
                            filename=f"mobile-library-{place.code}.ics")


def day_text(day) -> str:
    from bkklib.core.calendar import thai_date

    return thai_date(day)
