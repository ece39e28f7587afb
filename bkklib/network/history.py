"""A branch's change history: its own fields, and its weekly hours and services in the same rows.

Each history row of a branch carries a snapshot of the branch's hours and services at that moment
(``BranchHistorySnapshot``); comparing two rows' snapshots shows a change of hours as a change of the
branch, once, in the row of the save that made it.
"""
from django.utils import translation
from django.utils.translation import gettext as _

from bkklib.core import calendar
from bkklib.core.history import Change, changes, ensure_baseline, user_name

from .models import Branch, Service


def hours_snapshot(branch: Branch) -> list[list]:
    """Return the branch's weekly hours as ``[[weekday, "09:00", "17:00"], ...]`` in order."""
    return sorted([p.weekday, f"{p.opens_at:%H:%M}", f"{p.closes_at:%H:%M}"]
                  for p in branch.opening_periods.all())


def services_snapshot(branch: Branch) -> list[str]:
    return sorted(branch.services.values_list("code", flat=True))


def fill_snapshot(sender, instance, history_instance, **kwargs):
    """``pre_create_historical_record`` receiver: the branch's hours and services go in its history row."""
    if instance.pk is None or history_instance.history_type == "-":
        return
    history_instance.opening_hours = hours_snapshot(instance)
    history_instance.services_offered = services_snapshot(instance)


def ensure_snapshot(branch: Branch) -> None:
    """Make the latest history row of ``branch`` hold its current hours and services; call before a change.

    The audited verbs (``services.update_branch``, ``services.set_opening_hours``) change hours and
    services only together with a history row of the branch, so the current ones belong to the
    latest row. Rows written in bulk (demo data, imports) have no snapshot, and a branch created
    before its hours were added has an empty one: both get the current state, so the next change
    shows only what it changed.
    """
    ensure_baseline(branch)
    latest = branch.history.order_by("-history_date", "-history_id").first()
    if latest is None:
        return
    hours, offered = hours_snapshot(branch), services_snapshot(branch)
    if latest.opening_hours != hours or latest.services_offered != offered:
        latest.opening_hours, latest.services_offered = hours, offered
        latest.save(update_fields=["opening_hours", "services_offered"])


def _weekday(index: int) -> str:
    lang = translation.get_language() or "th"
    return calendar.WEEKDAYS_EN[index] if lang.startswith("en") else calendar.WEEKDAYS_TH[index]


def _day_hours(snapshot: list, weekday: int) -> str:
    periods = [f"{opens}–{closes}" for day, opens, closes in snapshot if day == weekday]
    return ", ".join(periods) if periods else _("closed")


def branch_changes(row, previous, *, cache: dict | None = None) -> list[Change]:
    """What history ``row`` of a branch changed against ``previous``: fields, then hours and services."""
    if previous is None:
        return []
    found = changes(row, previous, hidden=("changed_since_verified",), cache=cache)
    old_hours, new_hours = previous.opening_hours, row.opening_hours
    if old_hours is not None and new_hours is not None and old_hours != new_hours:
        for weekday in range(7):
            old, new = _day_hours(old_hours, weekday), _day_hours(new_hours, weekday)
            if old != new:
                label = _("opening hours, {weekday}").format(weekday=_weekday(weekday))
                found.append(Change("opening_hours", label, old, new))
    old_services, new_services = previous.services_offered, row.services_offered
    if old_services is not None and new_services is not None and set(old_services) != set(new_services):
        names = dict(Service.objects.values_list("code", "name_th"))
        if (translation.get_language() or "th").startswith("en"):
            names = dict(Service.objects.values_list("code", "name_en"))

        def listed(codes):
            return ", ".join(names.get(c, c) for c in sorted(codes, key=lambda c: names.get(c, c)))

        found.append(Change("services", str(Branch._meta.get_field("services").verbose_name),
                            listed(old_services), listed(new_services)))
    return found


def entries(branch: Branch, *, limit: int = 20) -> list[dict]:
    """The branch's latest history rows for its page: ``{"row", "who", "created", "changes"}``, newest first.

    Rows that changed nothing a person can read (bookkeeping only) are left out.
    """
    rows = list(branch.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit + 1])
    cache: dict = {}
    found = []
    for row, previous in zip(rows, [*rows[1:], None], strict=False):
        if row is rows[-1] and len(rows) > limit:
            break  # only the predecessor of the oldest row shown
        created = row.history_type == "+"
        listed = branch_changes(row, previous, cache=cache) if previous is not None and not created else []
        if not created and not listed and not row.history_change_reason:
            continue
        found.append({"row": row, "who": user_name(row.history_user), "created": created, "changes": listed})
    return found
