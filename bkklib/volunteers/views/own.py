"""The volunteer's own pages for swaps (offer a shift, answer a swap asked of them, withdraw their own) and the
QR check-in a phone opens when it scans the branch's poster (/volunteer/check-in/<token>/).

Only the signed-in volunteer's own sign-ups and the swaps asked of them are reachable (others: 404).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bkklib.core.exceptions import DomainError
from bkklib.opac import clock

from .. import checkin, queries, services
from ..models import Signup, Swap, Volunteer
from .public import volunteer_required


@never_cache
@volunteer_required
def swap(request, volunteer, pk: int):
    """Offer one of my shifts: to anyone placed there, to a named volunteer, or for their shift."""
    signup = get_object_or_404(Signup.objects.select_related("shift__role", "shift__branch"), pk=pk,
                               volunteer=volunteer)
    now = clock.now()
    people, their = queries.swap_partners(signup, now)
    error = ""
    if request.method == "POST":
        kind = request.POST.get("kind")
        try:
            if kind == "open":
                services.request_swap(signup=signup, volunteer=volunteer, now=now)
            elif kind == "give":
                to = people.filter(pk=request.POST.get("to_volunteer") or 0).first()
                if to is None:
                    raise DomainError(_("Choose the volunteer to give the shift to."), code="swap_choose")
                services.request_swap(signup=signup, volunteer=volunteer, to_volunteer=to, now=now)
            elif kind == "exchange":
                other = their.filter(pk=request.POST.get("to_signup") or 0).first()
                if other is None:
                    raise DomainError(_("Choose the shift to exchange for."), code="swap_choose")
                services.request_swap(signup=signup, volunteer=volunteer, to_signup=other, now=now)
            else:
                raise DomainError(_("Choose how to swap the shift."), code="swap_choose")
        except DomainError as exc:
            error = exc.text
        else:
            messages.success(request, _("Swap asked: it goes to staff once the other volunteer accepts."))
            return redirect("volunteers:me")
    return render(request, "volunteers/swap.html", {"signup": signup, "people": people, "their": their,
                                                    "error": error, "posted": request.POST})


@require_POST
@volunteer_required
def swap_answer(request, volunteer, pk: int):
    now = clock.now()
    action = request.POST.get("action")
    if action == "withdraw":
        swap = get_object_or_404(Swap, pk=pk, signup__volunteer=volunteer)
        verb, ok = lambda: services.withdraw_swap(swap=swap, volunteer=volunteer, now=now), _("Swap withdrawn.")
    elif action in ("accept", "decline"):
        swap = get_object_or_404(queries.open_swaps_for(volunteer), pk=pk)
        accept = action == "accept"
        verb = lambda: services.answer_swap(swap=swap, volunteer=volunteer, accept=accept, now=now)  # noqa: E731
        ok = _("You accepted the swap: it now waits for staff.") if accept else _("You declined the swap.")
    else:
        raise Http404
    try:
        verb()
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, ok)
    return redirect("volunteers:me")


@never_cache
def check_in(request, token: str):
    """The page the branch's QR poster opens: the signed-in volunteer confirms check-in (or check-out)."""
    volunteer: Volunteer | None = queries.volunteer_of(request.user)
    if volunteer is None or volunteer.erased_at:
        return redirect(f"{reverse('volunteers:sign-in')}?{urlencode({'next': request.path})}")
    now = clock.now()
    problem, signup, point = "", None, None
    try:
        point = checkin.point_of(token)
        signup = checkin.signup_at(volunteer, point.branch, now)
        if request.method == "POST":
            done = services.scan_checkin(token=token, volunteer=volunteer, now=now)
            messages.success(request, _("Checked in. Have a good shift!") if done.status == Signup.Status.CHECKED_IN
                             else _("Checked out. Your hours wait for the supervisor's approval."))
            return redirect("volunteers:me")
        if signup is None:
            problem = checkin.NoShiftNow(branch=point.branch.name_th).text
    except DomainError as exc:
        problem = exc.text
    return render(request, "volunteers/check_in.html", {"point": point, "signup": signup, "problem": problem,
                                                        "volunteer": volunteer},
                  status=200 if not problem else (404 if point is None else 422))
