"""The read side of casework: scoped lists, the requester's identity (logged), the public tracking view,
the monthly GECC report, the visit dashboard and the audit-office report."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.pdpa import log_access
from bkklib.network import access

from . import rules
from .models import AuditReport, Case, Category, Comment, Visit

VIEW = "cases.view_case"
IDENTITY_PERM = "cases.view_requester_identity"


def cases_for(user, perm: str = VIEW) -> QuerySet[Case]:
    """The cases ``user`` may see: network-wide staff every case, others their branches' cases only."""
    queryset = Case.objects.select_related("branch", "category")
    if access.acts_everywhere(user) and user.has_perm(perm):
        return queryset
    return queryset.filter(branch__in=access.branches_for(user, perm))


def case_for(user, pk: int, perm: str = VIEW) -> Case | None:
    return cases_for(user, perm).filter(pk=pk).first()


@dataclass(frozen=True)
class Requester:
    name: str
    phone: str
    email: str
    hidden: bool  # an anonymous requester whose identity this user may not see


def requester(case: Case, user, *, path: str = "") -> Requester:
    """Return the requester's identity as ``user`` may see it; every look at personal data is logged.

    An anonymous requester's identity is shown only to holders of ``cases.view_requester_identity``.
    """
    if not (case.requester_name or case.requester_phone or case.requester_email):
        return Requester("", "", "", hidden=False)
    if case.is_anonymous and not user.has_perm(IDENTITY_PERM):
        return Requester("", "", "", hidden=True)
    log_access(user, case, path=path,
               purpose="anonymous requester identity" if case.is_anonymous else "answering a request")
    return Requester(case.requester_name, case.requester_phone, case.requester_email, hidden=False)


def filter_cases(queryset: QuerySet[Case], *, kind: str = "", state: str = "", branch: str = "",
                 overdue: bool = False, now: datetime | None = None, q: str = "") -> QuerySet[Case]:
    if kind in Case.Kind.values:
        queryset = queryset.filter(kind=kind)
    elif kind == "citizen":
        queryset = queryset.filter(kind__in=CITIZEN_KINDS)
    if state == "open":
        queryset = queryset.open()
    elif state in Case.State.values:
        queryset = queryset.filter(state=state)
    if branch.isdigit():
        queryset = queryset.filter(branch_id=int(branch))
    if overdue:
        queryset = queryset.overdue(now or timezone.now())
    if q:
        queryset = queryset.filter(Q(code__iexact=q.strip()) | Q(title__icontains=q.strip()))
    return queryset


CITIZEN_KINDS = (Case.Kind.REQUEST, Case.Kind.COMPLAINT, Case.Kind.SUGGESTION, Case.Kind.COMPLIMENT)


def by_code(code: str) -> Case | None:
    return Case.objects.select_related("branch", "category").filter(code=code.strip().upper()).first()


def public_comments(case: Case) -> QuerySet[Comment]:
    return case.comments.filter(is_public=True)


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_public=True)


# Counts for the staff home ------------------------------------------------------------------------

def count_open(user=None, branch=None, today=None, **_kwargs) -> int:
    queryset = Case.objects.open()
    if user is not None:
        queryset = cases_for(user).open()
    if branch is not None:
        queryset = queryset.filter(branch=branch)
    return queryset.count()


def count_overdue(user=None, branch=None, today=None, **_kwargs) -> int:
    queryset = cases_for(user) if user is not None else Case.objects.all()
    if branch is not None:
        queryset = queryset.filter(branch=branch)
    return queryset.overdue(timezone.now()).count()


# Monthly GECC report ------------------------------------------------------------------------------

@dataclass
class MonthlyReport:
    month: date
    total: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    finished: int = 0
    on_time: int = 0
    rated: int = 0
    average_rating: float | None = None
    causes: list[tuple[str, int]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.finished, 1) if self.finished else None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(following, time.min)))


def monthly_report(month: date, *, queryset: QuerySet[Case] | None = None) -> MonthlyReport:
    """The service desk's month: cases filed in ``month`` by channel and category, those finished on time,
    average satisfaction, and the root causes that recur (same text, normalised, twice or more)."""
    start, end = month_bounds(month)
    queryset = (queryset if queryset is not None else Case.objects.all()).filter(
        kind__in=CITIZEN_KINDS, filed_at__gte=start, filed_at__lt=end).select_related("category", "branch")
    cases = list(queryset.order_by("filed_at"))
    report = MonthlyReport(month=month.replace(day=1), total=len(cases), cases=cases)
    channels = Counter(str(Case.Channel(c.channel).label) for c in cases)
    categories = Counter(c.category.name_th if c.category else _("(no category)") for c in cases)
    kinds = Counter(str(Case.Kind(c.kind).label) for c in cases)
    report.by_channel = sorted(channels.items(), key=lambda p: -p[1])
    report.by_category = sorted(categories.items(), key=lambda p: -p[1])
    report.by_kind = sorted(kinds.items(), key=lambda p: -p[1])
    ratings = [c.rating for c in cases if c.rating]
    report.rated = len(ratings)
    report.average_rating = round(sum(ratings) / len(ratings), 2) if ratings else None
    for case in cases:
        done = rules.on_time(case.resolution_due_at, case.resolved_at)
        if done is not None:
            report.finished += 1
            report.on_time += done
    causes = Counter(" ".join(c.root_cause.split()).casefold() for c in cases if c.root_cause.strip())
    report.causes = sorted(((cause, n) for cause, n in causes.items()), key=lambda p: -p[1])
    return report


# Field visits -------------------------------------------------------------------------------------

def visits_for(user) -> QuerySet[Visit]:
    queryset = Visit.objects.prefetch_related("branches").annotate(
        open_items=Count("items", filter=~Q(items__state__in=("resolved", "closed"))),
        all_items=Count("items"))
    if access.acts_everywhere(user):
        return queryset
    return queryset.filter(branches__in=access.branches_for(user, "cases.view_case")).distinct()


def open_cases_at(branch, *, now: datetime | None = None) -> list[Case]:
    return list(Case.objects.open().filter(Q(branch=branch) | Q(other_branches=branch)).distinct()
                .order_by("resolution_due_at"))


# Audit findings -----------------------------------------------------------------------------------

def audit_reports() -> QuerySet[AuditReport]:
    return AuditReport.objects.annotate(
        open_findings=Count("findings", filter=~Q(findings__state__in=("resolved", "closed"))),
        all_findings=Count("findings"))


def findings(report: AuditReport) -> QuerySet[Case]:
    return report.findings.select_related("branch").prefetch_related("units", "attachments").order_by("pk")


def count_overdue_findings(user=None, branch=None, today=None, **_kwargs) -> int:
    return Case.objects.filter(kind=Case.Kind.AUDIT_FINDING).overdue(timezone.now()).count()
