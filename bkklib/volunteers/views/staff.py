"""Staff pages under /staff/volunteers/: applications and decisions, volunteers (sensitive fields on request,
logged), agreements, the roster, today's desk check-in and out, hours approval, welfare totals.

Another branch's record is a 404 (``network.access.scope``); a write there is refused by the service.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network import access

from .. import protect, queries, services
from ..forms import AgreementForm, DecisionForm, ShiftForm, WelfareForm, evaluation_form
from ..models import EvaluationForm, Signup


def _desk(request):
    try:
        return access.desk_of(request)
    except DomainError:
        return access.branches_for(request.user, "volunteers.view_volunteer").first()


@perm_required("volunteers.view_volunteer")
def home(request):
    branch = _desk(request)
    return render(request, "volunteers/staff/home.html", {
        "branch": branch, "applications": queries.applications_for(request.user)[:100],
        "volunteers": queries.volunteers_for(request.user)[:200],
        "hours_waiting": queries.hours_waiting(branch) if branch else [],
    })


@perm_required("volunteers.view_application")
def application(request, pk: int):
    app = get_object_or_404(queries.applications_for(request.user), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, by = form.cleaned_data, request.user
        action, note = data["action"], data["note"]
        verbs = {
            "pass": lambda: services.screen(application=app, by=by, passed=True, note=note),
            "fail": lambda: services.screen(application=app, by=by, passed=False, note=note),
            "interview": lambda: services.schedule_interview(application=app, by=by, at=data["interview_at"],
                                                             place=data["interview_place"]),
            "notes": lambda: services.record_interview(application=app, by=by, notes=note),
            "accept": lambda: services.decide(application=app, by=by, accept=True, reason=note),
            "reject": lambda: services.decide(application=app, by=by, accept=False, reason=note),
        }
        try:
            if action == "interview" and not data.get("interview_at"):
                form.add_error("interview_at", _("Give the interview's date and time."))
                raise ValueError
            verbs[action]()
        except DomainError as exc:
            form.add_error(None, exc.text)
        except ValueError:
            pass
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers:staff-application", app.pk)
    sensitive = None
    if request.GET.get("show") == "sensitive":
        sensitive = services.sensitive_fields(app, request.user, path=request.path, purpose="application review")
    return render(request, "volunteers/staff/application.html", {
        "application": app, "form": form, "sensitive": sensitive,
        "may_see_sensitive": request.user.has_perm(services.SENSITIVE_PERM),
        "masked_id": protect.mask_id(protect.unseal(app.national_id_sealed)) if app.national_id_sealed else "",
    })


@perm_required("volunteers.view_volunteer")
def volunteer(request, pk: int):
    """A volunteer's record: offer an agreement, evaluate on the current form, record welfare given."""
    person = get_object_or_404(queries.volunteers_for(request.user), pk=pk)
    today = timezone.localdate()
    which = request.POST.get("which", "agreement") if request.method == "POST" else ""
    form = AgreementForm(request.POST if which == "agreement" else None, initial={"starts_on": today})
    current = (EvaluationForm.objects.filter(period_start__lte=today, period_end__gte=today)
               .exclude(evaluations__volunteer=person).order_by("-period_start").first())
    scores = evaluation_form(current, request.POST if which == "evaluation" else None) if current else None
    welfare = WelfareForm(request.POST if which == "welfare" else None, initial={"given_on": today})
    bound = {"agreement": form, "evaluation": scores, "welfare": welfare}.get(which)
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if which == "agreement":
                services.offer_agreement(volunteer=person, by=request.user, branch=person.branch, **data)
                done = _("Agreement offered: the volunteer accepts it in their account.")
            elif which == "evaluation":
                done_eval = services.evaluate(
                    form=current, volunteer=person, by=request.user, comments=data["comments"],
                    scores={c.pk: data[f"score_{c.pk}"] for c in current.criteria.all()})
                done = _("Evaluated: {total} out of 100 ({recommendation}).").format(
                    total=done_eval.total, recommendation=done_eval.get_recommendation_display())
            else:
                services.give_benefit(volunteer=person, by=request.user, **data)
                done = _("Welfare recorded.")
        except DomainError as exc:
            bound.add_error(None, exc.text)
        else:
            messages.success(request, done)
            return redirect("volunteers:staff-volunteer", person.pk)
    sensitive = None
    if request.GET.get("show") == "sensitive":
        sensitive = services.sensitive_fields(person, request.user, path=request.path, purpose="volunteer record")
    return render(request, "volunteers/staff/volunteer.html", {
        "person": person, "form": form, "sensitive": sensitive, "scores": scores, "current": current,
        "welfare_form": welfare, "may_see_sensitive": request.user.has_perm(services.SENSITIVE_PERM),
        "may_evaluate": request.user.has_perm("volunteers.evaluate_volunteer"),
        "may_give": request.user.has_perm("volunteers.manage_welfare"),
        "may_offer": request.user.has_perm("volunteers.add_agreement"),
        "agreements": person.agreements.select_related("role", "branch"),
        "evaluations": person.evaluations.select_related("form"),
        "signups": queries.signups_of(person)[:50], "hours": queries.hours_by_fiscal_year(person),
        "welfare": queries.welfare_by_fiscal_year(person),
    })


@perm_required("volunteers.view_shift")
def roster(request):
    branch = _desk(request)
    if branch is None:
        return render(request, "volunteers/staff/roster.html", {"branch": None})
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_shift(branch=branch, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Shift added to the roster."))
            return redirect("volunteers:staff-roster")
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return render(request, "volunteers/staff/roster.html", {
        "branch": branch, "form": form, "shifts": queries.roster(branch, start, start + timedelta(days=28)),
        "swaps": queries.swaps_waiting(branch),
        "may_decide": access.can_act_at(request.user, "volunteers.approve_hours", branch)})


@perm_required("volunteers.view_signup")
def today(request):
    branch = _desk(request)
    day = timezone.localdate()
    return render(request, "volunteers/staff/today.html", {
        "branch": branch, "day": day, "signups": queries.shifts_today(branch, day) if branch else []})


@require_POST
@perm_required("volunteers.change_signup")
def signup_action(request, pk: int):
    signup = get_object_or_404(access.scope(Signup.objects.all(), request.user, "volunteers.change_signup"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "check_in":
            services.check_in(signup=signup, by=request.user, method="desk")
        elif action == "check_out":
            services.check_out(signup=signup, by=request.user)
        elif action == "approve":
            services.approve_hours(signup=signup, by=request.user)
        else:
            raise DomainError(_("Unknown action."))
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Saved."))
    return redirect(request.POST.get("back") == "home" and "volunteers:staff-home" or "volunteers:staff-today")



