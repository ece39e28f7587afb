"""Dashboard figures of comms (core/indicators.py): posts published per channel kind, and what they reached."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Figure, Indicator, day_bounds

from .models import Reach, Variant

INDICATORS = [
    Indicator(key="comms.posts_published", name=_("Social media posts published"), unit=_("posts"),
              definition=_("Posts published that day, counted once per channel (a post on Facebook and LINE "
                           "counts 2); branch: the post's, none for the division's."),
              daily="bkklib.comms.indicators.posts_published", dimensions=("channel_kind",)),
    Indicator(key="comms.reach", name=_("People reached by social media posts"), unit=_("people"),
              definition=_("Reach last imported for the posts published that day (Facebook: unique people; "
                           "LINE: unique impressions; X: impressions), summed over channels."),
              daily="bkklib.comms.indicators.reach", dimensions=("channel_kind",)),
]


def _published(day: date):
    start, end = day_bounds(day)
    return Variant.objects.filter(state=Variant.State.PUBLISHED, published_at__gte=start, published_at__lt=end)


def posts_published(day: date) -> list[Figure]:
    rows = _published(day).values("post__branch_id", "channel__kind").annotate(n=Count("pk")).order_by()
    return [Figure.of(r["n"], r["post__branch_id"], channel_kind=r["channel__kind"]) for r in rows]


def reach(day: date) -> list[Figure]:
    rows = (Reach.objects.filter(variant__in=_published(day))
            .values("variant__post__branch_id", "variant__channel__kind").annotate(n=Sum("reach")).order_by())
    return [Figure.of(r["n"] or 0, r["variant__post__branch_id"], channel_kind=r["variant__channel__kind"])
            for r in rows]
