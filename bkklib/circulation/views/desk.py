"""The desk: scan a card or search a patron, scan items out and in, renew, print the due-date slip."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bkklib.catalog import queries as catalog_queries
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError

from .. import queries, services
from ..models import Patron
from .common import current_desk, patron_context

# --- The desk -----------------------------------------------------------------------------------------


@perm_required("circulation.add_loan")
def desk(request):
    """The circulation desk: scan a patron card, then scan items to lend.

    The card box takes what a person at the desk types or scans: a card number opens the
    patron; an item barcode opens the borrower of an item on loan (or says the item is not on
    loan); anything else searches patrons by name, phone or ID fragment and lists the matches.
    """
    branch = current_desk(request)
    context = {"desk": branch}
    card = request.GET.get("card", "").strip()
    if card:
        context["query"] = card
        patron = _patron_for_scan(card, context)
        if patron is not None:
            services.log_access(request.user, patron, path=request.path, purpose="circulation desk")
            context.update(patron_context(patron, today=timezone.localdate()))
    template = "circulation/partials/patron_panel.html" if request.htmx else "circulation/desk.html"
    return render(request, template, context)


def _patron_for_scan(text: str, context: dict) -> Patron | None:
    """Return the patron a scanned or typed ``text`` points to, or None with matches or an error in ``context``."""
    try:
        return queries.patron_by_card(text)
    except DomainError:
        pass
    try:
        item = catalog_queries.item_by_barcode(text)
    except DomainError:
        item = None
    if item is not None:
        loan = queries.open_loan_of(item)
        context["scanned_item"] = item
        if loan is not None:
            return queries.patron_by_id(loan.patron_id)
        return None
    matches = list(queries.search_patrons(text, limit=MATCHES_SHOWN + 1))
    if matches:
        context["matches"], context["more_matches"] = matches[:MATCHES_SHOWN], len(matches) > MATCHES_SHOWN
    else:
        context["error"] = NothingMatches(text=text)
    return None


MATCHES_SHOWN = 20


class NothingMatches(DomainError):
    code = "patron_not_found"
    message = gettext_lazy("No card, item or patron matches “{text}”: check the number, or search by another name "
                           "or the last digits of the phone number.")


def _scan_result(request, *, ok: bool, text: str, code: str = "", extra: dict | None = None, status: int = 200):
    return render(request, "circulation/partials/scan_result.html",
                  {"ok": ok, "text": text, "code": code, **(extra or {})}, status=status)


@login_required
@require_POST
def scan_checkout(request, patron_id: int):
    """Lend the scanned barcode to the patron on the panel; answer one line (done, or why not and what to do)."""
    barcode = request.POST.get("barcode", "").strip()
    try:
        patron = queries.patron_by_id(patron_id)
        loan = services.checkout(item=catalog_queries.item_by_barcode(barcode), patron=patron, staff=request.user,
                                 desk=current_desk(request))
    except DomainError as exc:
        return _scan_result(request, ok=False, text=exc.text, code=exc.code, extra={"barcode": barcode})
    return _scan_result(request, ok=True, text=loan.item.record.title, code="checked_out",
                        extra={"barcode": barcode, "loan": loan})


@perm_required("circulation.view_loan")
def due_slip(request, patron_id: int):
    """The due-date slip of the loans made to a patron today at this desk, for the 80 mm printer (Ctrl+P)."""
    patron = get_object_or_404(Patron.objects.select_related("category"), pk=patron_id)
    branch = current_desk(request)
    loans = list(queries.loans_made_today(patron, branch=branch, today=timezone.localdate()))
    return render(request, "circulation/due_slip.html", {"patron": patron, "loans": loans, "desk": branch,
                                                         "printed_at": timezone.now()})


@perm_required("circulation.change_loan")
def checkin_page(request):
    """Returns: scan items one after another; each line says where the item goes now."""
    return render(request, "circulation/checkin.html", {"desk": current_desk(request)})


@login_required
@require_POST
def scan_checkin(request):
    """Check in the scanned barcode at this desk and say where the item goes."""
    barcode = request.POST.get("barcode", "").strip()
    try:
        result = services.checkin(item=catalog_queries.item_by_barcode(barcode), staff=request.user,
                                  desk=current_desk(request))
    except DomainError as exc:
        return _scan_result(request, ok=False, text=exc.text, code=exc.code, extra={"barcode": barcode})
    return render(request, "circulation/partials/checkin_result.html", {"result": result, "barcode": barcode})


@login_required
@require_POST
def renew_loan(request, loan_id: int):
    """Renew one loan from the patron panel."""
    try:
        loan = services.renew(loan=queries.loan_by_id(loan_id), staff=request.user, desk=current_desk(request))
    except DomainError as exc:
        return _scan_result(request, ok=False, text=exc.text, code=exc.code)
    return _scan_result(request, ok=True, text=loan.item.record.title, code="renewed", extra={"loan": loan})
