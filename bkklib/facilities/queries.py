"""The read side of facilities: scoped lists, audit scores, gaps and comparisons, works per fiscal year,
tree roll-ups per district and for the network."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from bkklib.network import access
from bkklib.network.models import District

from . import rules
from .models import Audit, AuditAnswer, Building, Category, ChecklistItem, Planting, SurvivalCheck, TreeSite, Work

OPEN_WORK_STATUSES = ("proposed", "approved", "budgeted", "procured", "in_progress", "completed")


def buildings(user, perm: str = "facilities.view_building"):
    return access.scope(Building.objects.select_related("branch"), user, perm).order_by("branch__code", "name_th")


def audits(user, perm: str = "facilities.view_audit"):
    return access.scope(Audit.objects.select_related("building", "branch", "checklist"), user, perm)


def works(user, perm: str = "facilities.view_work"):
    return access.scope(Work.objects.select_related("branch", "building"), user, perm)


def sites(user, perm: str = "facilities.view_treesite"):
    return access.scope(TreeSite.objects.select_related("branch"), user, perm)


# --- Audits --------------------------------------------------------------------------------------

def answers_of(audit: Audit):
    return audit.answers.select_related("item").order_by("item__position")


def audit_score(audit: Audit) -> rules.Score:
    rows = audit.answers.values_list("item__category", "result")
    return rules.score(rows, categories=Category.values)


@dataclass(frozen=True)
class CategoryRow:
    key: str
    label: str
    tally: rules.Tally


def score_rows(score: rules.Score) -> list[CategoryRow]:
    labels = dict(Category.choices)
    return [CategoryRow(key, str(labels.get(key, key)), tally) for key, tally in score.categories.items()]


def gaps(audit: Audit):
    """The audit's "not compliant" answers, in checklist order, with the works raised for them."""
    return (audit.answers.filter(result=AuditAnswer.Result.NOT_COMPLIANT).select_related("item")
            .prefetch_related("works").order_by("item__position"))


@dataclass(frozen=True)
class ComparedItem:
    item: ChecklistItem
    before: str | None
    after: str | None
    works: list  # works raised for the item's gap in the previous audit (what this audit checks)

    @property
    def before_label(self) -> str:
        return str(dict(AuditAnswer.Result.choices).get(self.before, "—"))

    @property
    def after_label(self) -> str:
        return str(dict(AuditAnswer.Result.choices).get(self.after, "—"))


@dataclass(frozen=True)
class AuditComparison:
    previous: Audit
    fixed: list[ComparedItem]
    new_gaps: list[ComparedItem]
    still_gaps: list[ComparedItem]
    other: list[ComparedItem]
    unchanged: int
    score_before: Decimal | None
    score_after: Decimal | None
    works_confirmed: list  # works meant to close a gap that this audit finds compliant
    works_not_confirmed: list  # completed or inspected works whose gap this audit still finds


def compare_with_previous(audit: Audit) -> AuditComparison | None:
    """What changed since the building's previous completed audit (None when there is none)."""
    previous = audit.previous
    if previous is None:
        return None
    old = {a.item.code: a for a in previous.answers.select_related("item").prefetch_related("works")}
    new = {a.item.code: a for a in audit.answers.select_related("item")}
    items = {i.code: i for i in ChecklistItem.objects.filter(
        Q(checklist=audit.checklist) | Q(checklist=previous.checklist)).order_by("checklist", "position")}
    order = [i.code for i in audit.checklist.items.order_by("position")]
    result = rules.compare({c: a.result for c, a in old.items()}, {c: a.result for c, a in new.items()}, order)

    def rows(changes):
        return [ComparedItem(items[c.code], c.before, c.after,
                             list(old[c.code].works.all()) if c.code in old else []) for c in changes]

    confirmed, not_confirmed = [], []
    for code, answer in old.items():
        if answer.result != AuditAnswer.Result.NOT_COMPLIANT:
            continue
        now = new.get(code)
        for work in answer.works.all():
            if now is not None and now.result == AuditAnswer.Result.COMPLIANT:
                confirmed.append((work, items[code]))
            elif now is not None and now.result == AuditAnswer.Result.NOT_COMPLIANT and work.status in (
                    "completed", "inspected"):
                not_confirmed.append((work, items[code]))
    return AuditComparison(previous, rows(result.fixed), rows(result.new_gaps), rows(result.still_gaps),
                           rows(result.other), len(result.unchanged), audit_score(previous).overall.score,
                           audit_score(audit).overall.score, confirmed, not_confirmed)


def latest_completed_audit(building: Building) -> Audit | None:
    return building.audits.filter(status=Audit.Status.COMPLETED).order_by("-audited_on", "-pk").first()


@dataclass(frozen=True)
class BranchUD:
    branch: object
    building: Building
    audit: Audit | None
    score: Decimal | None
    gap_count: int
    top_gaps: list[str]


def ud_by_branch(building_rows, *, top: int = 3) -> list[BranchUD]:
    """Per building: the latest completed audit's score and its first gaps (by checklist order).

    Three queries whatever the number of buildings: the buildings, their completed audits, the answers.
    """
    building_rows = list(building_rows)
    latest: dict[int, Audit] = {}
    for audit in (Audit.objects.filter(building__in=building_rows, status=Audit.Status.COMPLETED)
                  .order_by("building_id", "-audited_on", "-pk")):
        latest.setdefault(audit.building_id, audit)
    pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    gap_topics: dict[int, list[str]] = defaultdict(list)
    for audit_id, category, result, topic in (AuditAnswer.objects.filter(audit__in=list(latest.values()))
                                              .order_by("audit_id", "item__position")
                                              .values_list("audit_id", "item__category", "result", "item__topic_th")):
        pairs[audit_id].append((category, result))
        if result == AuditAnswer.Result.NOT_COMPLIANT:
            gap_topics[audit_id].append(topic)
    out = []
    for building in building_rows:
        last = latest.get(building.pk)
        if last is None:
            out.append(BranchUD(building.branch, building, None, None, 0, []))
            continue
        topics = gap_topics[last.pk]
        out.append(BranchUD(building.branch, building, last, rules.score(pairs[last.pk]).overall.score, len(topics),
                            topics[:top]))
    return out


def count_draft_audits(*, user, branch=None, today=None) -> int:
    """Audits begun and not completed, at ``branch`` or the user's branches (staff home to-do)."""
    rows = audits(user).filter(status=Audit.Status.DRAFT)
    return rows.filter(branch=branch).count() if branch is not None else rows.count()


def count_proposed_works(*, user, branch=None, today=None) -> int:
    """Works proposed and waiting for approval (staff home to-do of those who approve)."""
    rows = works(user, "facilities.approve_work").filter(status=Work.Status.PROPOSED)
    return rows.filter(branch=branch).count() if branch is not None else rows.count()


# --- Works ---------------------------------------------------------------------------------------

def works_by_year_and_status(work_rows) -> list[tuple[int | None, dict[str, int], Decimal]]:
    """``(fiscal_year, {status: count}, budget total)`` per fiscal year (None: not budgeted yet), newest first."""
    counts: dict[int | None, Counter] = defaultdict(Counter)
    money: dict[int | None, Decimal] = defaultdict(Decimal)
    for year, status, budget in work_rows.values_list("fiscal_year", "status", "budget"):
        counts[year][status] += 1
        if budget is not None and status != Work.Status.CANCELLED:
            money[year] += budget
    years = sorted(counts, key=lambda y: (y is not None, y or 0), reverse=True)
    return [(y, dict(counts[y]), money[y]) for y in years]


# --- Trees ---------------------------------------------------------------------------------------

def site_totals(site_rows) -> list[tuple[TreeSite, rules.TreeTotals]]:
    """Each site with its totals (planned, planted, surviving: rules.surviving); three queries in all."""
    site_rows = list(site_rows)
    last_alive = (SurvivalCheck.objects.filter(planting=OuterRef("pk")).order_by("-checked_on")
                  .values("alive")[:1])
    facts: dict[int, list[rules.PlantingFacts]] = defaultdict(list)
    for site_id, planned, planted, alive in (Planting.objects.filter(site__in=site_rows)
                                             .annotate(last_alive=Subquery(last_alive))
                                             .values_list("site_id", "planned", "planted", "last_alive")):
        facts[site_id].append(rules.PlantingFacts(planned, planted, alive))
    return [(site, rules.site_totals(area_m2=site.area_m2, is_wall=site.kind == TreeSite.Kind.WALL,
                                     plantings=facts[site.pk])) for site in site_rows]


@dataclass(frozen=True)
class DistrictTrees:
    code: str
    name_th: str
    totals: rules.TreeTotals


def tree_roll_up(site_rows) -> tuple[list[DistrictTrees], rules.TreeTotals, list[tuple[TreeSite, rules.TreeTotals]]]:
    """Trees per district (sum of its sites) and for the network, plus each site's totals."""
    per_site = site_totals(site_rows)
    per_district, network = rules.roll_up((site.district_code, totals) for site, totals in per_site)
    names = dict(District.objects.filter(code__in=per_district).values_list("code", "name_th"))
    rows = [DistrictTrees(code, names.get(code, code), totals) for code, totals in sorted(per_district.items())]
    return rows, network, per_site
