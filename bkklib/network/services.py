"""The network app's verbs: keep branch data current, close branches, restructure, second staff.

Every verb that changes a branch's own data checks branch scoping with ``access.require`` and
records who did it in the audit history (django-simple-history).
"""
import json
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import history
from bkklib.core.exceptions import NotPermitted

from . import access, queries, rules, signals
from . import history as branch_history
from .exceptions import (
    HOURS_MESSAGES,
    InvalidHours,
    InvalidStructure,
    SecondmentRefused,
    VersionInForce,
)
from .models import (
    Assignment,
    Branch,
    Closure,
    OpeningPeriod,
    OrgUnit,
    OrgVersion,
    Position,
    StaffingLevel,
    StaffMember,
    UnitBranch,
)

HOLIDAYS_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "thai_holidays.json"

# The basic data a librarian keeps current (what verification vouches for).
BASIC_FIELDS = (
    "name_th", "name_en", "kind", "status", "district", "parent", "address", "latitude", "longitude",
    "phone", "email", "website", "facebook", "line_id", "description",
)


def _audit(instance, user):
    """Make simple-history record ``user`` as the author of the next save or delete of ``instance``."""
    return history.audit(instance, user)


# --- Branch basic data -----------------------------------------------------------------------------


@transaction.atomic
def create_branch(*, by, services=(), periods=(), verify: bool = False, now: datetime | None = None,
                  **fields) -> Branch:
    """Register a new branch (network admins) with its services and weekly hours ``periods``.

    With ``verify`` the data is confirmed correct as of ``now``. One history row records it all.
    Raise NotPermitted, ValidationError (per field) or InvalidHours.
    """
    if not (access.acts_everywhere(by) and by.has_perm("network.add_branch")):
        raise NotPermitted(code="cannot_add_branch", message=_("Only network admins may register a branch."))
    if periods:
        check_hours(list(periods))
    branch = Branch(**fields)
    branch.changed_since_verified = False
    if verify:
        _mark_verified(branch, by, now)
    branch.full_clean()
    _audit(branch, by).save()
    if verify:
        access.require(by, "network.verify_branch", at=branch)  # refused: the atomic block undoes the save
    if services:
        branch.services.set(services)
    if periods:
        _replace_hours(branch, periods)
    if services or periods:
        branch_history.ensure_snapshot(branch)
    return branch


@transaction.atomic
def update_branch(*, branch: Branch, by, changes: dict, services=None, periods=None, verify: bool = False,
                  now: datetime | None = None) -> Branch:
    """Change a branch's basic data, services and weekly hours; mark it changed since verification unless ``verify``.

    ``services`` (an iterable of Service) replaces the services offered and ``periods`` (rules.Period)
    the weekly hours when given. With ``verify`` the editor also confirms the data correct as of
    ``now``. The whole change is one history row of the branch. Raise NotPermitted outside the
    user's branches, ValidationError (per field) on bad data and InvalidHours on bad hours; nothing
    is saved then.
    """
    access.require(by, "network.change_branch", at=branch)
    if periods is not None:
        access.require(by, "network.change_openingperiod", at=branch)
        check_hours(list(periods))
    if verify:
        access.require(by, "network.verify_branch", at=branch)
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    branch_history.ensure_snapshot(branch)
    changed = False
    for name, value in changes.items():
        if name not in BASIC_FIELDS:
            raise ValueError(f"{name} is not a basic-data field of a branch")
        if getattr(branch, name) != value:
            setattr(branch, name, value)
            changed = True
    branch.full_clean()
    if services is not None:
        wanted = {s.pk for s in services}
        if wanted != set(branch.services.values_list("pk", flat=True)):
            branch.services.set(wanted)
            changed = True
    if periods is not None and _replace_hours(branch, periods, by=by):
        changed = True
    if verify:
        _mark_verified(branch, by, now)
    elif changed:
        branch.changed_since_verified = True
    if changed or verify:
        _audit(branch, by).save()
    return branch


def _mark_verified(branch: Branch, by, now: datetime | None) -> None:
    branch.verified_at = now or timezone.now()
    branch.verified_by = by
    branch.changed_since_verified = False


@transaction.atomic
def confirm_branch(*, branch: Branch, by, now: datetime | None = None) -> Branch:
    """Confirm a branch's basic data correct as of ``now`` (one click on the freshness page)."""
    access.require(by, "network.verify_branch", at=branch)
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    branch_history.ensure_snapshot(branch)
    _mark_verified(branch, by, now)
    _audit(branch, by).save(update_fields=["verified_at", "verified_by", "changed_since_verified", "updated_at"])
    return branch


def check_hours(periods: list[rules.Period]) -> None:
    """Raise InvalidHours (every problem listed) unless ``periods`` may be saved as weekly hours."""
    problems = rules.hours_problems(periods)
    if problems:
        raise InvalidHours(problems, hours_problem_text(problems[0], periods))


def hours_problem_text(problem: rules.HoursProblem, periods: list[rules.Period]) -> str:
    """Return the translated message of one hours problem."""
    params = {}
    if problem.other is not None:
        other = periods[problem.other]
        params = {"other": f"{other.opens_at:%H:%M}–{other.closes_at:%H:%M}",
                  "weekday": str(OpeningPeriod.Weekday(periods[problem.index].weekday).label)}
    return str(HOURS_MESSAGES[problem.code]).format(**params)


def _replace_hours(branch: Branch, periods, *, by=None) -> bool:
    """Replace the branch's weekly hours with ``periods`` (checked); return whether they changed.

    The change is recorded in the branch's own history row (its hours snapshot), written by the
    caller's save of the branch; the periods' own history rows name the same author.
    """
    current = list(branch.opening_periods.all())
    wanted = sorted(set(periods), key=lambda p: (p.weekday, p.opens_at))
    if sorted((p.weekday, p.opens_at, p.closes_at) for p in current) == [
        (p.weekday, p.opens_at, p.closes_at) for p in wanted
    ]:
        return False
    for period in current:
        _audit(period, by).delete()
    for p in wanted:
        _audit(OpeningPeriod(branch=branch, weekday=p.weekday, opens_at=p.opens_at, closes_at=p.closes_at),
               by).save()
    return True


@transaction.atomic
def set_opening_hours(*, branch: Branch, by, periods: list[rules.Period], verify: bool = False,
                      now: datetime | None = None) -> list[OpeningPeriod]:
    """Replace a branch's weekly hours with ``periods`` (several per day allowed).

    Raise InvalidHours when a period closes before it opens or two periods of a day overlap;
    nothing changes then. Marks the branch changed since verification unless ``verify``. A change
    (or the verification) is one history row of the branch, showing the hours before and after.
    """
    access.require(by, "network.change_openingperiod", at=branch)
    check_hours(periods)
    if verify:
        access.require(by, "network.verify_branch", at=branch)
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    branch_history.ensure_snapshot(branch)
    changed = _replace_hours(branch, periods, by=by)
    if verify:
        _mark_verified(branch, by, now)
    elif changed:
        branch.changed_since_verified = True
    if changed or verify:
        _audit(branch, by).save(update_fields=["verified_at", "verified_by", "changed_since_verified", "updated_at"])
    return list(branch.opening_periods.all())


@transaction.atomic
def set_staffing_levels(*, branch: Branch, by, minimum_by_weekday: dict[int, int]) -> None:
    """Set the minimum staff of ``branch`` per weekday (0 removes the requirement)."""
    access.require(by, "network.change_staffinglevel", at=branch)
    for weekday, minimum in minimum_by_weekday.items():
        if not 0 <= weekday <= 6 or minimum < 0:
            raise ValidationError({"minimum_staff": _("Give a weekday 0–6 and a minimum of 0 or more.")})
        if minimum == 0:
            for level in StaffingLevel.objects.filter(branch=branch, weekday=weekday):
                _audit(level, by).delete()
            continue
        level = StaffingLevel.objects.filter(branch=branch, weekday=weekday).first() or StaffingLevel(
            branch=branch, weekday=weekday)
        if level.minimum_staff != minimum:
            level.minimum_staff = minimum
            _audit(level, by).save()


# --- Closures and holidays ---------------------------------------------------------------------------


@transaction.atomic
def add_closure(*, branch: Branch | None, starts_on: date, ends_on: date, reason_th: str, reason_en: str = "",
                kind: str = Closure.Kind.BRANCH, by=None) -> Closure:
    """Close ``branch`` (the whole network when None) from ``starts_on`` to ``ends_on``.

    With ``by``, the user must be allowed to add closures at that branch (network-wide closures:
    network admins only). Raise ValidationError on ``ends_on`` when it is before ``starts_on``.
    Sends ``closure_added`` after commit so that circulation can move due dates.
    """
    if by is not None:
        if branch is None:
            if not (access.acts_everywhere(by) and by.has_perm("network.add_closure")):
                raise NotPermitted(code="cannot_close_network",
                                   message=_("Only network admins may close the whole network."))
        else:
            access.require(by, "network.add_closure", at=branch)
    closure = Closure(branch=branch, starts_on=starts_on, ends_on=ends_on, reason_th=reason_th,
                      reason_en=reason_en, kind=kind)
    closure.full_clean()
    _audit(closure, by).save()
    transaction.on_commit(lambda: signals.closure_added.send(
        sender=Closure, closure=closure, branch=branch, starts_on=starts_on, ends_on=ends_on))
    return closure


@transaction.atomic
def remove_closure(*, closure: Closure, by) -> None:
    """Delete a closure (network-wide ones: network admins only)."""
    if closure.branch is None:
        if not (access.acts_everywhere(by) and by.has_perm("network.delete_closure")):
            raise NotPermitted(code="cannot_close_network",
                               message=_("Only network admins may change network-wide closures."))
    else:
        access.require(by, "network.delete_closure", at=closure.branch)
    _audit(closure, by).delete()


@transaction.atomic
def load_holidays(*, years: list[int] | None = None, path: Path | None = None,
                  categories: tuple[str, ...] = ("public",)) -> int:
    """Load Thai public holidays as network-wide closures for the given CE years; return how many were added.

    Idempotent: a holiday already present (same day, network-wide, same Thai name) is skipped.
    """
    rows = json.loads((path or HOLIDAYS_FIXTURE).read_text(encoding="utf-8"))["holidays"]
    added = 0
    for row in rows:
        day = date.fromisoformat(row["date"])
        if years and day.year not in years:
            continue
        if row.get("category", "public") not in categories:
            continue
        exists = Closure.objects.filter(branch__isnull=True, starts_on=day, reason_th=row["name_th"]).exists()
        if exists:
            continue
        add_closure(branch=None, starts_on=day, ends_on=day, reason_th=row["name_th"],
                    reason_en=row.get("name_en", ""), kind=Closure.Kind.PUBLIC_HOLIDAY)
        added += 1
    return added


# --- Organisation structure ----------------------------------------------------------------------------


def _require_structure_admin(by) -> None:
    if not access.may_restructure(by):
        raise NotPermitted(code="cannot_restructure",
                           message=_("Only network admins may change the organisation structure."))


def _require_editable(version: OrgVersion, today: date) -> None:
    if version.effective_from is not None and version.effective_from <= today:
        raise VersionInForce(version=version.name_th)


@transaction.atomic
def draft_restructuring(*, name_th: str, by, name_en: str = "", based_on: OrgVersion | None = None,
                        note: str = "", today: date | None = None) -> OrgVersion:
    """Draft a new structure version as a copy of ``based_on`` (default: the one in force today)."""
    _require_structure_admin(by)
    today = today or timezone.localdate()
    source = based_on or queries.version_in_force(today)
    draft = _audit(OrgVersion(name_th=name_th, name_en=name_en, based_on=source, note=note, created_by=by), by)
    draft.full_clean()
    draft.save()
    if source is None:
        return draft
    copies: dict[int, OrgUnit] = {}
    units = list(source.units.order_by("pk"))
    # Parents first, so that every copy can point at its parent's copy.
    pending = units
    while pending:
        later = []
        for unit in pending:
            if unit.parent_id and unit.parent_id not in copies:
                later.append(unit)
                continue
            copies[unit.pk] = OrgUnit.objects.create(
                version=draft, parent=copies.get(unit.parent_id), code=unit.code, kind=unit.kind,
                name_th=unit.name_th, name_en=unit.name_en, order=unit.order)
        if len(later) == len(pending):
            raise InvalidStructure(version=source.name_th, reason=_("its units form a cycle"))
        pending = later
    UnitBranch.objects.bulk_create([
        UnitBranch(version=draft, unit=copies[link.unit_id], branch_id=link.branch_id)
        for link in UnitBranch.objects.filter(version=source)
    ])
    Position.objects.bulk_create([
        Position(unit=copies[p.unit_id], code=p.code, title_th=p.title_th, title_en=p.title_en,
                 is_head=p.is_head, holder_id=p.holder_id)
        for p in Position.objects.filter(unit__version=source)
    ])
    return draft


@transaction.atomic
def add_unit(*, version: OrgVersion, by, code: str, name_th: str, kind: str = OrgUnit.Kind.GROUP,
             parent: OrgUnit | None = None, name_en: str = "", today: date | None = None) -> OrgUnit:
    """Add a unit to a draft (or not yet effective) structure version."""
    _require_structure_admin(by)
    _require_editable(version, today or timezone.localdate())
    if parent is not None and parent.version_id != version.pk:
        raise ValidationError({"parent": _("The parent unit belongs to another structure version.")})
    unit = OrgUnit(version=version, parent=parent, code=code, kind=kind, name_th=name_th, name_en=name_en,
                   order=version.units.count())
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def change_unit(*, unit: OrgUnit, by, name_th: str | None = None, name_en: str | None = None,
                parent: OrgUnit | None | bool = False, today: date | None = None) -> OrgUnit:
    """Rename a unit or move it under another parent (``parent=None`` makes it a root)."""
    _require_structure_admin(by)
    _require_editable(unit.version, today or timezone.localdate())
    if name_th is not None:
        unit.name_th = name_th
    if name_en is not None:
        unit.name_en = name_en
    if parent is not False:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own units.")})
            ancestor = ancestor.parent
        if parent is not None and parent.version_id != unit.version_id:
            raise ValidationError({"parent": _("The parent unit belongs to another structure version.")})
        unit.parent = parent
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def remove_unit(*, unit: OrgUnit, by, today: date | None = None) -> None:
    """Remove an empty unit (no sub-units, branches or positions) from a draft version."""
    _require_structure_admin(by)
    _require_editable(unit.version, today or timezone.localdate())
    if unit.children.exists() or unit.branch_links.exists() or unit.positions.exists():
        raise ValidationError({"unit": _("Move the unit's sub-units, branches and positions elsewhere first.")})
    unit.delete()


@transaction.atomic
def place_branch(*, version: OrgVersion, branch: Branch, unit: OrgUnit | None, by,
                 today: date | None = None) -> None:
    """Make ``unit`` responsible for ``branch`` in ``version`` (None: no unit)."""
    _require_structure_admin(by)
    _require_editable(version, today or timezone.localdate())
    if unit is not None and unit.version_id != version.pk:
        raise ValidationError({"unit": _("The unit belongs to another structure version.")})
    UnitBranch.objects.filter(version=version, branch=branch).delete()
    if unit is not None:
        UnitBranch.objects.create(version=version, unit=unit, branch=branch)


def structure_problems(version: OrgVersion) -> list[str]:
    """Return why a structure version cannot take effect (empty when it can)."""
    units = list(version.units.all())
    problems = []
    roots = [u for u in units if u.parent_id is None]
    if len(roots) != 1:
        problems.append(_("it must have exactly one top unit (the division), not {count}").format(count=len(roots)))
    elif roots[0].kind != OrgUnit.Kind.DIVISION:
        problems.append(_("its top unit must be a division"))
    return problems


@transaction.atomic
def schedule_restructuring(*, version: OrgVersion, effective_from: date, by, today: date | None = None) -> OrgVersion:
    """Make a drafted structure version take effect on ``effective_from`` (today or later).

    Before that day ``org_chart`` keeps answering with the version in force; from it on, with this one.
    """
    _require_structure_admin(by)
    today = today or timezone.localdate()
    _require_editable(version, today)
    if effective_from < today:
        raise ValidationError({"effective_from": _("A restructuring cannot take effect in the past.")})
    if problems := structure_problems(version):
        raise InvalidStructure(version=version.name_th, reason="; ".join(problems))
    version.effective_from = effective_from
    version.full_clean()  # one version per effective date (a database constraint too)
    _audit(version, by).save()
    return version


# --- Staff coverage ----------------------------------------------------------------------------------


@transaction.atomic
def second_staff(*, staff: StaffMember, from_branch: Branch, to_branch: Branch, starts_on: date, ends_on: date,
                 by, note: str = "") -> Assignment:
    """Second ``staff`` from their home branch to ``to_branch`` for ``starts_on``..``ends_on``.

    Refused (SecondmentRefused, with the rule's reason code) when it would leave the home branch
    below its own minimum on one of its open days, or when the person does not work there then.
    """
    access.require(by, "network.add_assignment", at=to_branch)
    access.require(by, "network.add_assignment", at=from_branch)
    # Lock the people of the lending branch: two planners accepting proposals at once must not
    # both take its last spare person.
    list(Assignment.objects.select_for_update().filter(branch=from_branch).values_list("pk", flat=True))
    roster = queries.roster(starts_on, ends_on, branches=[from_branch, to_branch])
    reason = rules.secondment_refusal(roster, staff=staff.pk, from_branch=from_branch.pk, to_branch=to_branch.pk,
                                      starts_on=starts_on, ends_on=ends_on)
    if reason:
        raise SecondmentRefused(reason, staff=str(staff), branch=from_branch.name_th)
    assignment = Assignment(staff=staff, branch=to_branch, kind=Assignment.Kind.SECONDMENT, starts_on=starts_on,
                            ends_on=ends_on, note=note or _("Secondment to cover a staff shortage"))
    assignment.full_clean()
    _audit(assignment, by).save()
    return assignment
