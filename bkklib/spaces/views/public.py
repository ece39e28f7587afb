"""Public pages: /spaces/ (branches with spaces), a branch's day/week grid, the booking step, confirmation,
cancel, the .ics file, check-in by the space's QR code, and the patron account's bookings section."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bkklib.core import ratelimit
from bkklib.core.calendar import thai_date
from bkklib.core.exceptions import DomainError
from bkklib.core.forms import is_spam
from bkklib.core.ics import CONTENT_TYPE
from bkklib.network.models import Branch
from bkklib.opac import account, clock

from .. import notices, queries, rules, services
from ..forms import BookForm
from ..models import Booking, Space

BOOK_LIMIT = ratelimit.Limit("spaces-book", 60, 60)  # per address; a school's NAT books for a class
CHECKIN_LIMIT = ratelimit.Limit("spaces-check-in", 30, 60)
WEEK_DAYS = 7


def _day_param(request, today: date) -> date:
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return today
    return min(max(day, today), today + timedelta(days=366))


def index(request):
    """List the branches with co-working desks and rooms to book."""
    return render(request, "spaces/index.html", {"branches": list(queries.branches_with_spaces())})


def branch_grid(request, code: str):
    """A branch's availability: one day (slots per space) or a week (free slots per space and day)."""
    branch = get_object_or_404(Branch, code=code)
    now = clock.now()
    today = timezone.localdate(now)
    day = _day_param(request, today)
    view = "week" if request.GET.get("view") == "week" else "day"
    kind = request.GET.get("kind", "")
    spaces = queries.bookable_spaces(branch)
    if kind in Space.Kind.values:
        spaces = spaces.filter(kind=kind)
    if view == "week":
        day = day - timedelta(days=day.weekday()) if day - timedelta(days=day.weekday()) >= today else day
    grid = queries.availability(branch, day, WEEK_DAYS if view == "week" else 1, now=now, spaces=list(spaces))
    step = timedelta(days=WEEK_DAYS if view == "week" else 1)
    week = _week_cells(grid) if view == "week" else None
    kinds = sorted({s.kind for s in queries.bookable_spaces(branch)})
    return render(request, "spaces/grid.html", {
        "branch": branch, "grid": grid, "day": day, "view": view, "kind": kind, "today": today, "week": week,
        "previous": day - step if day - step >= today else None, "next": day + step,
        "kinds": [(k, Space.Kind(k).label) for k in kinds], "patron": account.current_patron(request),
    })


def _week_cells(grid) -> list[tuple]:
    """Return the week table's rows: (space, [(ISO day, day label, text or None when closed), ...]).

    Labels are made once per day and per count: the template then only prints them (a branch-week
    is 280 cells; a translation tag and a date filter in each cost more than the grid itself).
    """
    labels = {d: thai_date(d) for d in grid.days}
    texts: dict[int, str] = {}
    rows = []
    for row in grid.rows:
        cells = []
        for day, n, free in row.day_counts:
            if not n:
                cells.append((day.isoformat(), labels[day], None))
                continue
            if free not in texts:
                texts[free] = (ngettext("%(counter)s free", "%(counter)s free", free) % {"counter": free}
                               if free else gettext("full"))
            cells.append((day.isoformat(), labels[day], texts[free]))
        rows.append((row.space, cells))
    return rows


@never_cache
@account.patron_required
def book(request, patron, code: str):
    """Step 2: confirm the slot chosen on the grid (length, people, purpose); POST books it."""
    branch = get_object_or_404(Branch, code=code)
    data = request.POST if request.method == "POST" else request.GET
    try:
        space = queries.bookable_spaces(branch).get(pk=int(data.get("space", "")))
    except (ValueError, Space.DoesNotExist):
        raise Http404 from None
    rule = queries.rule_for(space)
    max_slots = max(1, (rule.max_hours_per_day * 60) // rule.slot_minutes)
    form = BookForm(data if request.method == "POST" else None, initial={"space": space.pk,
                                                                       "start": data.get("start", "")},
                    slot_minutes=rule.slot_minutes, max_slots=min(max_slots, 8))
    start = None
    try:
        start = datetime.strptime(data.get("start", ""), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise Http404 from None
    error = None
    if request.method == "POST":
        ratelimit.check_request(BOOK_LIMIT, request)
        if form.is_valid() and not is_spam(form):
            starts_at = form.cleaned_data["start"]  # aware: forms read it in the site's zone
            ends_at = starts_at + timedelta(minutes=rule.slot_minutes * form.cleaned_data["slots"])
            try:
                booking = services.book_space(space=space, patron=patron, starts_at=starts_at, ends_at=ends_at,
                                              people=form.cleaned_data["people"],
                                              purpose=form.cleaned_data["purpose"], now=clock.now())
            except DomainError as exc:
                error = exc
            else:
                return redirect("spaces:booking", code=booking.code)
    status = 200 if error is None else error.status
    return render(request, "spaces/book.html", {
        "branch": branch, "space": space, "start": start, "form": form, "error": error, "rule": rule,
        "patron": patron}, status=status)


def _own_booking(patron, code: str) -> Booking:
    booking = queries.booking_by_code(code)
    if booking is None or booking.patron_id != patron.pk:
        raise Http404
    return booking


@never_cache
@account.patron_required
def booking_detail(request, patron, code: str):
    """Step 3: the booking (confirmed or waiting), its QR code for the desk, the .ics file and cancel."""
    from bkklib.opac import cards

    booking = _own_booking(patron, code)
    rule = queries.rule_for(booking.space)
    now = clock.now()
    return render(request, "spaces/booking.html", {
        "booking": booking, "patron": patron, "rule": rule,
        "qr_svg": cards.qr_svg(f"SPACES:{booking.code}", label=booking.code),
        "may_cancel": booking.is_active and rules.may_cancel(
            starts_at=queries.local(booking.starts_at), now=queries.local(now),
            cutoff_minutes=rule.cancel_cutoff_minutes),
    })


@require_POST
@account.patron_required
def cancel(request, patron, code: str):
    booking = _own_booking(patron, code)
    services.cancel_booking(booking=booking, patron=patron, now=clock.now())
    return redirect(reverse("opac:account") + "#space-bookings")


@account.patron_required
def booking_ics(request, patron, code: str):
    """The booking as an iCalendar file (the same file the confirmation carries)."""
    booking = _own_booking(patron, code)
    response = HttpResponse(notices.ics_file(booking), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.code}.ics"'
    return response


@never_cache
@account.patron_required
def check_in(request, patron, token: str):
    """The page the QR code at a space opens: check the signed-in patron into their booking there now."""
    space = get_object_or_404(Space.objects.select_related("branch"), checkin_token=token)
    booking, error = None, None
    if request.method == "POST":
        ratelimit.check_request(CHECKIN_LIMIT, request)
        try:
            booking = services.check_in_at_space(token=token, patron=patron, now=clock.now())
        except DomainError as exc:
            error = exc
    return render(request, "spaces/check_in.html", {"space": space, "booking": booking, "error": error,
                                                    "patron": patron},
                  status=200 if error is None else error.status)


def account_section(patron, today) -> dict | None:
    """The account page's section: upcoming bookings with cancel, and a link to book."""
    now = clock.now()
    bookings = list(queries.bookings_of(patron, upcoming_from=now)[:20])
    for booking in bookings:
        rule = queries.rule_for(booking.space)
        booking.may_cancel = rules.may_cancel(starts_at=queries.local(booking.starts_at), now=queries.local(now),
                                              cutoff_minutes=rule.cancel_cutoff_minutes)
    return {"bookings": bookings, "patron": patron}
