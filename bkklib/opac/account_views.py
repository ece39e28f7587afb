"""The patron's own account at /account/: sign in, card, loans, holds, fines, history, preferences, PDPA.

Every object a page shows or changes is looked up through the signed-in patron (``patron=...``
in the query), so another patron's loan, hold or fine is a 404, and the circulation services are
called with ``patron=`` so they check ownership again.
"""
import json
from decimal import Decimal

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bkklib.catalog.models import Record
from bkklib.circulation import queries as circ_queries
from bkklib.circulation.models import Consent, Hold, Loan, Patron
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import lending, pdpa
from bkklib.circulation.services import patrons as patron_services
from bkklib.core import public, ratelimit
from bkklib.core.exceptions import DomainError
from bkklib.core.redirects import safe_next
from bkklib.network import queries as network_queries

from . import account, cards, clock
from .account_forms import (
    ChangePinForm,
    ConsentForm,
    PickupForm,
    PinResetConfirmForm,
    PinResetRequestForm,
    PreferencesForm,
    RegistrationForm,
    SignInForm,
)


def pickup_branches():
    """Return the branches where a patron may collect a hold, by name (the registration form's list)."""
    return network_queries.pickup_points().order_by("name_th")


@never_cache
def home(request):
    """The account page: the sign-in form for visitors, the patron's dashboard once signed in."""
    patron = account.current_patron(request)
    if patron is None:
        return sign_in(request)
    return dashboard(request, patron)


def sign_in(request):
    form = SignInForm(request.POST or None)
    next_url = safe_next(request, "/account/")
    if request.method == "POST" and form.is_valid():
        try:
            account.sign_in(request, form.cleaned_data["card"], form.cleaned_data["pin"], now=clock.now())
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            return redirect(next_url)
    return render(request, "opac/account/sign_in.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request):
    account.sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("/")


def dashboard(request, patron: Patron):
    today = timezone.localdate(clock.now())
    loans = list(circ_queries.loans_of(patron).select_related("item__record", "item__branch", "branch")
                 .order_by("due_on"))
    overdue = circ_queries.overdue_of(loans, today=today)
    for loan in loans:
        loan.overdue = overdue.get(loan.pk)
    pickup = network_queries.pickup_points_near(patron.home_branch)
    holds = list(circ_queries.holds_of(patron).select_related("record", "pickup_branch").order_by("placed_at"))
    for hold in holds:
        hold.rank = circ_queries.queue_rank(hold) if hold.status == Hold.Status.WAITING else None
        hold.place = hold_services.pickup_place_of(hold)  # a mobile library stop, else None (the library)
        if hold.status == Hold.Status.WAITING:
            hold.pickup_form = PickupForm.for_patron(patron, pickup, current=hold.pickup_branch,
                                                     current_place=hold.place.key if hold.place else "",
                                                     auto_id=f"pickup-{hold.pk}-%s")
    fines = list(circ_queries.fines_of(patron))
    fines_due = circ_queries.fines_due(patron)
    accruing = sum((o.fine for o in overdue.values()), Decimal("0.00"))
    context = {
        "patron": patron,
        "today": today,
        "loans": loans,
        "holds": holds,
        "fines": fines,
        "fines_due": fines_due,
        "accruing": accruing,
        "overdue": sorted(overdue.values(), key=lambda o: o.loan.due_on),
        "total_owed": fines_due + accruing,
        "patron_block": circ_queries.active_block(patron),
        "card_expired": patron.card_expired(today),
        "pickup_media": PickupForm().media,
        "section": "home",
        # e-loans, bookings, registrations: sections the higher apps add (core/public.py)
        "sections": public.account_sections(patron, today),
    }
    return render(request, "opac/account/dashboard.html", context)


@never_cache
@account.patron_required
def card(request, patron: Patron):
    """The digital membership card: name, card number as Code 128 barcode and QR code."""
    number = patron.card_number
    return render(request, "opac/account/card.html", {
        "patron": patron,
        "barcode_svg": cards.code128_svg(number, label=_("Barcode of card {number}").format(number=number)),
        "qr_svg": cards.qr_svg(number, label=_("QR code of card {number}").format(number=number)),
        "today": timezone.localdate(clock.now()),
        "section": "card",
    })


@require_POST
@account.patron_required
def renew(request, patron: Patron, loan_id: int):
    """Renew one of the patron's own loans."""
    loan = get_object_or_404(Loan.objects.open(), pk=loan_id, patron=patron)
    owed_before = circ_queries.fines_due(patron)
    try:
        loan = lending.renew(loan=loan, patron=patron, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        message = _("Renewed “{title}”: now due {date}.").format(title=loan.item.record.title, date=_date(loan.due_on))
        charged = circ_queries.fines_due(patron) - owed_before
        if charged > 0:  # an overdue loan is charged its fine up to the renewal
            message += " " + _("The fine for the days it was late, {amount} baht, is added to your account: pay it "
                               "at any library desk.").format(amount=f"{charged:,.2f}")
        messages.success(request, message)
    return redirect("opac:account")


def _date(value) -> str:
    from django.utils import translation

    from bkklib.core.calendar import thai_date

    return thai_date(value, lang=translation.get_language() or "th")


def _own_hold(patron: Patron, hold_id: int) -> Hold:
    return get_object_or_404(Hold.objects.select_related("record"), pk=hold_id, patron=patron)


@require_POST
@account.patron_required
def cancel_hold(request, patron: Patron, hold_id: int):
    hold = _own_hold(patron, hold_id)
    try:
        hold_services.cancel_hold(hold, patron=patron, reason=_("cancelled by the patron online"), now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Your reservation of “{title}” is cancelled.").format(title=hold.record.title))
    return redirect("opac:account")


@require_POST
@account.patron_required
def change_pickup(request, patron: Patron, hold_id: int):
    hold = _own_hold(patron, hold_id)
    form = PickupForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("branch", [_("Choose a library from the list.")])))
        return redirect("opac:account")
    try:
        hold = hold_services.change_pickup_branch(hold, patron=patron, **form.pickup())
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("You will collect “{title}” at {branch}.").format(
            title=hold.record.title, branch=_pickup_label(hold)))
    return redirect("opac:account")


@require_POST
def place_hold(request, record_id: int):
    """Reserve a record from its page (signed-in patrons; others are sent to sign in first)."""
    record = get_object_or_404(Record, pk=record_id)
    patron = account.current_patron(request)
    if patron is None:
        return redirect(f"/account/?next=/records/{record.pk}/")
    form = PickupForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("branch", [_("Choose the library where you will collect the "
                                                                      "book.")])))
        return redirect("opac:record", record_id=record.pk)
    try:
        hold = hold_services.place_hold(record=record, patron=patron, now=clock.now(), **form.pickup())
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect("opac:record", record_id=record.pk)
    messages.success(request, _("Reserved “{title}”: you are number {rank} in the queue. We will tell you when it "
                                "is ready at {branch}.").format(title=record.title, rank=circ_queries.queue_rank(hold),
                                                                 branch=_pickup_label(hold)))
    return redirect("opac:account")


def _pickup_label(hold: Hold) -> str:
    """Where the patron collects ``hold``: the pickup place (a mobile library stop) or the library."""
    place = hold_services.pickup_place_of(hold)
    return place.label if place is not None else hold.pickup_branch.name_th


@never_cache
@account.patron_required
def history(request, patron: Patron):
    """Past loans, kept only when the patron opted in (otherwise they are anonymised after return)."""
    past = []
    if patron.keeps_loan_history:
        past = list(circ_queries.loans_of(patron, include_returned=True).ended()
                    .select_related("item__record", "branch").order_by("-returned_at")[:500])
    return render(request, "opac/account/history.html", {"patron": patron, "loans": past, "section": "history"})


@never_cache
@account.patron_required
def preferences(request, patron: Patron):
    """Notice channels, language and PIN."""
    form = PreferencesForm(request.POST or None, patron=patron, prefix="pref")
    pin_form = ChangePinForm(request.POST or None, prefix="pin")
    if request.method == "POST" and "pref-language" in request.POST and form.is_valid():
        form.save()
        messages.success(request, _("Your notice preferences are saved."))
        return redirect("opac:account-preferences")
    if request.method == "POST" and "pin-new_pin" in request.POST and pin_form.is_valid():
        try:
            account.change_pin(patron, pin_form.cleaned_data["current_pin"], pin_form.cleaned_data["new_pin"])
        except DomainError as exc:
            pin_form.add_error(exc.field if exc.field in pin_form.fields else None, exc.text)
        else:
            messages.success(request, _("Your PIN is changed."))
            return redirect("opac:account-preferences")
    return render(request, "opac/account/preferences.html", {"patron": patron, "form": form, "pin_form": pin_form,
                                                              "section": "preferences"})


@never_cache
@account.patron_required
def privacy(request, patron: Patron):
    """PDPA: the consent in force, change it, download everything held about me."""
    consent = patron.consents.order_by("-given_at", "-pk").first()
    form = ConsentForm(request.POST or None, initial={"purposes": consent.purposes if consent else []})
    if request.method == "POST" and form.is_valid():
        try:
            patron_services.update_consent(patron, purposes=form.cleaned_data["purposes"],
                                           channel=Consent.Channel.ONLINE, now=clock.now())
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Your consent is updated."))
            return redirect("opac:account-privacy")
    return render(request, "opac/account/privacy.html", {"patron": patron, "consent": consent, "form": form,
                                                          "consents": list(patron.consents.all()[:20]),
                                                          "section": "privacy"})


@never_cache
@account.patron_required
def export_data(request, patron: Patron):
    """Download everything the library holds about the signed-in patron, as JSON (PDPA right of access)."""
    data = pdpa.export_patron_data(patron)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bkklib-my-data-{patron.card_number}.json"'
    return response


def pin_reset(request):
    """Ask for a one-time code to set a new PIN (sent by email, SMS or LINE)."""
    form = PinResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account.request_pin_reset(request, form.cleaned_data["card"], now=clock.now())
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            messages.info(request, _("If this card has an email, phone or LINE account with us, a code is on its way. "
                                     "It is valid for 15 minutes."))
            return redirect(f"/account/pin/confirm/?card={form.cleaned_data['card']}")
    return render(request, "opac/account/pin_reset.html", {"form": form})


def pin_reset_confirm(request):
    form = PinResetConfirmForm(request.POST or None, initial={"card": request.GET.get("card", "")[:32]})
    if request.method == "POST" and form.is_valid():
        try:
            account.reset_pin(request, form.cleaned_data["card"], form.cleaned_data["code"],
                              form.cleaned_data["new_pin"], now=clock.now())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Your new PIN is set. Sign in with it now."))
            return redirect("opac:account")
    return render(request, "opac/account/pin_reset_confirm.html", {"form": form})


# Applications per address and hour: enough for a branch's shared Wi-Fi, not for a script (issue 30).
REGISTER_LIMIT = ratelimit.Limit("opac-register", 20, 3600)


@ratelimit.rate_limited(REGISTER_LIMIT)
def register(request):
    """Self-registration: the application waits in the desk's pending queue until an ID check."""
    form = RegistrationForm(request.POST or None, branches=pickup_branches())
    if request.method == "POST" and form.is_valid():
        try:
            patron = patron_services.register_pending_patron(now=clock.now(), **form.service_arguments())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            return render(request, "opac/account/registered.html", {"patron": patron})
    return render(request, "opac/account/register.html", {"form": form})
