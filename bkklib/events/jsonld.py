"""schema.org Event JSON-LD of an activity's page (search engines, link previews)."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Activity


def _place(activity: Activity) -> dict:
    place = {"@type": "Place", "name": activity.where}
    branch = activity.branch
    if branch is not None:
        place["address"] = {"@type": "PostalAddress", "streetAddress": branch.address or branch.name_th,
                            "addressLocality": branch.district.name_th if branch.district_id else "",
                            "addressRegion": "กรุงเทพมหานคร", "addressCountry": "TH"}
        if branch.latitude is not None and branch.longitude is not None and not activity.place:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": float(branch.latitude),
                            "longitude": float(branch.longitude)}
    return place


def activity(activity: Activity, sessions, *, request=None) -> list[dict] | dict:
    """Return one schema.org Event per upcoming session (a series gives several), or one for the activity."""
    url = settings.BKKLIB["SITE_URL"].rstrip("/") + reverse("events:detail", args=[activity.pk])
    base = {
        "@context": "https://schema.org", "@type": "Event", "name": activity.title,
        "description": activity.description, "url": url, "inLanguage": "th",
        "eventStatus": "https://schema.org/EventCancelled" if activity.status == Activity.Status.CANCELLED
        else "https://schema.org/EventScheduled",
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": activity.organiser or "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร",
                      "url": settings.BKKLIB["SITE_URL"]},
    }
    if activity.online_url and not activity.branch_id and not activity.place:
        base["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        base["location"] = {"@type": "VirtualLocation", "url": activity.online_url}
    elif activity.online_url:
        base["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
        base["location"] = [_place(activity), {"@type": "VirtualLocation", "url": activity.online_url}]
    else:
        base["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        base["location"] = _place(activity)
    if activity.min_age is not None or activity.max_age is not None:
        base["typicalAgeRange"] = f"{activity.min_age or 0}-{activity.max_age if activity.max_age is not None else ''}"
    if activity.image:
        base["image"] = settings.BKKLIB["SITE_URL"].rstrip("/") + activity.image.url
    if activity.partner:
        base["sponsor"] = {"@type": "Organization", "name": activity.partner}
    events = []
    for session in sessions:
        event = {**base, "startDate": timezone.localtime(session.starts_at).isoformat(),
                 "endDate": timezone.localtime(session.ends_at).isoformat()}
        if getattr(session, "free", None) is not None:
            event["remainingAttendeeCapacity"] = session.free
        if session.cancelled:
            event["eventStatus"] = "https://schema.org/EventCancelled"
        events.append(event)
    return events if len(events) != 1 else events[0]
