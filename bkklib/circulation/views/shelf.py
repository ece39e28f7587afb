"""Items at the branch: the hold shelf, holds to trap, overdue loans, transits, item status by barcode."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog import queries as catalog_queries
from bkklib.catalog.models import Item
from bkklib.core.collation import thai_sorted
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network.models import Branch

from .. import queries, services
from .common import current_desk

# --- Holds shelf, transits -----------------------------------------------------------------------------


@perm_required("circulation.view_hold")
def hold_shelf(request):
    """Holds waiting on this desk's shelf, soonest expiry first."""
    return render(request, "circulation/hold_shelf.html", {"holds": queries.hold_shelf(current_desk(request)),
                                                           "today": timezone.localdate()})


@perm_required("circulation.change_loan")
def holds_to_trap(request):
    """Titles on this desk's shelves with holds waiting: pull a copy and check it in to fill the first hold."""
    branch = current_desk(request)
    return render(request, "circulation/holds_to_trap.html",
                  {"rows": queries.holds_to_trap(branch, today=timezone.localdate()), "desk": branch})


@perm_required("circulation.view_loan")
def overdue(request):
    """Loans made at this desk that are past their due date, oldest due first, with what they have accrued."""
    branch, today = current_desk(request), timezone.localdate()
    loans = list(queries.overdue_loans(today=today, branch=branch).select_related("branch")[:OVERDUE_SHOWN])
    for loan in loans:
        loan.days_late = (today - loan.due_on).days
    return render(request, "circulation/overdue.html", {
        "loans": loans, "desk": branch, "total": queries.count_overdue(user=request.user, branch=branch, today=today),
        "shown": OVERDUE_SHOWN,
    })


OVERDUE_SHOWN = 200


@perm_required("circulation.view_transit")
def transits(request):
    """Items on their way here; items sent from here not yet received; today's transit slips."""
    branch = current_desk(request)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return render(request, "circulation/transits.html", {
        "incoming": queries.transits_to(branch), "outgoing": queries.transits_from(branch, since=start),
        "outgoing_earlier": queries.transits_from(branch, before=start),
    })


@perm_required("circulation.change_loan")
def item_status(request):
    """Declare lost / claims returned / damaged, or send an item to another branch, by barcode."""
    context = {}
    if request.method == "POST":
        action, barcode = request.POST.get("action"), request.POST.get("barcode", "")
        desk_branch = current_desk(request)
        try:
            item = catalog_queries.item_by_barcode(barcode)
            loan = queries.open_loan_of(item)
            if action in ("lost", "claims_returned") and loan is None:
                raise services.lending.CheckinRefused(barcode=item.barcode, reason=_("it is not on loan."))
            if action == "lost":
                services.declare_lost(loan=loan, staff=request.user, desk=desk_branch)
            elif action == "claims_returned":
                services.claims_returned(loan=loan, staff=request.user, desk=desk_branch)
            elif action == "damaged":
                services.mark_damaged(item=item, staff=request.user, desk=desk_branch,
                                      note=request.POST.get("note", ""))
            elif action == "transfer":
                to = get_object_or_404(Branch, pk=request.POST.get("to"))
                services.transfer_item(item=item, to=to, staff=request.user, desk=desk_branch)
            else:
                raise Http404
            messages.success(request, _("Item {barcode}: {status}.").format(
                barcode=item.barcode, status=Item.objects.get(pk=item.pk).get_status_display()))
        except DomainError as exc:
            messages.error(request, exc.text)
        return redirect("circulation:item-status")
    context["branches"] = thai_sorted(Branch.objects.all(), key=lambda b: b.name_th)
    return render(request, "circulation/item_status.html", context)
