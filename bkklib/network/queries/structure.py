"""Read-side questions about the organisation structure: versions in force, scheduled and drafts, the tree."""
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from bkklib.core.collation import thai_sorted

from .. import rules
from ..models import Branch, OrgUnit, OrgVersion, Position, UnitBranch


def version_in_force(on: date | None = None) -> OrgVersion | None:
    """Return the structure version in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return OrgVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def scheduled_versions(after: date | None = None):
    """Return the versions that take effect after ``after`` (today by default)."""
    after = after or timezone.localdate()
    return OrgVersion.objects.filter(effective_from__gt=after).order_by("effective_from")


def draft_versions():
    """Return the structure versions still being drafted (no effective date yet)."""
    return OrgVersion.objects.filter(effective_from__isnull=True).order_by("-created_at")


@dataclass
class OrgNode:
    """A unit of the org chart with its sub-units, branches and positions."""

    unit: OrgUnit
    children: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    positions: list = field(default_factory=list)

    def walk(self, depth: int = 0):
        """Yield (depth, node) for this node and every node below it, depth first."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def org_tree(version: OrgVersion | None) -> list[OrgNode]:
    """Return the root nodes of a structure version's tree (three queries)."""
    if version is None:
        return []
    nodes = {u.pk: OrgNode(u) for u in version.units.order_by("order", "code")}
    for link in (UnitBranch.objects.filter(version=version).select_related("branch__district")
                 .order_by("branch__kind", "branch__name_th")):
        nodes[link.unit_id].branches.append(link.branch)
    for position in Position.objects.filter(unit__version=version).select_related("holder"):
        nodes[position.unit_id].positions.append(position)
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def org_chart(on: date | None = None) -> list[OrgNode]:
    """Return the org chart in force on ``on`` (today by default): root nodes of its tree."""
    return org_tree(version_in_force(on))


def unit_of(branch: Branch, on: date | None = None) -> OrgUnit | None:
    """Return the unit responsible for ``branch`` in the structure in force on ``on``."""
    version = version_in_force(on)
    if version is None:
        return None
    link = UnitBranch.objects.filter(version=version, branch=branch).select_related("unit").first()
    return link.unit if link else None


def snapshot(version: OrgVersion | None) -> dict[str, rules.UnitSnapshot]:
    """Return a version's units as comparable snapshots keyed by unit code."""
    if version is None:
        return {}
    units = {u.pk: u for u in version.units.all()}
    branches: dict[int, set[str]] = {}
    for unit_id, code in UnitBranch.objects.filter(version=version).values_list("unit_id", "branch__code"):
        branches.setdefault(unit_id, set()).add(code)
    return {
        u.code: rules.UnitSnapshot(
            code=u.code, name=u.name_th, kind=u.kind,
            parent=units[u.parent_id].code if u.parent_id in units else None,
            branches=frozenset(branches.get(u.pk, ())),
            parent_name=units[u.parent_id].name_th if u.parent_id in units else "",
        )
        for u in units.values()
    }


def compare_versions(before: OrgVersion | None, after: OrgVersion | None) -> list[rules.UnitDiff]:
    """Compare two structure versions unit by unit (side by side on the staff page), in Thai order of names."""
    rows = rules.compare_structures(snapshot(before), snapshot(after))
    return thai_sorted(rows, key=lambda row: (row.after or row.before).name)
