"""Staff pages of circulation: the desk (scan patron, scan items), patrons, payments, holds, transits, reports.

Views parse the request, call a service or a query and render; refusals (DomainError) become a
one-line message. Every page that shows a patron's personal data writes an access-log entry.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bkklib.catalog import queries as catalog_queries
from bkklib.catalog.models import Item
from bkklib.core.collation import thai_sorted
from bkklib.core.exceptions import DomainError
from bkklib.core.models import MessageTemplate
from bkklib.network import access
from bkklib.network.models import Branch

from . import cards, forms, notices, queries, rules, services
from .models import Hold, Patron, Receipt


def _desk(request):
    return access.desk_of(request)


def _patron_context(patron: Patron, *, today: date) -> dict:
    loans = list(queries.loans_of(patron))
    overdue = queries.overdue_of(loans, today=today)  # the one overdue rule, fines in one query
    for loan in loans:
        loan.is_overdue = loan.pk in overdue
        loan.accrued = overdue[loan.pk].fine if loan.is_overdue else None
    standing = queries.standing(patron)
    refusal = services.lending.rules.patron_refusal(standing.borrower, today=today)
    return {
        "renewal_expiry": rules.card_expiry(max(today, patron.card_expires_on), patron.category.card_valid_years),
        "patron": patron, "loans": loans, "holds": list(queries.holds_of(patron)),
        "fines": list(queries.fines_of(patron)), "fines_due": standing.borrower.fines_due,
        "active_block": queries.active_block(patron), "refusal": refusal,
        "refusal_text": _refusal_text(refusal, patron, standing) if refusal else "", "today": today,
    }


def _refusal_text(reason: str, patron: Patron, standing) -> str:
    from .exceptions import REASONS
    from .services.lending import refusal_params

    params = refusal_params(reason, patron, standing, services.lending.rules.Policy())
    return str(REASONS[reason]).format(**params)


# --- The desk -----------------------------------------------------------------------------------------


@login_required
@permission_required("circulation.add_loan", raise_exception=True)
def desk(request):
    """The circulation desk: scan a patron card, then scan items to lend.

    The card box takes what a person at the desk types or scans: a card number opens the
    patron; an item barcode opens the borrower of an item on loan (or says the item is not on
    loan); anything else searches patrons by name, phone or ID fragment and lists the matches.
    """
    branch = _desk(request)
    context = {"desk": branch}
    card = request.GET.get("card", "").strip()
    if card:
        context["query"] = card
        patron = _patron_for_scan(card, context)
        if patron is not None:
            services.log_access(request.user, patron, path=request.path, purpose="circulation desk")
            context.update(_patron_context(patron, today=timezone.localdate()))
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
                                 desk=_desk(request))
    except DomainError as exc:
        return _scan_result(request, ok=False, text=exc.text, code=exc.code, extra={"barcode": barcode})
    return _scan_result(request, ok=True, text=loan.item.record.title, code="checked_out",
                        extra={"barcode": barcode, "loan": loan})


@login_required
@permission_required("circulation.view_loan", raise_exception=True)
def due_slip(request, patron_id: int):
    """The due-date slip of the loans made to a patron today at this desk, for the 80 mm printer (Ctrl+P)."""
    patron = get_object_or_404(Patron.objects.select_related("category"), pk=patron_id)
    branch = _desk(request)
    loans = list(queries.loans_made_today(patron, branch=branch, today=timezone.localdate()))
    return render(request, "circulation/due_slip.html", {"patron": patron, "loans": loans, "desk": branch,
                                                         "printed_at": timezone.now()})


@login_required
@permission_required("circulation.change_loan", raise_exception=True)
def checkin_page(request):
    """Returns: scan items one after another; each line says where the item goes now."""
    return render(request, "circulation/checkin.html", {"desk": _desk(request)})


@login_required
@require_POST
def scan_checkin(request):
    """Check in the scanned barcode at this desk and say where the item goes."""
    barcode = request.POST.get("barcode", "").strip()
    try:
        result = services.checkin(item=catalog_queries.item_by_barcode(barcode), staff=request.user,
                                  desk=_desk(request))
    except DomainError as exc:
        return _scan_result(request, ok=False, text=exc.text, code=exc.code, extra={"barcode": barcode})
    return render(request, "circulation/partials/checkin_result.html", {"result": result, "barcode": barcode})


@login_required
@require_POST
def renew_loan(request, loan_id: int):
    """Renew one loan from the patron panel."""
    try:
        loan = services.renew(loan=queries.loan_by_id(loan_id), staff=request.user, desk=_desk(request))
    except DomainError as exc:
        return _scan_result(request, ok=False, text=exc.text, code=exc.code)
    return _scan_result(request, ok=True, text=loan.item.record.title, code="renewed", extra={"loan": loan})


# --- Patrons ------------------------------------------------------------------------------------------


@login_required
@permission_required("circulation.view_patron", raise_exception=True)
def patron_search(request):
    """Find patrons by card, name (Thai or English), national ID, passport or phone."""
    text = request.GET.get("q", "").strip()
    results = list(queries.search_patrons(text)) if text else []
    if len(results) == 1 and results[0].card_number == text:
        return redirect("circulation:patron-detail", results[0].pk)
    return render(request, "circulation/patron_search.html", {"q": text, "results": results})


@login_required
@permission_required("circulation.view_patron", raise_exception=True)
def patron_detail(request, pk: int):
    """A patron's record: details, consent, loans, holds, fines, history of changes (access logged)."""
    patron = get_object_or_404(Patron.objects.select_related("category", "home_branch", "guardian"), pk=pk)
    services.log_access(request.user, patron, path=request.path, purpose=request.GET.get("purpose", ""))
    context = _patron_context(patron, today=timezone.localdate())
    context.update(
        past_loans=list(queries.loans_of(patron, include_returned=True).ended()[:50]),
        consent=patron.consents.first(), history=patron.history.select_related("history_user")[:30],
        receipts=patron.receipts.order_by("-issued_at")[:20], hold_form=forms.HoldForm(
            patron=patron, initial={"pickup_branch": _desk(request).pk}),
        block_form=forms.BlockForm(),
    )
    return render(request, "circulation/patron_detail.html", context)


def _form_errors(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.text)


@login_required
@permission_required("circulation.add_patron", raise_exception=True)
def patron_register(request):
    """Register a patron at the desk after checking the ID document."""
    form = forms.PatronForm(request.POST or None, initial={"home_branch": _desk(request).pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        purposes, pin, guardian_card = data.pop("consent_purposes"), data.pop("pin"), data.pop("guardian_card")
        try:
            if guardian_card:
                data["guardian"] = queries.patron_by_card(guardian_card)
            with transaction.atomic():
                patron = services.register_patron(staff=request.user, desk=_desk(request), consent_purposes=purposes,
                                                  pin=pin or None, **{k: v for k, v in data.items() if v is not None})
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Card {card} issued to {name}.").format(card=patron.card_number,
                                                                                 name=patron.full_name))
            return redirect("circulation:patron-detail", patron.pk)
    return render(request, "circulation/patron_form.html", {"form": form, "title": _("Register a patron")})


@login_required
@permission_required("circulation.change_patron", raise_exception=True)
def patron_edit(request, pk: int):
    """Change a patron's details (any desk: one card for every library)."""
    patron = get_object_or_404(Patron, pk=pk)
    services.log_access(request.user, patron, action="change", path=request.path)
    form = forms.PatronForm(request.POST or None, instance=Patron.objects.get(pk=pk),
                            initial={"guardian_card": patron.guardian.card_number if patron.guardian else "",
                                     "notice_channels": patron.notice_channels})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent_purposes"), data.pop("pin")
        guardian_card = data.pop("guardian_card")
        try:
            data["guardian"] = queries.patron_by_card(guardian_card) if guardian_card else None
            services.update_patron(patron, staff=request.user, desk=_desk(request), **data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("circulation:patron-detail", patron.pk)
    form.fields.pop("consent_purposes")
    form.fields.pop("pin")
    return render(request, "circulation/patron_form.html", {"form": form, "title": _("Change patron details"),
                                                            "patron": patron})


@login_required
@require_POST
def patron_action(request, pk: int, action: str):
    """Membership actions from the patron page: renew, replace card, block, unblock, hold."""
    patron = get_object_or_404(Patron, pk=pk)
    desk_branch = _desk(request)
    try:
        if action == "renew-membership":
            services.renew_membership(patron, staff=request.user, desk=desk_branch)
            messages.success(request, _("Membership renewed."))
        elif action == "replace-card":
            patron = services.replace_card(patron, staff=request.user, desk=desk_branch)
            messages.success(request, _("New card number {card}.").format(card=patron.card_number))
        elif action == "block":
            form = forms.BlockForm(request.POST)
            services.block_patron(patron, staff=request.user, desk=desk_branch,
                                  reason=form.data.get("reason", ""))
            messages.success(request, _("Blocked."))
        elif action == "unblock":
            services.lift_blocks(patron, staff=request.user, desk=desk_branch)
            messages.success(request, _("Blocks lifted."))
        elif action == "hold":
            form = forms.HoldForm(request.POST)
            if not form.is_valid():
                raise Http404
            target, item = form.cleaned_data["target"].strip(), None
            if target.isdigit() and len(target) < 10:
                record = catalog_queries.record_by_id(target)
            else:
                item = catalog_queries.item_by_barcode(target)
                record = item.record
            services.place_hold(record=record, patron=patron, pickup_branch=form.cleaned_data["pickup_branch"],
                                item=item if form.cleaned_data["item_only"] else None, staff=request.user,
                                desk=desk_branch)
            messages.success(request, _("Hold placed on “{title}”.").format(title=record.title))
        elif action == "erase":
            services.erase_patron(patron, staff=request.user)
            messages.success(request, _("The patron's personal data was erased."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.text)
    if request.POST.get("back") == "desk":  # the action was taken on the desk's patron panel
        return redirect(f"{reverse('circulation:desk')}?card={patron.card_number}")
    return redirect("circulation:patron-detail", patron.pk)


@login_required
@require_POST
def hold_action(request, pk: int, action: str):
    """Cancel, suspend or resume a hold from the patron page."""
    hold = get_object_or_404(Hold, pk=pk)
    desk_branch = _desk(request)
    try:
        if action == "cancel":
            services.cancel_hold(hold, staff=request.user, desk=desk_branch, reason=_("cancelled at the desk"))
        elif action == "suspend":
            services.suspend_hold(hold, until=timezone.localdate() + timedelta(days=30), staff=request.user,
                                  desk=desk_branch)
        elif action == "resume":
            services.suspend_hold(hold, until=None, staff=request.user, desk=desk_branch)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("circulation:patron-detail", hold.patron_id)


@login_required
@permission_required("circulation.view_patron", raise_exception=True)
def patron_card(request, pk: int):
    """The patron's library card as a PDF (print, or reprint after replacement)."""
    patron = get_object_or_404(Patron.objects.select_related("category", "home_branch"), pk=pk)
    if patron.status == Patron.Status.ERASED:
        raise Http404
    services.log_access(request.user, patron, action="print_card", path=request.path)
    response = HttpResponse(cards.card_pdf(patron), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{patron.card_number}.pdf"'
    return response


@login_required
@permission_required("circulation.export_patron", raise_exception=True)
def patron_export(request, pk: int):
    """Download everything held about the patron as JSON (PDPA right of access)."""
    patron = get_object_or_404(Patron, pk=pk)
    data = services.export_patron_data(patron, user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="patron-{patron.card_number}.json"'
    return response


@login_required
@permission_required("circulation.approve_patron", raise_exception=True)
def pending(request):
    """Self-registered patrons waiting for an ID check; approve one after seeing the document."""
    if request.method == "POST":
        form = forms.ApproveForm(request.POST)
        patron = get_object_or_404(Patron, pk=request.POST.get("patron"))
        try:
            if not form.is_valid():
                raise services.patrons.InvalidPatronData(reason=_("say which document was checked."))
            services.approve_patron(patron, staff=request.user, desk=_desk(request),
                                    document_checked=form.cleaned_data["document_checked"])
            messages.success(request, _("{name} is now a member (card {card}).").format(name=patron.full_name,
                                                                                       card=patron.card_number))
        except DomainError as exc:
            messages.error(request, exc.text)
        return redirect("circulation:pending")
    branch = None
    if request.GET.get("branch"):
        branch = Branch.objects.filter(pk=request.GET["branch"]).first() if request.GET["branch"].isdigit() else None
    patrons = list(queries.pending_patrons(branch))
    for patron in patrons:
        services.log_access(request.user, patron, path=request.path, purpose="approval")
    return render(request, "circulation/pending.html", {"patrons": patrons, "form": forms.ApproveForm(),
                                                        "branch": branch})


# --- Money ---------------------------------------------------------------------------------------------


@login_required
@permission_required("circulation.add_receipt", raise_exception=True)
def pay(request, pk: int):
    """Take a payment (all or part of what is due) and issue a numbered receipt."""
    patron = get_object_or_404(Patron, pk=pk)
    form = forms.PaymentForm(request.POST or None, patron=patron,
                             initial={"amount": queries.fines_due(patron)})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.pay(patron=patron, amount=form.cleaned_data["amount"], staff=request.user,
                                   desk=_desk(request), method=form.cleaned_data["method"],
                                   fines=list(form.cleaned_data["fines"]) or None)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            return redirect("circulation:receipt", receipt.pk)
    return render(request, "circulation/pay.html", {"patron": patron, "form": form,
                                                    "fines": queries.fines_of(patron),
                                                    "due": queries.fines_due(patron)})


@login_required
@permission_required("circulation.waive_fine", raise_exception=True)
def waive(request, pk: int):
    """Waive all or part of a charge, with a reason."""
    fine = queries.fine_by_id(pk)
    form = forms.WaiverForm(request.POST or None, initial={"amount": fine.balance})
    if request.method == "POST" and form.is_valid():
        try:
            services.waive(fine=fine, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"],
                           staff=request.user, desk=_desk(request))
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Waived."))
            return redirect("circulation:patron-detail", fine.patron_id)
    return render(request, "circulation/waive.html", {"fine": fine, "form": form})


def _receipt(pk: int) -> Receipt:
    return get_object_or_404(Receipt.objects.select_related("patron", "branch", "received_by"), pk=pk)


@login_required
@permission_required("circulation.view_receipt", raise_exception=True)
def receipt(request, pk: int):
    """A receipt as an 80 mm slip for the desk's receipt printer (Ctrl+P), and a button to email it."""
    r = _receipt(pk)
    allocations = r.allocations.select_related("fine").order_by("pk")
    if request.method == "POST":
        email = (request.POST.get("email") or r.patron.email).strip()
        if not email:
            messages.error(request, _("The patron has no email address: give one to send the receipt."))
        else:
            body = render_to_string("circulation/receipt_email.txt", {"receipt": r, "allocations": allocations})
            EmailMessage(_("Receipt {label}").format(label=r.label), body, to=[email]).send()
            messages.success(request, _("Receipt sent to {email}.").format(email=email))
        return redirect("circulation:receipt", r.pk)
    return render(request, "circulation/receipt.html", {"receipt": r, "allocations": allocations})


@login_required
@permission_required("circulation.view_receipt", raise_exception=True)
def cash_up(request):
    """The desk's takings of a day, by method and by staff member, with every receipt; count the cash and sign."""
    try:
        day = date.fromisoformat(request.GET.get("day", "") or request.POST.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    branch = _desk(request)
    form = forms.CashUpSignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_cash_up(branch=branch, day=day, counted_cash=form.cleaned_data["counted_cash"],
                                      note=form.cleaned_data["note"], staff=request.user)
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Cash-up signed."))
        return redirect(f"{reverse('circulation:cash-up')}?day={day.isoformat()}")
    return render(request, "circulation/cash_up.html", {"report": queries.cash_up(branch, day), "form": form,
                                                        "can_sign": request.user.has_perm(
                                                            "circulation.add_cashupsignoff")})


# --- Holds shelf, transits -----------------------------------------------------------------------------


@login_required
@permission_required("circulation.view_hold", raise_exception=True)
def hold_shelf(request):
    """Holds waiting on this desk's shelf, soonest expiry first."""
    return render(request, "circulation/hold_shelf.html", {"holds": queries.hold_shelf(_desk(request)),
                                                           "today": timezone.localdate()})


@login_required
@permission_required("circulation.change_loan", raise_exception=True)
def holds_to_trap(request):
    """Titles on this desk's shelves with holds waiting: pull a copy and check it in to fill the first hold."""
    branch = _desk(request)
    return render(request, "circulation/holds_to_trap.html",
                  {"rows": queries.holds_to_trap(branch, today=timezone.localdate()), "desk": branch})


@login_required
@permission_required("circulation.view_loan", raise_exception=True)
def overdue(request):
    """Loans made at this desk that are past their due date, oldest due first, with what they have accrued."""
    branch, today = _desk(request), timezone.localdate()
    loans = list(queries.overdue_loans(today=today, branch=branch).select_related("branch")[:OVERDUE_SHOWN])
    for loan in loans:
        loan.days_late = (today - loan.due_on).days
    return render(request, "circulation/overdue.html", {
        "loans": loans, "desk": branch, "total": queries.count_overdue(user=request.user, branch=branch, today=today),
        "shown": OVERDUE_SHOWN,
    })


OVERDUE_SHOWN = 200


@login_required
@permission_required("circulation.view_transit", raise_exception=True)
def transits(request):
    """Items on their way here; items sent from here not yet received; today's transit slips."""
    branch = _desk(request)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return render(request, "circulation/transits.html", {
        "incoming": queries.transits_to(branch), "outgoing": queries.transits_from(branch, since=start),
        "outgoing_earlier": queries.transits_from(branch, before=start),
    })


@login_required
@permission_required("circulation.change_loan", raise_exception=True)
def item_status(request):
    """Declare lost / claims returned / damaged, or send an item to another branch, by barcode."""
    context = {}
    if request.method == "POST":
        action, barcode = request.POST.get("action"), request.POST.get("barcode", "")
        desk_branch = _desk(request)
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


# --- Notice templates ------------------------------------------------------------------------------------


@login_required
@permission_required("core.change_messagetemplate", raise_exception=True)
def notice_templates(request):
    """The circulation notice texts (Thai and English) that network admins edit."""
    notices.ensure_templates()
    templates = MessageTemplate.objects.filter(code__startswith="circulation.").order_by("code")
    return render(request, "circulation/notice_templates.html", {"templates": templates})


@login_required
@permission_required("core.change_messagetemplate", raise_exception=True)
def notice_template_edit(request, pk: int):
    """Edit one notice text; ``{{ name }}``, ``{{ title }}``, ``{{ due }}``... are filled in when sent."""
    template = get_object_or_404(MessageTemplate, pk=pk, code__startswith="circulation.")
    form = forms.TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("circulation:notice-templates")
    return render(request, "circulation/notice_template_form.html", {"form": form, "template": template})

