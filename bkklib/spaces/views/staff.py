"""Staff pages under /staff/spaces/: the day's bookings with QR check-in, walk-in and repeat bookings,
approvals, blocks, the spaces with their QR codes and photos, and the utilisation report with XLSX."""
from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from bkklib.circulation import queries as circulation_queries
from bkklib.core.calendar import thai_date
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError, NotFound
from bkklib.core.pdpa import log_access
from bkklib.core.xlsx import Sheet, xlsx_response
from bkklib.network import access
from bkklib.network.models import Branch

from .. import queries, reports, services
from ..forms import BlockForm, PhotoForm, StaffBookingForm, span_of
from ..models import Space


def _branch(request, perm: str) -> Branch:
    """Return the branch the page is about: ``?branch=`` among the user's, else the desk, else the first."""
    allowed = access.branches_for(request.user, perm)
    wanted = request.GET.get("branch") or request.POST.get("branch")
    if wanted:
        branch = allowed.filter(pk=wanted).first() if str(wanted).isdigit() else None
        if branch is None:
            raise Http404
        return branch
    try:
        desk = access.desk_of(request)
        if allowed.filter(pk=desk.pk).exists():
            return desk
    except DomainError:
        pass
    branch = allowed.filter(spaces__isnull=False).order_by("code").first() or allowed.order_by("code").first()
    if branch is None:
        raise Http404
    return branch


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def _branches(request, perm: str):
    return access.branches_for(request.user, perm).filter(spaces__isnull=False).distinct().order_by("code")


@perm_required("spaces.view_booking")
def day(request):
    """The day's bookings of a branch (who, when, checked in) with the QR scan box for check-in."""
    branch = _branch(request, "spaces.view_booking")
    the_day = _day(request)
    bookings = list(queries.day_bookings(branch, the_day))
    for booking in bookings:
        if booking.patron_id:
            log_access(request.user, booking.patron, path=request.path, purpose="space bookings of the day")
    form = StaffBookingForm(spaces=queries.bookable_spaces(branch, public_only=False),
                            initial={"day": the_day})
    return render(request, "spaces/staff/day.html", {
        "branch": branch, "day": the_day, "bookings": bookings, "form": form,
        "branches": _branches(request, "spaces.view_booking"),
        "previous": the_day - timedelta(days=1), "next": the_day + timedelta(days=1),
    })


@require_POST
@perm_required("spaces.change_booking")
def scan(request):
    """Check in the booking whose QR code (or code typed) staff scanned."""
    branch = _branch(request, "spaces.change_booking")
    booking = queries.booking_by_code(request.POST.get("code", ""))
    if booking is None or booking.branch_id != branch.pk:
        messages.error(request, _("No booking with this code at {branch}.").format(branch=branch.name_th))
    else:
        try:
            services.check_in(booking=booking, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            who = booking.patron.full_name if booking.patron else booking.reason
            messages.success(request, _("Checked in: {who}, {space}, {when}.").format(
                who=who, space=booking.space.name_th, when=services.when_text(booking)))
    return redirect(f"{reverse('spaces:staff-day')}?branch={branch.pk}")


@require_POST
@perm_required("spaces.change_booking")
def booking_action(request, pk: int, action: str):
    """Check in or cancel one booking from the day's list."""
    booking = get_object_or_404(queries.scoped_bookings(request.user, "spaces.change_booking"), pk=pk)
    if action == "check-in":
        services.check_in(booking=booking, by=request.user)
        messages.success(request, _("Checked in."))
    elif action == "cancel":
        services.cancel_booking(booking=booking, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Booking cancelled; the patron is told."))
    else:
        raise Http404
    day = timezone.localtime(booking.starts_at).date().isoformat()
    return redirect(f"{reverse('spaces:staff-day')}?branch={booking.branch_id}&date={day}")


@perm_required("spaces.add_booking")
def walk_in(request):
    """Book for a card holder at the desk, once or every week until a date."""
    branch = _branch(request, "spaces.add_booking")
    form = StaffBookingForm(request.POST or None, spaces=queries.bookable_spaces(branch, public_only=False))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patron = circulation_queries.patron_by_card(data["card"])
        except (NotFound, DomainError):
            form.add_error("card", _("No patron with this card number."))
        else:
            start, end = span_of(data["day"], data["starts"], data["ends"])
            starts_at, ends_at = queries.aware(start), queries.aware(end)
            try:
                if data["repeat_until"]:
                    made, refused = services.book_series(
                        space=data["space"], patron=patron, starts_at=starts_at, ends_at=ends_at,
                        until=data["repeat_until"], by=request.user, people=data["people"], purpose=data["purpose"])
                    messages.success(request, _("{count} weekly bookings made.").format(count=len(made)))
                    for day, text in refused:
                        messages.warning(request, f"{thai_date(day)}: {text}")
                else:
                    booking = services.book_space(space=data["space"], patron=patron, starts_at=starts_at,
                                                  ends_at=ends_at, people=data["people"], purpose=data["purpose"],
                                                  by=request.user)
                    messages.success(request, _("Booked: {code}").format(code=booking.code))
            except DomainError as exc:
                form.add_error(None, exc.text)
            else:
                return redirect(f"{reverse('spaces:staff-day')}?branch={branch.pk}&date={data['day'].isoformat()}")
    return render(request, "spaces/staff/walk_in.html", {"branch": branch, "form": form})


@perm_required("spaces.approve_booking")
def approvals(request):
    branch = _branch(request, "spaces.approve_booking")
    if request.method == "POST":
        booking = get_object_or_404(queries.awaiting_approval(branch), pk=request.POST.get("booking"))
        services.decide(booking=booking, by=request.user, approve=request.POST.get("decision") == "approve")
        messages.success(request, _("Decision recorded; the patron is told."))
        return redirect(f"{reverse('spaces:staff-approvals')}?branch={branch.pk}")
    return render(request, "spaces/staff/approvals.html", {
        "branch": branch, "bookings": list(queries.awaiting_approval(branch)),
        "branches": _branches(request, "spaces.approve_booking")})


@perm_required("spaces.block_space")
def block(request):
    """Block a space (maintenance, an activity): it shows as taken and nobody can book it then."""
    branch = _branch(request, "spaces.block_space")
    form = BlockForm(request.POST or None, spaces=queries.bookable_spaces(branch, public_only=False))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = span_of(data["day"], data["starts"], data["ends"])
        try:
            services.block_space(space=data["space"], starts_at=queries.aware(start), ends_at=queries.aware(end),
                                 reason=data["reason"], by=request.user)
        except DomainError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("The space is blocked."))
            return redirect(f"{reverse('spaces:staff-day')}?branch={branch.pk}&date={data['day'].isoformat()}")
    return render(request, "spaces/staff/block.html", {"branch": branch, "form": form})


@perm_required("spaces.view_space")
def spaces(request):
    """The branch's spaces with the QR code to print at each (patrons scan it to check in) and photos."""
    from bkklib.opac import cards

    branch = _branch(request, "spaces.view_space")
    rows = []
    for space in Space.objects.filter(branch=branch).order_by("kind", "code"):
        url = request.build_absolute_uri(reverse("spaces:check-in", args=[space.checkin_token]))
        rows.append({"space": space, "url": url, "qr": cards.qr_svg(url, label=space.name_th)})
    return render(request, "spaces/staff/spaces.html", {
        "branch": branch, "rows": rows, "photo_form": PhotoForm(),
        "branches": _branches(request, "spaces.view_space"),
        "can_edit": access.can_act_at(request.user, "spaces.change_space", branch)})


@require_POST
@perm_required("spaces.change_space")
def photo(request, pk: int):
    space = get_object_or_404(access.scope(Space.objects.all(), request.user, "spaces.change_space"), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.set_photo(space=space, photo=form.cleaned_data["photo"], by=request.user)
        messages.success(request, _("Photo saved."))
    else:
        messages.error(request, " ".join(form.errors.get("photo", [])))
    return redirect(f"{reverse('spaces:staff-spaces')}?branch={space.branch_id}")


def _month(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


WEEKDAYS = [gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"), gettext_lazy("Thursday"),
            gettext_lazy("Friday"), gettext_lazy("Saturday"), gettext_lazy("Sunday")]


@perm_required("spaces.view_space_report")
def report(request):
    """Utilisation of a branch's spaces in a month; ``?format=xlsx`` downloads it."""
    branch = _branch(request, "spaces.view_space_report")
    month = _month(request)
    use = reports.utilisation(branch, month)
    weekdays = [str(w) for w in WEEKDAYS]
    if request.GET.get("format") == "xlsx":
        first, last = reports.month_bounds(month)
        period = f"{branch.name_th}: {thai_date(first)} – {thai_date(last)}"
        sheets = [
            Sheet(_("By space"), [_("Space"), _("Kind"), _("Bookings"), _("No-shows"), _("Hours booked"),
                                  _("Hours used"), _("Opening hours"), _("Occupancy (%)")],
                  [[u.space.name_th, u.space.get_kind_display(), u.bookings, u.no_shows, round(u.booked_hours, 2),
                    round(u.used_hours, 2), round(u.open_hours, 2), round(u.occupancy * 100, 1)] for u in use.spaces],
                  notes=[period, _("Occupancy: hours checked in over the branch's opening hours.")],
                  totals=[_("Total"), "", use.bookings, use.no_shows, "", round(use.used_hours, 2),
                          round(use.open_hours, 2), round(use.occupancy * 100, 1)]),
            Sheet(_("By hour"), [_("Hour"), _("Hours used")],
                  [[f"{h:02d}.00", round(v, 2)] for h, v in use.by_hour.items() if v or 7 <= h <= 21],
                  notes=[period]),
            Sheet(_("By weekday"), [_("Weekday"), _("Hours used")],
                  [[weekdays[d], round(v, 2)] for d, v in use.by_weekday.items()], notes=[period]),
            Sheet(_("Summary"), [_("Figure"), _("Value")],
                  [[_("Bookings"), use.bookings], [pgettext("space booking", "Checked in"), use.checked_in],
                   [_("No-shows"), use.no_shows],
                   [_("No-show rate (%)"), round(use.no_show_rate * 100, 1)], [_("Unique users"), use.unique_users]],
                  notes=[period]),
        ]
        return xlsx_response(f"spaces-{branch.code}-{month:%Y-%m}.xlsx", sheets, title=period)
    peak = max(use.by_hour.values()) or 1
    hours = [(h, v, round(v / peak * 100)) for h, v in use.by_hour.items() if v or 8 <= h <= 20]
    return render(request, "spaces/staff/report.html", {
        "branch": branch, "month": month, "use": use, "hours": hours,
        "month_label": thai_date(month, long=True).split(" ", 1)[1],
        "weekdays": [(weekdays[d], v) for d, v in use.by_weekday.items()],
        "branches": _branches(request, "spaces.view_space_report"),
        "previous": (month - timedelta(days=1)).replace(day=1), "next": (month + timedelta(days=32)).replace(day=1),
    })

