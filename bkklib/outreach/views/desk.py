"""The volunteer desk: a phone page (PWA) for lending, returning and counting visitors at a reading house or a stop.

It works with no connection: desk.js queues each action in IndexedDB with the time it happened,
and posts the queue to /api/v1/outreach/sync/ when the connection returns. The page, its script
and the service worker are served from /outreach/desk/ so the worker's scope covers the page.
"""
from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from bkklib.core import ratelimit
from bkklib.core.ratelimit import Limit

from ..models import VolunteerAccount

SIGN_IN_LIMIT = Limit("outreach-desk-sign-in", 10, 300)


def _account(request) -> VolunteerAccount | None:
    if not request.user.is_authenticated:
        return None
    return VolunteerAccount.objects.select_related("branch").filter(user=request.user).first()


@never_cache
@ensure_csrf_cookie
def desk(request):
    """The desk page; without a volunteer account, the sign-in form."""
    account = _account(request)
    if account is None:
        return redirect("outreach:desk-sign-in")
    return render(request, "outreach/desk.html", {"account": account})


@never_cache
def sign_in(request):
    """Volunteer sign-in (user name and password given by the library); rate-limited."""
    error = ""
    if request.method == "POST":
        ratelimit.check_request(SIGN_IN_LIMIT, request)
        user = authenticate(request, username=request.POST.get("username", "").strip(),
                            password=request.POST.get("password", ""))
        account = VolunteerAccount.objects.filter(user=user).first() if user is not None else None
        if account is None:
            error = _("The user name or password is wrong, or this is not a volunteer desk account.")
        elif account.revoked_at is not None:
            error = _("This volunteer account was revoked. Ask the library for a new account.")
        else:
            login(request, user)
            return redirect("outreach:desk")
    return render(request, "outreach/desk_sign_in.html", {"error": error}, status=400 if error else 200)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("outreach:desk-sign-in")


def manifest(request):
    """The web app manifest: installable, Thai, opening at the desk."""
    body = render_to_string("outreach/manifest.webmanifest", {"start": reverse("outreach:desk")}, request=request)
    return HttpResponse(body, content_type="application/manifest+json")


def service_worker(request):
    """The service worker (a template, so it names the static files it keeps for offline use)."""
    response = HttpResponse(render_to_string("outreach/sw.js", request=request),
                            content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("outreach:desk")
    return response
