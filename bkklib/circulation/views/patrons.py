"""Patrons at the desk: search, details, register, change, block/renew/replace card, holds, PDPA export."""
from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.catalog import queries as catalog_queries
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network.models import Branch

from .. import cards, forms, queries, services
from ..models import Hold, Patron
from .common import current_desk, form_errors, patron_context

# --- Patrons ------------------------------------------------------------------------------------------


@perm_required("circulation.view_patron")
def patron_search(request):
    """Find patrons by card, name (Thai or English), national ID, passport or phone."""
    text = request.GET.get("q", "").strip()
    results = list(queries.search_patrons(text)) if text else []
    if len(results) == 1 and results[0].card_number == text:
        return redirect("circulation:patron-detail", results[0].pk)
    return render(request, "circulation/patron_search.html", {"q": text, "results": results})


@perm_required("circulation.view_patron")
def patron_detail(request, pk: int):
    """A patron's record: details, consent, loans, holds, fines, history of changes (access logged)."""
    patron = get_object_or_404(Patron.objects.select_related("category", "home_branch", "guardian"), pk=pk)
    services.log_access(request.user, patron, path=request.path, purpose=request.GET.get("purpose", ""))
    context = patron_context(patron, today=timezone.localdate())
    context.update(
        past_loans=list(queries.loans_of(patron, include_returned=True).ended()[:50]),
        consent=patron.consents.first(), history=patron.history.select_related("history_user")[:30],
        receipts=patron.receipts.order_by("-issued_at")[:20], hold_form=forms.HoldForm(
            patron=patron, initial={"pickup_branch": current_desk(request).pk}),
        block_form=forms.BlockForm(),
    )
    return render(request, "circulation/patron_detail.html", context)


@perm_required("circulation.add_patron")
def patron_register(request):
    """Register a patron at the desk after checking the ID document."""
    form = forms.PatronForm(request.POST or None, initial={"home_branch": current_desk(request).pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        purposes, pin, guardian_card = data.pop("consent_purposes"), data.pop("pin"), data.pop("guardian_card")
        try:
            if guardian_card:
                data["guardian"] = queries.patron_by_card(guardian_card)
            with transaction.atomic():
                patron = services.register_patron(staff=request.user, desk=current_desk(request), consent_purposes=purposes,
                                                  pin=pin or None, **{k: v for k, v in data.items() if v is not None})
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Card {card} issued to {name}.").format(card=patron.card_number,
                                                                                 name=patron.full_name))
            return redirect("circulation:patron-detail", patron.pk)
    return render(request, "circulation/patron_form.html", {"form": form, "title": _("Register a patron")})


@perm_required("circulation.change_patron")
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
            services.update_patron(patron, staff=request.user, desk=current_desk(request), **data)
        except DomainError as exc:
            form_errors(form, exc)
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
    desk_branch = current_desk(request)
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
    desk_branch = current_desk(request)
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


@perm_required("circulation.view_patron")
def patron_card(request, pk: int):
    """The patron's library card as a PDF (print, or reprint after replacement)."""
    patron = get_object_or_404(Patron.objects.select_related("category", "home_branch"), pk=pk)
    if patron.status == Patron.Status.ERASED:
        raise Http404
    services.log_access(request.user, patron, action="print_card", path=request.path)
    response = HttpResponse(cards.card_pdf(patron), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{patron.card_number}.pdf"'
    return response


@perm_required("circulation.export_patron")
def patron_export(request, pk: int):
    """Download everything held about the patron as JSON (PDPA right of access)."""
    patron = get_object_or_404(Patron, pk=pk)
    data = services.export_patron_data(patron, user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="patron-{patron.card_number}.json"'
    return response


@perm_required("circulation.approve_patron")
def pending(request):
    """Self-registered patrons waiting for an ID check; approve one after seeing the document."""
    if request.method == "POST":
        form = forms.ApproveForm(request.POST)
        patron = get_object_or_404(Patron, pk=request.POST.get("patron"))
        try:
            if not form.is_valid():
                raise services.patrons.InvalidPatronData(reason=_("say which document was checked."))
            services.approve_patron(patron, staff=request.user, desk=current_desk(request),
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
