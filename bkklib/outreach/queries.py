"""The read side of outreach: timetables for the public site, nearest stops, conflicts, statistics."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from bkklib.circulation.models import Loan
from bkklib.core import calendar
from bkklib.network import access
from bkklib.network.models import Branch, District

from . import rules
from .models import DepositCollection, Stop, SyncAction, Timetable, Trip, VisitRecord

UPCOMING_DAYS = 42


def districts_with_stops():
    """Districts that have active stops, with their number of stops."""
    return (District.objects.filter(pk__in=Stop.objects.public().values("district"))
            .annotate(n_stops=Count("pk")).order_by("code"))


def stops_in_district(district: District):
    return Stop.objects.public().filter(district=district).select_related("route__vehicle").order_by("name_th")


def public_stop(code: str) -> Stop | None:
    return Stop.objects.public().select_related("route__vehicle__unit", "district").filter(code=code).first()


def weekly_timetable(stop: Stop, today: date) -> list[Timetable]:
    """The timetable entries of ``stop`` in force from ``today`` (weekly ones first, then dated ones)."""
    rows = (Timetable.objects.filter(stop=stop, valid_from__lte=today + timedelta(days=UPCOMING_DAYS))
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .filter(Q(on_date__isnull=True) | Q(on_date__gte=today)))
    return sorted(rows, key=lambda t: (t.weekday is None, t.weekday or 0, t.on_date or today, t.arrives_at))


def upcoming_trips(stops, today: date, days: int = UPCOMING_DAYS):
    """Trips of ``stops`` from ``today``: visits (moved ones on their new day) and cancelled ones."""
    end = today + timedelta(days=days)
    return (Trip.objects.filter(stop__in=stops)
            .filter(Q(visit_on__range=(today, end)) | Q(status=Trip.Status.CANCELLED, planned_on__range=(today, end)))
            .select_related("stop", "stop__district").order_by("planned_on", "arrives_at"))


def next_visit(stop: Stop, today: date) -> Trip | None:
    return (Trip.objects.filter(stop=stop, visit_on__gte=today).exclude(status=Trip.Status.CANCELLED)
            .order_by("visit_on", "arrives_at").first())


@dataclass
class NearStop:
    stop: Stop
    km: float
    next_trip: Trip | None


def near(lat: float, lon: float, today: date, *, limit: int = 5) -> list[NearStop]:
    """The ``limit`` stops nearest to (lat, lon) within 15 km, with their next visit (computed here, no map service)."""
    points = [(pk, float(la), float(lo)) for pk, la, lo in
              Stop.objects.public().filter(latitude__isnull=False).values_list("pk", "latitude", "longitude")]
    found = rules.nearest(points, lat, lon, limit=limit)
    stops = Stop.objects.select_related("district", "route__vehicle").in_bulk([pk for pk, _km in found])
    trips: dict[int, Trip] = {}
    for trip in (Trip.objects.filter(stop__in=stops, visit_on__gte=today).exclude(status=Trip.Status.CANCELLED)
                 .order_by("visit_on", "arrives_at")):
        trips.setdefault(trip.stop_id, trip)
    return [NearStop(stops[pk], km, trips.get(pk)) for pk, km in found]


# --- Staff ----------------------------------------------------------------------------------------

def open_conflicts(user):
    """Conflicts and rejected actions of the volunteer desk not yet resolved, in the user's branches."""
    rows = SyncAction.objects.open_conflicts().select_related("account", "branch").order_by("happened_at", "seq")
    return access.scope(rows, user, "outreach.resolve_syncaction")


def count_open_conflicts(*, user, branch=None, today=None) -> int:
    rows = open_conflicts(user)
    if branch is not None:
        rows = rows.filter(branch=branch)
    return rows.count()


def deposits(user):
    rows = DepositCollection.objects.select_related("from_branch", "reading_house").annotate(
        n_items=Count("entries"))
    ids = access.branches_for(user, "outreach.view_depositcollection")
    if access.acts_everywhere(user):
        return rows
    return rows.filter(Q(from_branch__in=ids) | Q(reading_house__in=ids))


def count_deposits_due(*, user, branch=None, today: date | None = None) -> int:
    from django.utils import timezone

    today = today or timezone.localdate()
    rows = deposits(user).filter(status=DepositCollection.Status.RECEIVED, due_back_on__lte=today)
    if branch is not None:
        rows = rows.filter(Q(from_branch=branch) | Q(reading_house=branch))
    return rows.count()


def outpost_branches():
    """The branches where outreach lends: reading houses and mobile units."""
    return Branch.objects.filter(kind__in=(Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT))


# --- Statistics -----------------------------------------------------------------------------------

@dataclass
class StatRow:
    key: tuple
    label: str
    visits: int = 0
    loans: int = 0
    people: dict = field(default_factory=lambda: dict.fromkeys(rules.AGE_GROUPS, 0))

    @property
    def people_total(self) -> int:
        return sum(self.people.values())


DIMENSIONS = ("place", "stop", "district", "month")


def statistics(start: date, end: date, *, by: str = "place", branches=None) -> list[StatRow]:
    """Visits, loans and people served by age group in ``start``..``end``, cut by place (vehicle or
    reading house), stop, district or month. Loans are circulation's loans made at the place."""
    if by not in DIMENSIONS:
        by = "place"
    places = outpost_branches() if branches is None else branches
    visits = VisitRecord.objects.filter(day__range=(start, end), branch__in=places)
    loans = Loan.objects.filter(checked_out_at__date__range=(start, end), branch__in=places)
    people = {f"p_{g}": Sum(g) for g in rules.AGE_GROUPS}
    if by == "place":
        v_key, l_key = ("branch_id", "branch__name_th"), ("branch_id", "branch__name_th")
    elif by == "district":
        v_key = ("branch__district__code", "branch__district__name_th")
        l_key = v_key
    elif by == "stop":
        v_key, l_key = ("stop_id", "stop__name_th"), None
        visits = visits.filter(stop__isnull=False)
    else:
        visits = visits.annotate(m=TruncMonth("day"))
        loans = loans.annotate(m=TruncMonth("checked_out_at"))
        v_key, l_key = ("m", "m"), ("m", "m")
    rows: dict = {}

    def row(key, label):
        if by == "month":
            key = key.date() if isinstance(key, datetime) else key
            label = f"{calendar.MONTHS_TH[key.month - 1]} {calendar.be_year(key)}"
        return rows.setdefault(key, StatRow((key,), str(label) if label is not None else "—"))

    for values in visits.values(*v_key).annotate(n=Count("pk"), **people):
        r = row(values[v_key[0]], values[v_key[1]])
        r.visits += values["n"]
        for g in rules.AGE_GROUPS:
            r.people[g] += values[f"p_{g}"] or 0
    if l_key is not None:
        for values in loans.values(*l_key).annotate(n=Count("pk")):
            row(values[l_key[0]], values[l_key[1]]).loans += values["n"]
    else:  # loans per stop: the loans of the stop's vehicle on the days it visited the stop
        days = defaultdict(set)
        for trip in Trip.objects.filter(visit_on__range=(start, end)).exclude(status=Trip.Status.CANCELLED).values(
                "stop_id", "stop__name_th", "visit_on", "stop__route__vehicle__unit_id"):
            days[(trip["stop__route__vehicle__unit_id"], trip["visit_on"])].add((trip["stop_id"], trip["stop__name_th"]))
        for values in loans.values("branch_id", "checked_out_at__date").annotate(n=Count("pk")):
            for stop_id, name in days.get((values["branch_id"], values["checked_out_at__date"]), ()):
                row(stop_id, name).loans += values["n"]
    return sorted(rows.values(), key=lambda r: (str(r.key[0]) if by == "month" else r.label))


def deposits_at(branch: Branch):
    return DepositCollection.objects.filter(reading_house=branch).exclude(status=DepositCollection.Status.RETURNED)

