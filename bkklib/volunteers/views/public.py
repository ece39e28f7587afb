"""Public pages under /volunteer/: open calls, the application form, the private status page (where an
accepted applicant makes a sign-in), the volunteer's sign-in and their own pages (agreements, shifts,
check-in and out, hours, evaluations, certificate, data export).

Volunteers sign in as Django users in the ``volunteer`` role (username: their volunteer code); their pages
show only the record linked to the signed-in user, so another volunteer's record is never reachable.
"""
from __future__ import annotations

import json
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bkklib.core import ratelimit
from bkklib.core.exceptions import DomainError
from bkklib.core.forms import is_spam
from bkklib.opac import clock

from .. import pdpa, printing, queries, services
from ..exceptions import CriteriaNotMet
from ..forms import ApplicationForm, PasswordForm, SignInForm
from ..models import Agreement, Application, Evaluation, Shift, Signup

APPLY_LIMIT = ratelimit.Limit("volunteers-apply", 20, 3600)
SIGN_IN_LIMIT = ratelimit.Limit("volunteers-sign-in", 10, 300)


def index(request):
    today = timezone.localdate(clock.now())
    return render(request, "volunteers/index.html", {"calls": queries.open_calls(today),
                                                      "volunteer": queries.volunteer_of(request.user)})


@never_cache
@ratelimit.rate_limited(APPLY_LIMIT)
def apply(request, pk: int):
    today = timezone.localdate(clock.now())
    call = get_object_or_404(queries.open_calls(today), pk=pk)
    reasons: list[str] = []
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_spam(form):
            return redirect("volunteers:index")
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("consent", "website")}
        try:
            application = services.apply(call=call, now=clock.now(), **data)
        except CriteriaNotMet as exc:
            reasons = exc.reasons
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            return redirect("volunteers:status", application.token)
    return render(request, "volunteers/apply.html", {"call": call, "form": form, "reasons": reasons,
                                                      "criteria": call.criteria})


@never_cache
def status(request, token: str):
    """The applicant's private page (its address was given on applying and in the notices)."""
    application = get_object_or_404(Application.objects.select_related("call__branch"), token=token,
                                    erased_at__isnull=True)
    volunteer = getattr(application, "volunteer", None)
    form = None
    if application.status == Application.Status.ACCEPTED and volunteer is not None and not volunteer.user_id:
        form = PasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.make_account(application=application, password=form.cleaned_data["password"])
            except DomainError as exc:
                form.add_error("password", exc.text)
            else:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("Your sign-in is ready. Your volunteer code is {code}.").format(
                    code=user.username))
                return redirect("volunteers:me")
    return render(request, "volunteers/status.html", {"application": application, "form": form,
                                                       "volunteer": volunteer})


@never_cache
@ratelimit.rate_limited(SIGN_IN_LIMIT)
def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["code"].strip().upper(),
                            password=form.cleaned_data["password"])
        if user is not None and queries.volunteer_of(user) is not None:
            login(request, user)
            wanted = request.POST.get("next") or request.GET.get("next", "")
            if wanted.startswith("/volunteer/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
                return redirect(wanted)
            return redirect("volunteers:me")
        form.add_error(None, _("The volunteer code or password is wrong."))
    return render(request, "volunteers/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("volunteers:index")


def volunteer_required(view):
    """The signed-in volunteer's own pages: anyone else is sent to the volunteer sign-in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        volunteer = queries.volunteer_of(request.user)
        if volunteer is None or volunteer.erased_at:
            return redirect("volunteers:sign-in")
        return view(request, volunteer, *args, **kwargs)

    return wrapped


def _act(request, verb, ok: str):
    try:
        verb()
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, ok)
    return redirect("volunteers:me")


@never_cache
@volunteer_required
def me(request, volunteer):
    now = clock.now()
    signups = list(queries.signups_of(volunteer)[:30])
    for signup in signups:
        signup.can_check_in = (signup.status == Signup.Status.SIGNED_UP
                               and signup.shift.starts_at - services.CHECK_IN_EARLY <= now <= signup.shift.ends_at)
    hours = queries.hours_by_fiscal_year(volunteer)
    total = sum(hours.values(), Decimal("0.00"))
    return render(request, "volunteers/me.html", {
        "volunteer": volunteer, "agreements": volunteer.agreements.select_related("role", "branch"),
        "open_shifts": queries.open_shifts_for(volunteer, now), "signups": signups,
        "hours": hours, "total": total, "pending": queries.total_hours(volunteer, approved_only=False) - total,
        "evaluations": volunteer.evaluations.select_related("form"),
        "welfare": queries.welfare_by_fiscal_year(volunteer),
        "swaps_for_me": queries.open_swaps_for(volunteer), "my_swaps": queries.my_swaps(volunteer)[:20],
    })


@require_POST
@volunteer_required
def accept_agreement(request, volunteer, pk: int):
    agreement = get_object_or_404(Agreement, pk=pk, volunteer=volunteer)
    return _act(request, lambda: services.accept_agreement(agreement=agreement, volunteer=volunteer, now=clock.now()),
                _("You accepted the agreement. Welcome!"))


@require_POST
@volunteer_required
def resign(request, volunteer, pk: int):
    agreement = get_object_or_404(Agreement, pk=pk, volunteer=volunteer)
    return _act(request, lambda: services.request_resignation(
        agreement=agreement, volunteer=volunteer, reason=request.POST.get("reason", ""), now=clock.now()),
        _("Your resignation is filed. The notice period and handover are shown below."))


@require_POST
@volunteer_required
def sign_up(request, volunteer, pk: int):
    shift = get_object_or_404(Shift, pk=pk)
    return _act(request, lambda: services.sign_up(shift=shift, volunteer=volunteer, now=clock.now()),
                _("You are on the shift."))


@require_POST
@volunteer_required
def shift_action(request, volunteer, pk: int):
    signup = get_object_or_404(Signup, pk=pk, volunteer=volunteer)
    action = request.POST.get("action")
    now = clock.now()
    if action == "check_in":
        return _act(request, lambda: services.check_in(signup=signup, volunteer=volunteer, method="qr", now=now),
                    _("Checked in. Have a good shift!"))
    if action == "check_out":
        return _act(request, lambda: services.check_out(signup=signup, volunteer=volunteer, now=now),
                    _("Checked out. Your hours wait for the supervisor's approval."))
    if action == "cancel":
        return _act(request, lambda: services.cancel_signup(signup=signup, volunteer=volunteer, now=now),
                    _("Shift cancelled."))
    raise Http404


@require_POST
@volunteer_required
def acknowledge(request, volunteer, pk: int):
    evaluation = get_object_or_404(Evaluation, pk=pk, volunteer=volunteer)
    return _act(request, lambda: services.acknowledge_evaluation(
        evaluation=evaluation, volunteer=volunteer, comment=request.POST.get("comment", ""), now=clock.now()),
        _("Evaluation acknowledged."))


@volunteer_required
def certificate(request, volunteer):
    data = printing.certificate(volunteer, hours=queries.hours_by_fiscal_year(volunteer),
                                issued_on=timezone.localdate(clock.now()))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="volunteer-hours-{volunteer.code}.pdf"'
    return response


@volunteer_required
def export(request, volunteer):
    data = pdpa.export_volunteer(volunteer, request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="volunteer-{volunteer.code}.json"'
    return response


