"""Money at the desk: payments, waivers, receipts and the day's cash-up."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.mail import EmailMessage
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError

from .. import forms, queries, services
from ..models import Patron, Receipt
from .common import current_desk, form_errors

# --- Money ---------------------------------------------------------------------------------------------


@perm_required("circulation.add_receipt")
def pay(request, pk: int):
    """Take a payment (all or part of what is due) and issue a numbered receipt."""
    patron = get_object_or_404(Patron, pk=pk)
    form = forms.PaymentForm(request.POST or None, patron=patron,
                             initial={"amount": queries.fines_due(patron)})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.pay(patron=patron, amount=form.cleaned_data["amount"], staff=request.user,
                                   desk=current_desk(request), method=form.cleaned_data["method"],
                                   fines=list(form.cleaned_data["fines"]) or None)
        except DomainError as exc:
            form_errors(form, exc)
        else:
            return redirect("circulation:receipt", receipt.pk)
    return render(request, "circulation/pay.html", {"patron": patron, "form": form,
                                                    "fines": queries.fines_of(patron),
                                                    "due": queries.fines_due(patron)})


@perm_required("circulation.waive_fine")
def waive(request, pk: int):
    """Waive all or part of a charge, with a reason."""
    fine = queries.fine_by_id(pk)
    form = forms.WaiverForm(request.POST or None, initial={"amount": fine.balance})
    if request.method == "POST" and form.is_valid():
        try:
            services.waive(fine=fine, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"],
                           staff=request.user, desk=current_desk(request))
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Waived."))
            return redirect("circulation:patron-detail", fine.patron_id)
    return render(request, "circulation/waive.html", {"fine": fine, "form": form})


def _receipt(pk: int) -> Receipt:
    return get_object_or_404(Receipt.objects.select_related("patron", "branch", "received_by"), pk=pk)


@perm_required("circulation.view_receipt")
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


@perm_required("circulation.view_receipt")
def cash_up(request):
    """The desk's takings of a day, by method and by staff member, with every receipt; count the cash and sign."""
    try:
        day = date.fromisoformat(request.GET.get("day", "") or request.POST.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    branch = current_desk(request)
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
