"""Public pages of the events app: /events/ (list and month calendar), event pages, registration, feeds."""
from __future__ import annotations

import json
from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core import calendar, ics, ratelimit
from bkklib.core.calendar import thai_date
from bkklib.core.exceptions import DomainError
from bkklib.core.forms import is_spam
from bkklib.network.models import Branch
from bkklib.opac import account, clock
from bkklib.opac.cards import qr_svg

from . import feeds, jsonld, queries, services
from .forms import EventFilterForm, GuestForm
from .models import Activity, Festival, Registration, Session

PAGE_SIZE = 20


def _month(value: str, today: date) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in value.split("-"))
        date(year, month, 1)
        return year, month
    except (ValueError, TypeError):
        return today.year, today.month


def _month_label(first: date) -> str:
    english = translation.get_language().startswith("en")
    names = calendar.MONTHS_EN if english else calendar.MONTHS_TH
    return f"{names[first.month - 1]} {first.year if english else first.year + calendar.BE_OFFSET}"


def event_list(request):
    """The programme: filters, then a list (soonest first) or a month calendar."""
    now = clock.now()
    today = timezone.localdate(now)
    form = EventFilterForm(request.GET or None)
    filters = queries.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.Filters(branch=data["branch"].code if data["branch"] else "",
                                  district=data["district"].code if data["district"] else "", age=data["age"],
                                  festival=data["festival"].pk if data["festival"] else None,
                                  start=data["start"], end=data["end"])
    view = "month" if request.GET.get("view") == "month" else "list"
    context = {"form": form, "view": view, "today": today, "festival": queries.festival_of_month(today)}
    if view == "month":
        year, month = _month(request.GET.get("month", ""), today)
        first = date(year, month, 1)
        last_day = date(year, month, monthrange(year, month)[1])
        sessions = queries.public_sessions(replace(filters, start=first, end=last_day), today=first)
        context.update(weeks=queries.month_grid(year, month, sessions), month_first=first,
                       previous=f"{first - timedelta(days=1):%Y-%m}", next=f"{last_day + timedelta(days=1):%Y-%m}",
                       month_festival=queries.festival_of_month(first), weekdays=range(7),
                       month_label=_month_label(first))
    else:
        sessions = queries.public_sessions(filters, today=today)
        page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, counts=queries.counts_for([s.pk for s in page]))
    query = request.GET.copy()
    query.pop("view", None)
    query.pop("page", None)
    query.pop("month", None)
    context["query"] = query.urlencode()
    return render(request, "events/public/list.html", context)


def event_detail(request, pk: int):
    """An activity's page: what, where, for whom, its sessions with places left, registration, JSON-LD."""
    activity = queries.published_activity(pk)
    if activity is None:
        raise Http404
    now = clock.now()
    sessions = list(queries.upcoming_sessions(activity, now=now))
    counts = queries.counts_for([s.pk for s in sessions])
    for session in sessions:
        row = counts.get(session.pk, {})
        session.registered = row.get("registered", 0)
        session.waiting = row.get("waiting", 0)
        capacity = queries.capacity_of(session)
        session.free = None if capacity is None else max(0, capacity - session.registered)
        session.open_for_registration = session.starts_at > now
    patron = account.current_patron(request)
    mine = {}
    if patron is not None:
        mine = {r.session_id: r for r in Registration.objects.live().filter(patron=patron, session__in=sessions)}
    data = jsonld.activity(activity, sessions, request=request)
    return render(request, "events/public/detail.html", {
        "activity": activity, "sessions": sessions, "patron": patron, "mine": mine, "guest_form": GuestForm(),
        "jsonld": mark_safe(json.dumps(data, ensure_ascii=False).replace("</", "<\\/")),
        "needs_registration": activity.registration == Activity.Registration.REQUIRED,
    })


@require_POST
def register(request, pk: int):
    """Register for a session: the signed-in patron, or a guest (rate-limited, honeypot, consent)."""
    session = get_object_or_404(Session.objects.live().select_related("activity"), pk=pk)
    activity = session.activity
    patron = account.current_patron(request)
    back = redirect("events:detail", activity.pk)
    if patron is not None and request.POST.get("as") != "guest":
        try:
            registration = services.register(session=session, patron=patron, now=clock.now(),
                                              wants_certificate=bool(request.POST.get("wants_certificate")))
        except DomainError as exc:
            messages.error(request, exc.text)
            return back
        return redirect("events:registration", registration.token)
    ratelimit.check_request(services.GUEST_LIMIT, request)
    form = GuestForm(request.POST)
    if form.is_valid() and is_spam(form):
        # A robot filled the hidden field: answer as if done, store nothing.
        messages.success(request, _("Thank you. Your registration has been received."))
        return back
    if form.is_valid():
        data = form.cleaned_data
        guest = services.Guest(name=data["name"], phone=data["phone"], age_group=data["age_group"],
                               consent=data["consent"], gender=data["gender"])
        try:
            registration = services.register(session=session, guest=guest, now=clock.now(),
                                              wants_certificate=data["wants_certificate"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            return redirect("events:registration", registration.token)
    return _with_form(request, activity.pk, form, session)


def _with_form(request, pk: int, form, session):
    """Show the event page again with the guest form's errors (no redirect: nothing was stored)."""
    activity = queries.published_activity(pk)
    now = clock.now()
    sessions = list(queries.upcoming_sessions(activity, now=now))
    for s in sessions:
        s.open_for_registration = s.starts_at > now
        s.free, s.registered, s.waiting = None, 0, 0
    data = jsonld.activity(activity, sessions, request=request)
    return render(request, "events/public/detail.html", {
        "activity": activity, "sessions": sessions, "patron": None, "mine": {}, "guest_form": form,
        "guest_session": session.pk, "jsonld": mark_safe(json.dumps(data, ensure_ascii=False).replace("</", "<\\/")),
        "needs_registration": True,
    }, status=400)


def registration(request, token: str):
    """A registration's own page (its link is the proof): status, place in the waiting list, QR, cancel."""
    registration = get_object_or_404(Registration.objects.select_related("session__activity__branch", "patron"),
                                     token=token)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "certificate":
                services.request_certificate(registration=registration, wanted=True)
                messages.success(request, _("Your request for a certificate is noted; collect it at the activity."))
            else:
                services.cancel(registration=registration, now=clock.now())
                messages.success(request, _("Your registration is cancelled."))
        except DomainError as exc:
            messages.error(request, exc.text)
        return redirect("events:registration", token)
    place = queries.waiting_place(registration) if registration.status == Registration.Status.WAITLISTED else None
    return render(request, "events/public/registration.html", {
        "registration": registration, "place": place, "session": registration.session,
        "qr": mark_safe(qr_svg(registration.token, label=_("Registration code"))),
        "past": registration.session.starts_at <= clock.now(),
    })


def feed_all(request):
    return ics.ics_response(feeds.events_of(feeds.feed_sessions()), name=_("BMA library activities"),
                            filename="bkklib-events.ics")


def feed_branch(request, code: str):
    branch = get_object_or_404(Branch, code=code)
    return ics.ics_response(feeds.events_of(feeds.feed_sessions().filter(activity__branch=branch)),
                            name=_("Activities: {branch}").format(branch=branch.name_th), filename=f"events-{code}.ics")


def feed_festival(request, pk: int):
    festival = get_object_or_404(Festival, pk=pk)
    return ics.ics_response(feeds.events_of(feeds.feed_sessions().filter(activity__festival=festival)),
                            name=_("Activities: {festival}").format(festival=festival.name_th),
                            filename=f"festival-{pk}.ics",
                            description=f"{festival.name_th} ({thai_date(festival.starts_on)} – "
                                        f"{thai_date(festival.ends_on)})")
