"""Staff pages of the roster's follow-ups: swaps to approve, an agreement's handover checklist and ending,
and the branch's QR check-in poster (page, PDF, new token).

Another branch's swap or agreement is a 404 (``network.access.scope``); a write there is refused by the service.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network import access
from bkklib.opac import clock

from .. import printing, services
from ..models import Agreement, Swap
from .staff import _desk


@require_POST
@perm_required("volunteers.approve_hours")
def swap_decide(request, pk: int):
    swaps = access.scope(Swap.objects.all(), request.user, "volunteers.approve_hours", field="signup__branch")
    swap = get_object_or_404(swaps, pk=pk)
    approve = request.POST.get("action") == "approve"
    try:
        services.decide_swap(swap=swap, by=request.user, approve=approve, note=request.POST.get("note", ""),
                             now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Swap approved: the roster is updated.") if approve else _("Swap refused."))
    return redirect("volunteers:staff-roster")


@perm_required("volunteers.view_agreement")
def agreement(request, pk: int):
    """An agreement: its handover checklist (ticks with who and when), the override, ending the placement."""
    user = request.user
    agreement = get_object_or_404(access.scope(Agreement.objects.select_related("volunteer", "role", "branch"),
                                               user, "volunteers.view_agreement"), pk=pk)
    may_change = access.can_act_at(user, "volunteers.change_agreement", agreement.branch)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "tick":
                services.tick_handover(agreement=agreement, by=user, items=request.POST.getlist("items"),
                                       now=clock.now())
                done = _("Handover checklist saved.")
            elif action == "override":
                services.override_handover(agreement=agreement, by=user, reason=request.POST.get("reason", ""),
                                           now=clock.now())
                done = _("Override recorded: the placement can end with the handover unfinished.")
            elif action == "end":
                services.end_agreement(agreement=agreement, by=user, reason=request.POST.get("reason", ""),
                                       now=clock.now())
                done = _("The placement has ended; the hours stay on record.")
            else:
                raise DomainError(_("Unknown action."))
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, done)
            return redirect("volunteers:staff-agreement", agreement.pk)
    return render(request, "volunteers/staff/agreement.html", {
        "agreement": agreement, "may_change": may_change, "checklist": agreement.handover_checklist,
        "settled": not agreement.handover_left or bool(agreement.handover_override_reason),
        "posted_reason": request.POST.get("reason", "") if request.method == "POST" else ""})


def _qr_branch(request):
    branch = _desk(request)
    if branch is None or not access.can_act_at(request.user, "volunteers.view_shift", branch):
        raise PermissionDenied
    return branch


def _scan_url(request, branch) -> str:
    token = services.checkin_point(branch).token
    return request.build_absolute_uri(reverse("volunteers:check-in", args=[token]))


@perm_required("volunteers.view_shift")
def checkin_qr(request):
    """The printable QR check-in poster of the desk's branch, and a new token for it."""
    from bkklib.opac import cards

    branch = _qr_branch(request)
    if request.method == "POST":
        try:
            services.rotate_checkin_token(branch=branch, by=request.user, now=clock.now())
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("A new QR code is made: print the new poster; the old one no longer works."))
        return redirect("volunteers:staff-checkin-qr")
    url = _scan_url(request, branch)
    return render(request, "volunteers/staff/checkin_qr.html", {
        "branch": branch, "url": url, "qr": cards.qr_svg(url, label=branch.name_th),
        "point": services.checkin_point(branch),
        "may_rotate": access.can_act_at(request.user, "volunteers.change_shift", branch)})


@perm_required("volunteers.view_shift")
def checkin_qr_pdf(request):
    branch = _qr_branch(request)
    response = HttpResponse(printing.checkin_poster(branch, url=_scan_url(request, branch)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="volunteer-check-in-{branch.code}.pdf"'
    return response
