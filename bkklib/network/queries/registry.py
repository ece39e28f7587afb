"""Read-side questions about the branch registry: freshness of basic data, pickup points."""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bkklib.core.collation import sort_key

from .. import access, rules
from ..models import Assignment, Branch, Position, UnitBranch
from .structure import version_in_force


def stale_after_days() -> int:
    """Return the configured number of days after which verified data becomes stale."""
    return int(settings.BKKLIB.get("STALE_AFTER_DAYS", 90))


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def stale_q(today: date | None = None) -> Q:
    """Return the filter of stale branches on ``today`` (the query twin of ``rules.staleness``)."""
    today = today or timezone.localdate()
    cutoff = rules.stale_cutoff(today, stale_after_days())
    return Q(verified_at__isnull=True) | Q(changed_since_verified=True) | Q(verified_at__lt=_start_of_day(cutoff))


def staleness_of(branch: Branch, today: date | None = None) -> str | None:
    """Return why ``branch``'s basic data is stale on ``today``, or None."""
    today = today or timezone.localdate()
    verified_on = timezone.localdate(branch.verified_at) if branch.verified_at else None
    return rules.staleness(verified_on=verified_on, changed_since_verified=branch.changed_since_verified,
                           today=today, stale_after_days=stale_after_days())


def stale_branches(queryset=None, today: date | None = None):
    """Return the stale branches of ``queryset`` (all branches by default)."""
    return (queryset if queryset is not None else Branch.objects.all()).filter(stale_q(today))


def count_stale_branches(*, user, branch: Branch, today: date) -> int:
    """Return how many branches ``user`` must confirm are stale on ``today`` (the freshness page's list).

    A staff home to-do (``network.menu.TODOS``): the list is the user's branches, not the desk's
    alone, so the count matches what the freshness page shows.
    """
    return stale_branches(access.branches_for(user, "network.verify_branch"), today).count()


def verifiers_of(branches, today: date | None = None) -> dict[int, list]:
    """Return, per branch id, the staff members responsible for confirming its data today.

    Those assigned to the branch today whose role may verify branch data; when there is none,
    the head of the unit responsible for the branch in the structure in force.
    """
    today = today or timezone.localdate()
    branches = list(branches)
    ids = [b.pk for b in branches]
    found: dict[int, list] = {pk: [] for pk in ids}
    assignments = (
        Assignment.objects.active_on(today).filter(branch_id__in=ids, staff__is_active=True,
                                  staff__user__is_active=True)
        .select_related("staff__user").order_by("staff__employee_code")
    )
    can_verify: dict[int, bool] = {}
    for a in assignments:
        user = a.staff.user
        if user.pk not in can_verify:
            can_verify[user.pk] = user.has_perm("network.verify_branch")
        if can_verify[user.pk] and a.staff not in found[a.branch_id]:
            found[a.branch_id].append(a.staff)
    orphans = [pk for pk, staff in found.items() if not staff]
    version = version_in_force(today)
    if orphans and version is not None:
        heads = {}
        for p in Position.objects.filter(unit__version=version, is_head=True, holder__isnull=False,
                                         holder__is_active=True).select_related("holder__user"):
            heads[p.unit_id] = p.holder
        for link in UnitBranch.objects.filter(version=version, branch_id__in=orphans).select_related("unit"):
            unit = link.unit
            holder = heads.get(unit.pk)
            if holder is None and unit.parent_id:
                holder = heads.get(unit.parent_id)
            if holder is not None:
                found[link.branch_id].append(holder)
    return found


# Kinds of branch without a lending desk where a patron could collect a hold.
NO_PICKUP_KINDS = (Branch.Kind.OFFICE, Branch.Kind.MOBILE_UNIT, Branch.Kind.MUSEUM)
NEARBY_PICKUP_POINTS = 8

def pickup_points():
    """Return the branches where patrons may collect holds: open libraries with a lending desk."""
    return Branch.objects.filter(status=Branch.Status.OPEN).exclude(kind__in=NO_PICKUP_KINDS)


def accepts_pickups(branch: Branch) -> bool:
    """Return True when holds may be collected at ``branch`` (the rule of ``pickup_points``)."""
    return branch.status == Branch.Status.OPEN and branch.kind not in NO_PICKUP_KINDS


@dataclass(frozen=True)
class PickupChoices:
    """Pickup points for one patron: their home branch and the nearest first, the rest in Thai order."""

    home: Branch | None
    nearby: list[Branch]  # the home branch (when it takes pickups) first, then the nearest
    others: list[Branch]
    distances: dict[int, float] = field(default_factory=dict)  # branch id -> km from the home branch

    def __iter__(self):
        yield from self.nearby
        yield from self.others

    def __len__(self) -> int:
        return len(self.nearby) + len(self.others)


def pickup_points_near(home: Branch | None, *, nearby: int = NEARBY_PICKUP_POINTS) -> PickupChoices:
    """Return every pickup point, ordered for a patron whose home branch is ``home`` (one query).

    Nearby: ``home`` itself, then the ``nearby`` pickup points closest to it by coordinates (or
    of its district when it has none); then all the others in Thai order. ``home`` may be closed
    or not a pickup point (a mobile unit): its neighbours still come first.
    """
    points = sorted(pickup_points().select_related("district"), key=lambda b: sort_key(b.name_th))
    if home is None:
        return PickupChoices(home=None, nearby=[], others=points)
    by_id = {b.pk: b for b in points}
    origin = _place(home)
    close = rules.nearest(origin, (_place(b) for b in points), limit=nearby)
    first = [by_id[home.pk]] if home.pk in by_id else []
    first += [by_id[pk] for pk, _km in close]
    taken = {b.pk for b in first}
    return PickupChoices(home=home, nearby=first, others=[b for b in points if b.pk not in taken],
                         distances={pk: km for pk, km in close if km is not None})


def _place(branch: Branch) -> rules.Place:
    return rules.Place(
        id=branch.pk, district_id=branch.district_id,
        lat=float(branch.latitude) if branch.latitude is not None else None,
        lng=float(branch.longitude) if branch.longitude is not None else None,
    )
