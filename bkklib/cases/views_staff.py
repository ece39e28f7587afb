"""Staff pages under /staff/cases/: the case list and a case's page with its actions, staff entry,
field visits with their briefing packs, audit reports with their findings, the monthly GECC report
and the GECC evidence checklist."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.calendar import thai_date
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.xlsx import xlsx_response
from bkklib.network import access
from bkklib.network.models import OrgUnit
from bkklib.network.queries import version_in_force

from . import printing, queries, reports, services
from .forms import (
    AnswerForm,
    AttachForm,
    AuditReportForm,
    CloseForm,
    CommentForm,
    DueForm,
    EvidenceForm,
    FindingForm,
    RouteForm,
    StaffCaseForm,
    StateForm,
    VisitForm,
    VisitItemForm,
)
from .models import AuditReport, Case, EvidenceItem, Visit


def _units():
    version = version_in_force()
    return OrgUnit.objects.filter(version=version) if version else OrgUnit.objects.none()


@perm_required("cases.view_case")
def case_list(request):
    now = timezone.now()
    cases = queries.filter_cases(queries.cases_for(request.user), kind=request.GET.get("kind", ""),
                                 state=request.GET.get("state", "open"), branch=request.GET.get("branch", ""),
                                 overdue=request.GET.get("overdue") == "1", now=now, q=request.GET.get("q", ""))
    return render(request, "cases/staff/list.html", {
        "cases": cases.prefetch_related("units")[:200], "now": now, "kinds": Case.Kind.choices,
        "states": Case.State.choices, "filters": request.GET,
        "branches": access.branches_for(request.user, "cases.view_case").order_by("name_th"),
    })


@perm_required("cases.add_case")
def case_new(request):
    branches = access.branches_for(request.user, "cases.add_case")
    form = StaffCaseForm(request.POST or None, request.FILES or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.file_case(
                kind=data["kind"], title=data["title"], description=data["description"], category=data["category"],
                branch=data["branch"], channel=data["channel"], requester_name=data["requester_name"],
                requester_phone=data["requester_phone"], requester_email=data["requester_email"],
                is_anonymous=data["is_anonymous"], photos=[data["photo"]] if data.get("photo") else [],
                by=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Case %(code)s filed.") % {"code": case.code})
            return redirect("cases:staff-case", pk=case.pk)
    return render(request, "cases/staff/new.html", {"form": form})


def _case(request, pk: int) -> Case:
    case = queries.case_for(request.user, pk)
    if case is None:
        raise Http404
    return case


@perm_required("cases.view_case")
def case_detail(request, pk: int):
    case = _case(request, pk)
    return render(request, "cases/staff/case.html", {
        "case": case, "requester": queries.requester(case, request.user, path=request.path),
        "comments": case.comments.select_related("author"), "attachments": case.attachments.all(),
        "pauses": case.pauses.all(), "alerts": case.alerts.order_by("sent_at"),
        "route_form": RouteForm(units=_units(), initial={"units": case.units.all()}),
        "state_form": StateForm(), "answer_form": AnswerForm(initial={"answer": case.answer}),
        "close_form": CloseForm(initial={"root_cause": case.root_cause,
                                         "preventive_action": case.preventive_action}),
        "comment_form": CommentForm(), "attach_form": AttachForm(), "due_form": DueForm(),
        "now": timezone.now(),
    })


@require_POST
@perm_required("cases.change_case")
def case_action(request, pk: int, action: str):
    """One form of the case page: route, status, answer, close, comment, attach, due."""
    case = _case(request, pk)
    try:
        if action == "route":
            form = RouteForm(request.POST, units=_units())
            if form.is_valid():
                services.route(case=case, units=form.cleaned_data["units"], by=request.user)
        elif action == "state":
            form = StateForm(request.POST)
            if form.is_valid():
                services.change_state(case=case, target=form.cleaned_data["state"], by=request.user,
                                      note=form.cleaned_data["note"])
        elif action == "answer":
            form = AnswerForm(request.POST)
            if form.is_valid():
                services.answer(case=case, text=form.cleaned_data["answer"], by=request.user)
        elif action == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                services.close(case=case, by=request.user, root_cause=form.cleaned_data["root_cause"],
                               preventive_action=form.cleaned_data["preventive_action"])
        elif action == "comment":
            form = CommentForm(request.POST)
            if form.is_valid():
                services.comment(case=case, text=form.cleaned_data["body"], by=request.user,
                                 public=form.cleaned_data["is_public"])
        elif action == "attach":
            form = AttachForm(request.POST, request.FILES)
            if form.is_valid():
                photo, document = form.cleaned_data.get("photo"), form.cleaned_data.get("document")
                services.attach(case=case, content=photo.content if photo else document,
                                stage=form.cleaned_data["stage"], by=request.user, is_photo=bool(photo),
                                caption=form.cleaned_data["caption"])
        elif action == "due":
            form = DueForm(request.POST)
            if form.is_valid():
                services.set_due(case=case, due_on=form.cleaned_data["due_on"], by=request.user)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        if form.is_valid():
            messages.success(request, _("Saved."))
        else:
            messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
    return redirect("cases:staff-case", pk=case.pk)


# Field visits --------------------------------------------------------------------------------------

@perm_required("cases.view_visit")
def visit_list(request):
    form = None
    if request.user.has_perm("cases.manage_visits"):
        form = VisitForm(request.POST or None, branches=access.branches_for(request.user, "cases.manage_visits"))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.create_visit(visited_on=data["visited_on"], title=data["title"],
                                              visitors=data["visitors"], branches=list(data["branches"]),
                                              notes=data["notes"], by=request.user)
            except DomainError as exc:
                messages.error(request, exc.text)
            else:
                return redirect("cases:staff-visit", pk=visit.pk)
    return render(request, "cases/staff/visits.html", {"visits": queries.visits_for(request.user)[:100],
                                                       "form": form})


def _visit(request, pk: int) -> Visit:
    visit = queries.visits_for(request.user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


@perm_required("cases.view_visit")
def visit_detail(request, pk: int):
    visit = _visit(request, pk)
    form = VisitItemForm(request.POST or None, visit=visit)
    if request.method == "POST":
        if not request.user.has_perm("cases.manage_visits"):
            raise Http404
        if form.is_valid():
            try:
                services.file_case(kind=Case.Kind.VISIT_ITEM, title=form.cleaned_data["title"],
                                   description=form.cleaned_data["description"], branch=form.cleaned_data["branch"],
                                   channel=Case.Channel.VISIT, visit=visit, by=request.user)
            except DomainError as exc:
                messages.error(request, exc.text)
            else:
                messages.success(request, _("Action item added."))
                return redirect("cases:staff-visit", pk=visit.pk)
    items = queries.cases_for(request.user).filter(visit=visit).order_by("branch__name_th", "pk")
    return render(request, "cases/staff/visit.html", {"visit": visit, "items": items, "form": form,
                                                      "now": timezone.now()})


@perm_required("cases.view_visit")
def visit_briefing(request, pk: int, branch_pk: int):
    visit = _visit(request, pk)
    branch = get_object_or_404(visit.branches.all(), pk=branch_pk)
    pdf = printing.briefing_pdf(branch, visit=visit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{branch.code}.pdf"'
    return response


@perm_required("cases.view_visit")
def visit_status_report(request, pk: int):
    """The follow-up report the division sends upward: every item of the visit with its status."""
    visit = _visit(request, pk)
    pdf = reports.visit_report_pdf(visit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="visit-{visit.pk}.pdf"'
    return response


# Audit findings ------------------------------------------------------------------------------------

@perm_required("cases.view_auditreport")
def audit_list(request):
    form = None
    if request.user.has_perm("cases.manage_audit"):
        form = AuditReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            report = services.create_audit_report(by=request.user, **form.cleaned_data)
            return redirect("cases:staff-audit", pk=report.pk)
    return render(request, "cases/staff/audits.html", {"reports": queries.audit_reports(), "form": form})


@perm_required("cases.view_auditreport")
def audit_detail(request, pk: int):
    report = get_object_or_404(AuditReport, pk=pk)
    form = FindingForm(request.POST or None, units=_units())
    if request.method == "POST":
        if not request.user.has_perm("cases.manage_audit"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.file_case(kind=Case.Kind.AUDIT_FINDING, title=data["title"],
                                   description=data["description"], risk=data["risk"],
                                   recommendation=data["recommendation"], agreed_action=data["agreed_action"],
                                   units=[data["unit"]], branch=data["branch"], due_on=data["due_on"],
                                   channel=Case.Channel.AUDIT, audit_report=report, by=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text)
            else:
                messages.success(request, _("Finding added."))
                return redirect("cases:staff-audit", pk=report.pk)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        response = HttpResponse(reports.audit_report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="audit-{report.fiscal_year}-{report.pk}.pdf"'
        return response
    if fmt == "xlsx":
        return xlsx_response(f"audit-{report.fiscal_year}-{report.pk}.xlsx", reports.audit_sheets(report),
                             title=report.title)
    return render(request, "cases/staff/audit.html", {"report": report, "findings": queries.findings(report),
                                                      "form": form, "now": timezone.now()})


# Reports -------------------------------------------------------------------------------------------

def _month(request) -> date:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@perm_required("cases.view_case_report")
def monthly(request):
    month = _month(request)
    report = queries.monthly_report(month, queryset=queries.cases_for(request.user, "cases.view_case_report"))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"gecc-{month:%Y-%m}.xlsx", reports.monthly_sheets(report),
                             title=_("Service desk report %(month)s") % {"month": thai_date(month)})
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    following = (month.replace(day=28) + (date(2000, 1, 5) - date(2000, 1, 1))).replace(day=1)
    return render(request, "cases/staff/monthly.html", {"report": report, "month": month, "previous": previous,
                                                        "next": following})


@perm_required("cases.view_evidenceitem")
def evidence(request):
    items = list(EvidenceItem.objects.all())
    editable = request.user.has_perm("cases.change_evidenceitem")
    if request.method == "POST":
        if not editable:
            raise Http404
        item = get_object_or_404(EvidenceItem, pk=request.POST.get("item"))
        form = EvidenceForm(request.POST, instance=item, prefix=f"i{item.pk}")
        if form.is_valid():
            services.update_evidence(item=item, by=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
        else:
            messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
        return redirect(reverse("cases:staff-evidence") + f"#item-{item.pk}")
    rows = [(item, EvidenceForm(instance=item, prefix=f"i{item.pk}") if editable else None) for item in items]
    return render(request, "cases/staff/evidence.html", {"rows": rows})
