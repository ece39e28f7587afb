"""Pure decisions about the branch registry: staleness of basic data, distances and nearby branches."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

NEVER_VERIFIED = "never_verified"
VERIFICATION_EXPIRED = "verification_expired"
CHANGED_SINCE_VERIFIED = "changed_since_verified"


def staleness(*, verified_on: date | None, changed_since_verified: bool, today: date,
              stale_after_days: int) -> str | None:
    """Return why a branch's basic data is stale, or None when it is fresh.

    Stale when it was never verified, when the last verification is more than
    ``stale_after_days`` days before ``today``, or when it was edited after the last verification.
    """
    if verified_on is None:
        return NEVER_VERIFIED
    if changed_since_verified:
        return CHANGED_SINCE_VERIFIED
    if (today - verified_on).days > stale_after_days:
        return VERIFICATION_EXPIRED
    return None


def is_stale(**kwargs) -> bool:
    """Return True when ``staleness(**kwargs)`` finds a reason."""
    return staleness(**kwargs) is not None


def stale_cutoff(today: date, stale_after_days: int) -> date:
    """Return the earliest verification day that is still fresh on ``today``."""
    return today - timedelta(days=stale_after_days)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Return the great-circle distance in kilometres between two points (haversine)."""
    earth_radius_km = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * earth_radius_km * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Place:
    """Where a branch is: its id, coordinates (None when unknown) and district."""

    id: int
    lat: float | None
    lng: float | None
    district_id: int | None


def nearest(origin: Place, places: Iterable[Place], *, limit: int) -> list[tuple[int, float | None]]:
    """Return up to ``limit`` (id, km) of the places nearest ``origin`` (``origin`` itself excluded).

    With coordinates on both sides the distance decides; places of the origin's district without
    coordinates come after those measured. When the origin has no coordinates, its district's
    places are the nearby ones (km None). Ties keep the order of ``places`` (give them in Thai
    order).
    """
    ranked: list[tuple[tuple[int, float], int, float | None]] = []
    located = origin.lat is not None and origin.lng is not None
    for place in places:
        if place.id == origin.id:
            continue
        if located and place.lat is not None and place.lng is not None:
            km = distance_km(origin.lat, origin.lng, place.lat, place.lng)
            ranked.append(((0, km), place.id, km))
        elif origin.district_id is not None and place.district_id == origin.district_id:
            ranked.append(((1, 0.0), place.id, None))
    ranked.sort(key=lambda row: row[0])  # stable: equal keys keep the caller's order
    return [(place_id, km) for _key, place_id, km in ranked[:max(0, limit)]]
