"""The events app's figures for the dashboard (core/indicators.py): activities held, participants."""
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.core.indicators import Figure, Indicator, counts_by_branch, day_bounds

from .models import Activity, Registration, Session, WalkIn

INDICATORS = [
    Indicator(
        key="events.activities_held", name=_("Activities held"), unit=pgettext_lazy("activity", "sessions"),
        definition=_("Activity sessions that took place (not cancelled), by the branch holding the activity and the "
                     "day the session started in Bangkok time; each session of a series counts once."),
        daily="bkklib.events.indicators.held_on",
    ),
    Indicator(
        key="events.participants", name=_("Activity participants"), unit=_("people"),
        definition=_("Participants checked in at activity sessions plus walk-ins counted at the door, by the day the "
                     "session started, per age group (0–12, 13–24, 25–59, 60+) and gender."),
        daily="bkklib.events.indicators.participants_on", dimensions=("age_group", "gender"),
    ),
]


def _held(day):
    start, end = day_bounds(day)
    return (Session.objects.filter(starts_at__gte=start, starts_at__lt=end, cancelled=False)
            .exclude(activity__status=Activity.Status.CANCELLED))


def held_on(day):
    return counts_by_branch(_held(day), branch_field="activity__branch_id")


def participants_on(day):
    sessions = _held(day)
    totals: dict[tuple, int] = {}
    checked = (Registration.objects.filter(session__in=sessions, checked_in_at__isnull=False)
               .values("session__activity__branch_id", "age_group", "gender").annotate(n=Count("pk")).order_by())
    walked = (WalkIn.objects.filter(session__in=sessions)
              .values("session__activity__branch_id", "age_group", "gender").annotate(n=Sum("count")).order_by())
    for row in [*checked, *walked]:
        key = (row["session__activity__branch_id"], row["age_group"], row["gender"])
        totals[key] = totals.get(key, 0) + row["n"]
    return [Figure.of(n, branch, age_group=group, gender=gender) for (branch, group, gender), n in sorted(
        totals.items(), key=lambda item: (item[0][0] or 0, item[0][1], item[0][2]))]
