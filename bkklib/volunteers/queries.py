"""The read side of volunteers: scoped lists, a volunteer's own record, hours totals, counts for to-dos."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from bkklib.network import access

from . import rules
from .models import Agreement, Application, Call, Shift, Signup, Swap, Volunteer, WelfareRecord


def volunteer_of(user) -> Volunteer | None:
    """Return the volunteer record signed in as ``user`` (None for staff and the public)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).select_related("branch").first()


def volunteers_for(user) -> QuerySet[Volunteer]:
    """The volunteers ``user`` may see: those of their branches (all for network admins)."""
    return access.scope(Volunteer.objects.select_related("branch"), user, "volunteers.view_volunteer")


def applications_for(user) -> QuerySet[Application]:
    return access.scope(Application.objects.select_related("call", "branch").filter(erased_at__isnull=True),
                        user, "volunteers.view_application")


def open_calls(today: date) -> QuerySet[Call]:
    return (Call.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("branch", "role", "criteria")
            .order_by("closes_on", "title"))


def roster(branch, start: datetime, end: datetime) -> QuerySet[Shift]:
    return (Shift.objects.filter(branch=branch, starts_at__lt=end, ends_at__gt=start).select_related("role")
            .annotate(taken=Count("signups", filter=Q(signups__status__in=("signed_up", "checked_in",
                                                                              "checked_out"))))
            .order_by("starts_at"))


def open_shifts_for(volunteer: Volunteer, now: datetime) -> list[Shift]:
    """Future shifts of the volunteer's placements in force that still have a free place."""
    placements = list(Agreement.objects.filter(volunteer=volunteer, status=Agreement.Status.ACTIVE)
                      .values_list("branch_id", "role_id"))
    if not placements:
        return []
    q = Q()
    for branch_id, role_id in placements:
        q |= Q(branch_id=branch_id, role_id=role_id)
    mine = set(Signup.objects.holding().filter(volunteer=volunteer).values_list("shift_id", flat=True))
    shifts = (Shift.objects.filter(q, starts_at__gt=now).select_related("branch", "role")
              .annotate(taken=Count("signups", filter=Q(signups__status__in=("signed_up", "checked_in",
                                                                                "checked_out"))))
              .order_by("starts_at")[:50])
    return [s for s in shifts if s.taken < s.places and s.pk not in mine]


def signups_of(volunteer: Volunteer) -> QuerySet[Signup]:
    return Signup.objects.filter(volunteer=volunteer).select_related("shift__role", "shift__branch").order_by(
        "-shift__starts_at")


def hours_by_fiscal_year(volunteer: Volunteer, *, approved_only: bool = True) -> dict[int, Decimal]:
    """Return the volunteer's hours per fiscal year (BE): approved hours by default."""
    rows = Signup.objects.filter(volunteer=volunteer, status=Signup.Status.CHECKED_OUT)
    if approved_only:
        rows = rows.filter(approved_at__isnull=False)
    return rules.totals_by_fiscal_year(
        (timezone.localtime(start).date(), minutes) for start, minutes in rows.values_list("checked_in_at", "minutes"))


def total_hours(volunteer: Volunteer, *, approved_only: bool = True) -> Decimal:
    return sum(hours_by_fiscal_year(volunteer, approved_only=approved_only).values(), Decimal("0.00"))


def welfare_by_fiscal_year(volunteer: Volunteer) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for day, amount in WelfareRecord.objects.filter(volunteer=volunteer).values_list("given_on", "amount"):
        year = rules.fiscal_year_of(day)
        totals[year] = totals.get(year, Decimal("0")) + amount
    return dict(sorted(totals.items()))


def welfare_totals(branches, fiscal_year: int) -> list[dict]:
    """Welfare given per benefit in a fiscal year (BE) at ``branches``: count and baht."""
    start = date(fiscal_year - 544, 10, 1)
    end = date(fiscal_year - 543, 9, 30)
    return list(WelfareRecord.objects.filter(branch__in=branches, given_on__range=(start, end))
                .values("benefit__name_th").annotate(count=Count("pk"), amount=Sum("amount"))
                .order_by("benefit__name_th"))


def hours_waiting(branch) -> QuerySet[Signup]:
    return (Signup.objects.filter(branch=branch, status=Signup.Status.CHECKED_OUT, approved_at__isnull=True)
            .select_related("volunteer", "shift__role").order_by("shift__starts_at"))


def count_hours_waiting(*, user=None, branch=None, today=None) -> int:
    """Finished shifts at ``branch`` whose hours wait for the supervisor (staff home to-do)."""
    rows = Signup.objects.filter(status=Signup.Status.CHECKED_OUT, approved_at__isnull=True)
    return rows.filter(branch=branch).count() if branch is not None else rows.count()


def count_applications_waiting(*, user=None, branch=None, today=None) -> int:
    """Applications at ``branch`` not yet decided (staff home to-do)."""
    rows = Application.objects.filter(status__in=("submitted", "screened", "interview"), erased_at__isnull=True)
    return rows.filter(branch=branch).count() if branch is not None else rows.count()


def count_swaps_waiting(*, user=None, branch=None, today=None) -> int:
    """Swaps at ``branch`` both volunteers agreed, waiting for staff (staff home to-do)."""
    rows = Swap.objects.filter(status=Swap.Status.PENDING)
    return rows.filter(signup__branch=branch).count() if branch is not None else rows.count()


def shifts_today(branch, day: date) -> QuerySet[Signup]:
    return (Signup.objects.filter(branch=branch, shift__starts_at__date=day,
                                  status__in=("signed_up", "checked_in", "checked_out"))
            .select_related("volunteer", "shift__role").order_by("shift__starts_at"))


def coverage_counts(start: date, end: date, branch_ids=None) -> dict[tuple[int, date], set[str]]:
    """Volunteers on shift per (branch id, day) in roles the division lets count towards staff coverage.

    Called by network's coverage roster through its provider registry (network/coverage_providers.py).
    """
    first = timezone.make_aware(datetime.combine(start, time.min))
    after = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = Signup.objects.holding().filter(shift__role__counts_in_coverage=True,
                                           shift__starts_at__gte=first, shift__starts_at__lt=after)
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=branch_ids)
    result: dict[tuple[int, date], set[str]] = {}
    for branch_id, volunteer_id, starts in rows.values_list("branch_id", "volunteer_id", "shift__starts_at"):
        result.setdefault((branch_id, timezone.localtime(starts).date()), set()).add(f"volunteer:{volunteer_id}")
    return result


def open_swaps_for(volunteer: Volunteer):
    """Swaps waiting for ``volunteer``'s answer: asked of them by name, or open offers at a branch and role
    of their agreements in force (not their own)."""
    placements = Agreement.objects.filter(volunteer=volunteer, status=Agreement.Status.ACTIVE)
    offers = Q(pk__in=[])
    for branch_id, role_id in placements.values_list("branch_id", "role_id"):
        offers |= Q(signup__shift__branch_id=branch_id, signup__shift__role_id=role_id)
    return (Swap.objects.filter(status=Swap.Status.ASKED)
            .filter(Q(to_volunteer=volunteer) | Q(to_volunteer__isnull=True) & offers)
            .exclude(signup__volunteer=volunteer)
            .select_related("signup__shift__branch", "signup__shift__role", "signup__volunteer", "to_signup__shift"))


def my_swaps(volunteer: Volunteer):
    """Swaps ``volunteer`` asked, newest first."""
    return (Swap.objects.filter(signup__volunteer=volunteer)
            .select_related("signup__shift__role", "signup__shift__branch", "to_volunteer", "to_signup__shift"))


def swaps_waiting(branch):
    """Swaps both volunteers agreed, waiting for the branch's staff."""
    return (Swap.objects.filter(status=Swap.Status.PENDING, signup__branch=branch)
            .select_related("signup__shift__role", "signup__volunteer", "to_volunteer", "to_signup__shift")
            .order_by("requested_at"))


def swap_partners(signup: Signup, now: datetime):
    """Whom ``signup`` can be offered to: volunteers with an agreement in force for its branch and role, and
    their sign-ups there not yet started (for an exchange)."""
    shift = signup.shift
    people = (Volunteer.objects.filter(agreements__branch_id=shift.branch_id, agreements__role_id=shift.role_id,
                                       agreements__status=Agreement.Status.ACTIVE, erased_at__isnull=True)
              .exclude(pk=signup.volunteer_id).distinct().order_by("first_name", "last_name"))
    their = (Signup.objects.filter(status=Signup.Status.SIGNED_UP, branch_id=shift.branch_id,
                                   shift__starts_at__gt=now, volunteer__in=people)
             .select_related("shift__role", "volunteer").order_by("shift__starts_at"))
    return people, their
