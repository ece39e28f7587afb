"""Staff pages under /staff/events/: programme, festivals, projects, sessions, check-in, reports."""
from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core import xlsx
from bkklib.core.calendar import fiscal_year
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.pdpa import log_access
from bkklib.network import access

from . import printing, queries, reports, services
from .forms import (
    ActivityForm,
    ActivityImageForm,
    CheckInForm,
    FestivalForm,
    OutcomeForm,
    PhotoForm,
    ProjectForm,
    ScheduleForm,
    TargetFormSet,
    WalkInCountForm,
    WalkInRegisterForm,
)
from .models import Activity, Festival, Gender, Project, Registration, Session


def _branches(user, perm: str):
    return access.branches_for(user, perm).order_by("name_th")


@perm_required("events.view_activity")
def home(request):
    """The programme of the user's branches: activities, today's sessions, links to the rest."""
    now = timezone.now()
    activities = queries.staff_activities(request.user).order_by("-updated_at")[:200]
    today = timezone.localdate(now)
    sessions = (Session.objects.filter(activity__in=queries.staff_activities(request.user),
                                       starts_at__date__gte=today).select_related("activity")
                .order_by("starts_at")[:30])
    return render(request, "events/staff/home.html", {"activities": activities, "sessions": sessions,
                                                      "fy": fiscal_year(today)})


# --- Festivals and projects (the division's) --------------------------------------------------------------


@perm_required("events.view_festival")
def festivals(request):
    year = int(request.GET.get("year") or timezone.localdate().year)
    return render(request, "events/staff/festivals.html", {"festivals": queries.festivals_of_year(year), "year": year})


@perm_required("events.change_festival")
def festival_form(request, pk: int | None = None):
    festival = get_object_or_404(Festival, pk=pk) if pk else None
    form = FestivalForm(request.POST or None, instance=festival)
    if request.method == "POST" and form.is_valid():
        services.save(form.instance, staff=request.user, reason=_("festival edited"))
        messages.success(request, _("The festival is saved."))
        return redirect(f"{_url('festivals')}?year={form.instance.year}")
    return render(request, "events/staff/form.html", {"form": form, "title": _("Festival")})


@perm_required("events.view_project")
def projects(request):
    fy = int(request.GET.get("fy") or fiscal_year(timezone.localdate()))
    return render(request, "events/staff/projects.html", {"projects": queries.projects_of_year(fy), "fy": fy})


@perm_required("events.change_project")
def project_form(request, pk: int | None = None):
    project = get_object_or_404(Project, pk=pk) if pk else Project()
    form = ProjectForm(request.POST or None, instance=project)
    targets = TargetFormSet(request.POST or None, instance=project, prefix="targets")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        rows = targets.save(commit=False)
        for row in rows:
            row.project = form.instance
        services.save(form.instance, staff=request.user, reason=_("project edited"), related=rows,
                      deleted=targets.deleted_objects)
        messages.success(request, _("The project is saved."))
        return redirect(f"{_url('projects')}?fy={form.instance.fiscal_year}")
    return render(request, "events/staff/project_form.html", {"form": form, "targets": targets})


# --- Activities and sessions ------------------------------------------------------------------------------


def _activity(request, pk: int, perm: str = "events.view_activity") -> Activity:
    return get_object_or_404(queries.staff_activities(request.user, perm=perm), pk=pk)


@perm_required("events.add_activity")
def activity_form(request, pk: int | None = None):
    activity = _activity(request, pk, "events.change_activity") if pk else None
    branches = access.branches_for(request.user, "events.add_activity")
    form = ActivityForm(request.POST or None, instance=activity, branches=branches)
    image = ActivityImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and image.is_valid():
        photo = image.cleaned_data["image"]
        if photo:
            form.instance.image.save(photo.content.name, photo.content, save=False)
        services.save(form.instance, staff=request.user, reason=_("activity edited"))
        messages.success(request, _("The activity is saved."))
        return redirect("events_staff:activity", form.instance.pk)
    return render(request, "events/staff/activity_form.html", {"form": form, "image": image, "activity": activity})


@perm_required("events.view_activity")
def activity_detail(request, pk: int):
    activity = _activity(request, pk)
    sessions = list(activity.sessions.order_by("starts_at"))
    counts = queries.counts_for([s.pk for s in sessions])
    for s in sessions:
        s.counts = counts.get(s.pk, {})
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        starts = timezone.make_aware(datetime.combine(data["date"], data["start"]), tz)
        ends = timezone.make_aware(datetime.combine(data["date"], data["end"]), tz)
        try:
            made = services.schedule_sessions(activity=activity, starts_at=starts, ends_at=ends, staff=request.user,
                                              weekly_until=data["weekly_until"], capacity=data["capacity"],
                                              room=data["room"])
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("{count} session(s) added.").format(count=len(made)))
            return redirect("events_staff:activity", activity.pk)
    return render(request, "events/staff/activity.html", {"activity": activity, "sessions": sessions, "form": form})


@perm_required("events.view_session")
def session_detail(request, pk: int):
    """A session's desk: registrations and waiting list, check-in, walk-ins, photos, outcome, certificates."""
    session = queries.staff_session(request.user, pk)
    registrations = list(queries.session_registrations(session))
    for r in registrations:
        if r.patron_id or r.guest_name:
            log_access(request.user, r.patron or r, path=request.path, purpose=_("activity participants"))
    counts = {(w.age_group, w.gender): w.count for w in session.walk_ins.all()}
    return render(request, "events/staff/session.html", {
        "session": session, "activity": session.activity, "registrations": registrations,
        "checkin_form": CheckInForm(), "register_form": WalkInRegisterForm(),
        "walkin_form": WalkInCountForm(initial_counts=counts), "photo_form": PhotoForm(),
        "outcome_form": OutcomeForm(initial={"outcome": session.outcome}),
        "attendance": queries.attendance([session]), "capacity": queries.capacity_of(session),
        "genders": Gender.choices,
    })


def _session_action(request, pk: int, perm: str):
    return queries.staff_session(request.user, pk, perm=perm)


@require_POST
@perm_required("events.change_registration")
def session_check_in(request, pk: int):
    session = _session_action(request, pk, "events.change_registration")
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            reg = services.check_in(session=session, code=form.cleaned_data["code"], staff=request.user)
            messages.success(request, _("{name} is checked in.").format(name=reg.display_name))
        except DomainError as exc:
            messages.error(request, exc.text)
    return redirect("events_staff:session", pk)


@require_POST
@perm_required("events.add_registration")
def session_register(request, pk: int):
    """Register a walk-in at the desk: by card, or as a guest."""
    from bkklib.circulation.models import Patron

    session = _session_action(request, pk, "events.add_registration")
    form = WalkInRegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("__all__", [])) or _("Check the form."))
        return redirect("events_staff:session", pk)
    data = form.cleaned_data
    try:
        if data["card"]:
            patron = Patron.objects.filter(card_number=data["card"].strip()).first()
            if patron is None:
                messages.error(request, _("No patron has card {card}.").format(card=data["card"]))
                return redirect("events_staff:session", pk)
            reg = services.register(session=session, patron=patron, staff=request.user, gender=data["gender"])
        else:
            reg = services.register(session=session, staff=request.user, guest=services.Guest(
                name=data["name"], phone=data["phone"], age_group=data["age_group"], consent=data["consent"],
                gender=data["gender"]))
        messages.success(request, _("{name}: {status}.").format(name=reg.display_name, status=reg.get_status_display()))
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("events_staff:session", pk)


@require_POST
@perm_required("events.change_registration")
def registration_cancel(request, pk: int):
    registration = get_object_or_404(Registration, pk=pk)
    _session_action(request, registration.session_id, "events.change_registration")
    try:
        promoted = services.cancel(registration=registration, staff=request.user)
        messages.success(request, _("Cancelled; {count} promoted from the waiting list.").format(count=len(promoted)))
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("events_staff:session", registration.session_id)


@require_POST
@perm_required("events.change_session")
def session_walk_ins(request, pk: int):
    session = _session_action(request, pk, "events.change_session")
    form = WalkInCountForm(request.POST)
    if form.is_valid():
        services.record_walk_ins(session=session, counts=form.counts(), staff=request.user)
        messages.success(request, _("Walk-in counts saved."))
    else:
        messages.error(request, _("Counts are whole numbers from 0."))
    return redirect("events_staff:session", pk)


@require_POST
@perm_required("events.change_session")
def session_photo(request, pk: int):
    session = _session_action(request, pk, "events.change_session")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_photo(session=session, photo=form.cleaned_data["photo"], caption=form.cleaned_data["caption"],
                           staff=request.user)
        messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("events_staff:session", pk)


@require_POST
@perm_required("events.change_session")
def session_outcome(request, pk: int):
    session = _session_action(request, pk, "events.change_session")
    form = OutcomeForm(request.POST)
    if form.is_valid():
        services.set_outcome(session=session, outcome=form.cleaned_data["outcome"], staff=request.user)
        messages.success(request, _("Outcome notes saved."))
    return redirect("events_staff:session", pk)


@require_POST
@perm_required("events.change_session")
def session_cancel(request, pk: int):
    session = _session_action(request, pk, "events.change_session")
    count = services.cancel_session(session=session, staff=request.user)
    messages.success(request, _("Session cancelled; {count} registrations cancelled.").format(count=count))
    return redirect("events_staff:activity", session.activity_id)


@perm_required("events.view_registration")
def certificates(request, pk: int):
    """Certificates (PDF) for the checked-in participants of a session who asked for one (or one registration)."""
    session = queries.staff_session(request.user, pk)
    rows = session.registrations.filter(checked_in_at__isnull=False).select_related("patron", "session__activity")
    if request.GET.get("registration"):
        rows = rows.filter(pk=request.GET["registration"])
    else:
        rows = rows.filter(wants_certificate=True)
    rows = list(rows.order_by("position"))
    if not rows:
        messages.error(request, _("No checked-in participant asked for a certificate."))
        return redirect("events_staff:session", pk)
    response = HttpResponse(printing.certificate(rows), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificates-{pk}.pdf"'
    return response


# --- Reports ------------------------------------------------------------------------------------------------


@perm_required("events.view_report")
def report(request):
    """Projects of a fiscal year, target against actual, and the festival months by branch: page, XLSX, PDF."""
    try:
        fy = int(request.GET.get("fy") or fiscal_year(timezone.localdate()))
    except ValueError:
        fy = fiscal_year(timezone.localdate())
    rows = reports.year_report(fy)
    months = reports.festival_months(fy)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx.xlsx_response(f"events-fy{fy}", reports.xlsx_sheets(fy, rows, months),
                                  title=_("Reading-promotion projects, fiscal year {fy}").format(fy=fy))
    if fmt == "pdf":
        response = HttpResponse(reports.pdf_bytes(fy, rows, months), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="events-fy{fy}.pdf"'
        return response
    return render(request, "events/staff/report.html", {"reports": rows, "months": months, "fy": fy})


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(f"events_staff:{name}")
