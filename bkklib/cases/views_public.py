"""Public pages of the service desk: /contact/ (the form), /contact/standards/ (service standards),
/contact/track/<code>/ (status without personal data, and the satisfaction survey once done)."""
from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bkklib.core import ratelimit
from bkklib.core.exceptions import DomainError
from bkklib.core.forms import is_spam

from . import queries, rules, services
from .forms import ContactForm, RateForm
from .models import Case

CONTACT_LIMIT = ratelimit.Limit("cases-contact", 5, 600)  # five cases per address in ten minutes
TRACK_LIMIT = ratelimit.Limit("cases-track", 60, 60)


@never_cache
def contact(request):
    """The contact form: request, complaint, suggestion or compliment, with an optional photo."""
    form = ContactForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST":
        ratelimit.check_request(CONTACT_LIMIT, request)
        if form.is_valid():
            if is_spam(form):  # answer as if accepted; store nothing
                return render(request, "cases/contact_done.html", {"case": None})
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    case = services.file_case(
                        kind=data["kind"], title=data["title"], description=data["description"],
                        category=data["category"], branch=data["branch"], channel=Case.Channel.WEB,
                        requester_name=data["requester_name"], requester_phone=data["requester_phone"],
                        requester_email=data["requester_email"], is_anonymous=data["is_anonymous"],
                        photos=[data["photo"]] if data.get("photo") else [],
                        latitude=_coordinate(data["photo"], "latitude"),
                        longitude=_coordinate(data["photo"], "longitude"))
            except DomainError as exc:
                error = exc
            else:
                return redirect(reverse("cases:contact-done", args=[case.code]))
    return render(request, "cases/contact.html", {"form": form, "error": error,
                                                  "categories": queries.public_categories()})


def _coordinate(photo, name):
    value = getattr(photo, name, None) if photo else None
    return round(value, 6) if value is not None else None


def contact_done(request, code: str):
    case = queries.by_code(code)
    if case is None or not case.is_citizen_case:
        raise Http404
    return render(request, "cases/contact_done.html", {"case": case})


def standards(request):
    """The published service standards: response and resolution times per category."""
    return render(request, "cases/standards.html", {"categories": queries.public_categories()})


@never_cache
def track(request, code: str):
    """A case's status and public answers by its tracking code: no name, phone or email is shown."""
    ratelimit.check_request(TRACK_LIMIT, request)
    case = queries.by_code(code)
    if case is None or not case.is_citizen_case:
        raise Http404
    form = None
    if case.state in rules.DONE_STATES and case.rating is None:
        form = RateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if not is_spam(form):
                try:
                    services.rate(code=case.code, rating=form.cleaned_data["rating"],
                                  comment=form.cleaned_data["comment"])
                except DomainError as exc:
                    messages.error(request, exc.text)
                else:
                    messages.success(request, _("Thank you for rating our service."))
            return redirect(reverse("cases:track", args=[case.code]))
    return render(request, "cases/track.html", {
        "case": case, "comments": queries.public_comments(case), "form": form,
    })


def track_lookup(request):
    code = request.GET.get("code", "").strip().upper()
    if code:
        return redirect(reverse("cases:track", args=[code]))
    return redirect(reverse("cases:contact"))
