"""Staff pages: the executive dashboard /staff/dashboard/ with the indicators' definitions and the branch fact
sheets, and the standard reports /staff/reports/ (page, XLSX, PDF), the rebuild of a past period and the
monthly e-mail subscriptions."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.calendar import fiscal_year
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.pdpa import log_access
from bkklib.network import access
from bkklib.network.models import Branch

from .. import dashboard, document, queries, rules, services, standard
from ..forms import RebuildForm, SubscriptionForm
from ..models import AggregationRun, Subscription


def _int(value, default: int, lo: int, hi: int) -> int:
    try:
        return min(max(int(value), lo), hi)
    except (TypeError, ValueError):
        return default


def _filter(request, *, branch_id: int | None = None) -> queries.Filter:
    today = timezone.localdate()
    fy = _int(request.GET.get("fy"), fiscal_year(today), 2500, 2700)
    first = _int(request.GET.get("from"), 1, 1, 12)
    default_last = rules.fiscal_month_index(today) if fy == fiscal_year(today) else 12
    last = _int(request.GET.get("to"), default_last, first, 12)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Branch.Kind.values else ""
    district = request.GET.get("district", "")
    district = district if district.isdigit() and len(district) == 4 else ""
    return queries.Filter(fy, first, last, kind, district, branch_id)



@perm_required("reports.view_dashboard")
def dashboard_page(request):
    """KPI tiles, the trend by month, the map of the districts and the table by branch for a filter."""
    today = timezone.localdate()
    body = dashboard.body(_filter(request), request.GET.get("indicator", ""), queries.latest_run(), today)
    return render(request, "reports/staff/dashboard.html", {"body": mark_safe(body)})  # noqa: S308 our own render


@perm_required("reports.view_reports")
def definitions(request):
    """What each figure means: name, definition, unit, dimensions, kind, the app that counts it."""
    return render(request, "reports/staff/definitions.html", {"indicators": queries.indicators().values()})


def allowed_branches(user):
    """The branches whose reports ``user`` may read: every one with the dashboard (the network's view), else
    the branches the user works at (network.access)."""
    if user.has_perm("reports.view_dashboard"):
        return Branch.objects.all()
    return access.branches_for(user, "reports.view_reports")


def _branch(request) -> Branch:
    allowed = allowed_branches(request.user)
    wanted = request.GET.get("branch")
    if wanted:
        branch = allowed.filter(pk=wanted).first() if wanted.isdigit() else None
        if branch is None:
            raise Http404
        return branch
    try:
        desk = access.desk_of(request)
        if allowed.filter(pk=desk.pk).exists():
            return desk
    except DomainError:
        pass
    branch = allowed.order_by("code").first()
    if branch is None:
        raise Http404
    return branch


def _month(request, today: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return rules.month_start(today)


def _day(request, name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def _network_or_branch(request) -> Branch | None:
    """The network (dashboard permission, no ``branch``) or one of the user's branches."""
    if not request.GET.get("branch") and request.user.has_perm("reports.view_dashboard"):
        return None
    return _branch(request)


@perm_required("reports.view_reports")
def index(request):
    today = timezone.localdate()
    return render(request, "reports/staff/index.html", {
        "reports": standard.REPORTS, "branches": allowed_branches(request.user)
        .order_by("code"), "subscriptions": Subscription.objects.filter(user=request.user).select_related("branch"),
        "subscription_form": SubscriptionForm(user=request.user),
        "rebuild_form": RebuildForm(initial={"first_day": today.replace(day=1) if today.day > 1 else today,
                                             "last_day": today}),
        "runs": AggregationRun.objects.select_related("requested_by")[:10], "today": today,
    })


@perm_required("reports.view_reports")
def report(request, key: str):
    """One standard report as a page; ``?format=xlsx`` or ``?format=pdf`` gives the same cells as a file."""
    today = timezone.localdate()
    if key not in standard.REPORTS:
        raise Http404
    if key == "monthly":
        doc = standard.monthly(_branch(request), _month(request, today))
    elif key == "circulation":
        branch = _network_or_branch(request)
        doc = standard.circulation(_filter(request, branch_id=branch.pk if branch else None), branch)
    elif key == "top-titles":
        first = _day(request, "first", rules.month_start(today))
        doc = standard.top_titles(_network_or_branch(request), first, max(first, _day(request, "last", today)))
    elif key == "overdue":
        branch = _branch(request)
        doc = standard.overdue(branch, today)
        for patron in {p.pk: p for p in doc.people}.values():
            log_access(request.user, patron, path=request.path, purpose=f"overdue list of {branch.code}")
    elif key == "collection":
        doc = standard.collection(_branch(request), today)
    elif key == "factsheet":
        doc = standard.factsheet(_branch(request), today)
    else:
        if not request.user.has_perm("reports.view_dashboard"):
            raise Http404
        doc = standard.fiscal_year_summary(_filter(request))
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return document.xlsx(doc)
    if fmt == "pdf":
        return document.pdf_response(doc)
    return render(request, "reports/staff/report.html", {
        "report": doc, "key": key, "query": request.GET.urlencode(),
        "branches": allowed_branches(request.user).order_by("code"),
        "years": dashboard.years(today)})


@require_POST
@perm_required("reports.rebuild_figures")
def rebuild(request):
    form = RebuildForm(request.POST)
    if form.is_valid():
        try:
            run = services.rebuild(form.cleaned_data["first_day"], form.cleaned_data["last_day"], user=request.user,
                                   reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Figures rebuilt: {rows} stored in {seconds} seconds.").format(
                rows=f"{run.rows:,}", seconds=run.seconds))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("reports:index")


@require_POST
@perm_required("reports.view_reports")
def subscribe(request):
    form = SubscriptionForm(request.POST, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("You will receive this report by e-mail each month."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("reports:index")


@require_POST
@perm_required("reports.view_reports")
def unsubscribe(request, pk: int):
    deleted, _rows = Subscription.objects.filter(pk=pk, user=request.user).delete()
    if not deleted:
        raise Http404
    messages.success(request, _("Subscription cancelled."))
    return redirect("reports:index")
