"""Staff pages under /staff/outreach/: conflicts of the volunteer desk, deposits, trips, visits, volunteers, statistics."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.xlsx import Sheet, xlsx_response
from bkklib.network import access
from bkklib.network.models import Branch

from .. import queries, rules, services
from ..forms import DepositForm, ResolveForm, StatisticsForm, VisitForm, VolunteerForm
from ..models import Trip, VolunteerAccount


@perm_required("outreach.view_stop")
def home(request):
    today = timezone.localdate()
    return render(request, "outreach/staff/home.html", {
        "conflicts": queries.count_open_conflicts(user=request.user),
        "deposits_due": queries.count_deposits_due(user=request.user, today=today),
        "trips": list(queries.upcoming_trips(queries.Stop.objects.public(), today, days=7)
                      .select_related("stop__route__vehicle")),
    })


@perm_required("outreach.view_syncaction")
def conflicts(request):
    return render(request, "outreach/staff/conflicts.html", {
        "rows": list(queries.open_conflicts(request.user)[:500]), "form": ResolveForm()})


@require_POST
@perm_required("outreach.resolve_syncaction")
def resolve(request, pk: int):
    action = get_object_or_404(queries.open_conflicts(request.user), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            action = services.resolve_action(action=action, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            if action.resolved_at:
                messages.success(request, _("The conflict is resolved."))
            else:
                messages.error(request, _("Still not possible: {reason}").format(reason=action.message))
    return redirect("outreach:staff-conflicts")


@perm_required("outreach.view_depositcollection")
def deposits(request):
    return render(request, "outreach/staff/deposits.html", {"rows": list(queries.deposits(request.user)[:500])})


@perm_required("outreach.add_depositcollection")
def deposit_new(request):
    branches = access.branches_for(request.user, "outreach.add_depositcollection").exclude(
        kind__in=(Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT))
    form = DepositForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deposit = services.create_deposit(
                code=data["code"], from_branch=data["from_branch"], reading_house=data["reading_house"],
                due_back_on=data["due_back_on"], barcodes=form.barcode_list(), by=request.user, notes=data["notes"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.text)
        else:
            messages.success(request, _("Deposit {code} is prepared.").format(code=deposit.code))
            return redirect("outreach:staff-deposit", pk=deposit.pk)
    return render(request, "outreach/staff/deposit_form.html", {"form": form})


@perm_required("outreach.view_depositcollection")
def deposit_detail(request, pk: int):
    deposit = get_object_or_404(queries.deposits(request.user), pk=pk)
    entries = deposit.entries.select_related("item__record", "home_branch").order_by("item__barcode")
    return render(request, "outreach/staff/deposit.html", {"deposit": deposit, "entries": list(entries)})


STEPS = {"send": services.send_deposit, "receive": services.receive_deposit, "recall": services.recall_deposit,
         "return": services.return_deposit}


@require_POST
@perm_required("outreach.change_depositcollection")
def deposit_step(request, pk: int, step: str):
    deposit = get_object_or_404(queries.deposits(request.user), pk=pk)
    if step not in STEPS:
        raise Http404
    try:
        STEPS[step](deposit=deposit, by=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        deposit.refresh_from_db()
        messages.success(request, _("Deposit {code}: {status}.").format(code=deposit.code,
                                                                        status=deposit.get_status_display()))
    return redirect("outreach:staff-deposit", pk=pk)


@perm_required("outreach.view_trip")
def trips(request):
    today = timezone.localdate()
    rows = (queries.upcoming_trips(queries.Stop.objects.public(), today, days=28)
            .select_related("stop__route__vehicle"))
    if request.method == "POST":
        if not request.user.has_perm("outreach.change_trip"):
            raise Http404
        trip = get_object_or_404(Trip, pk=request.POST.get("trip"))
        try:
            services.change_trip(trip=trip, by=request.user, status=Trip.Status.CANCELLED,
                                 reason=request.POST.get("reason", "").strip() or _("cancelled by staff"))
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("The visit is cancelled; the public timetable says so."))
        return redirect("outreach:staff-trips")
    return render(request, "outreach/staff/trips.html", {"rows": list(rows)})


@perm_required("outreach.add_visitrecord")
def visit_new(request):
    branches = access.branches_for(request.user, "outreach.add_visitrecord").filter(
        kind__in=(Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT))
    form = VisitForm(request.POST or None, request.FILES or None, branches=branches,
                     initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"activities": data["activities"], "notes": data["notes"]}
        try:
            visit = services.record_visit(branch=data["branch"], stop=data["stop"], day=data["day"], by=request.user,
                                          counts={g: data[g] for g in rules.AGE_GROUPS}, **fields)
            if data.get("photo"):
                visit.photo.save(f"visit-{visit.pk}.jpg", data["photo"].content, save=True)
        except DomainError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("outreach:staff-home")
    return render(request, "outreach/staff/visit_form.html", {"form": form})


@perm_required("outreach.view_volunteeraccount")
def volunteers(request):
    branches = access.branches_for(request.user, "outreach.add_volunteeraccount").filter(
        kind__in=(Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT))
    form = VolunteerForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.create_volunteer(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.text)
        else:
            messages.success(request, _("The account of {name} is ready.").format(name=account.display_name))
            return redirect("outreach:staff-volunteers")
    rows = access.scope(VolunteerAccount.objects.select_related("branch", "user"), request.user,
                        "outreach.view_volunteeraccount")
    return render(request, "outreach/staff/volunteers.html", {"rows": list(rows), "form": form})


@require_POST
@perm_required("outreach.change_volunteeraccount")
def volunteer_revoke(request, pk: int):
    account = get_object_or_404(access.scope(VolunteerAccount.objects.all(), request.user,
                                             "outreach.change_volunteeraccount"), pk=pk)
    try:
        services.revoke_volunteer(account=account, by=request.user, reason=request.POST.get("reason", "").strip())
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("The account of {name} is revoked.").format(name=account.display_name))
    return redirect("outreach:staff-volunteers")


@perm_required("outreach.view_visitrecord")
def statistics(request):
    today = timezone.localdate()
    form = StatisticsForm(request.GET or {"start": today - timedelta(days=30), "end": today, "by": "place"})
    rows, data = [], {}
    if form.is_valid():
        data = form.cleaned_data
        rows = queries.statistics(data["start"], data["end"], by=data["by"])
        if request.GET.get("format") == "xlsx":
            headers = [_("Place"), _("Visits"), _("Loans"), _("Children"), _("Youth"), _("Adults"), _("Elderly"),
                       _("People")]
            body = [[r.label, r.visits, r.loans, *[r.people[g] for g in rules.AGE_GROUPS], r.people_total]
                    for r in rows]
            totals = [_("Total"), *[sum(row[i] for row in body) for i in range(1, 8)]]
            return xlsx_response("outreach-statistics.xlsx", [Sheet(
                title=_("Outreach"), headers=headers, rows=body, totals=totals,
                notes=[_("{start} to {end}, by {by}").format(start=data["start"], end=data["end"],
                                                             by=dict(form.fields["by"].choices)[data["by"]])])])
    return render(request, "outreach/staff/statistics.html", {"form": form, "rows": rows, "data": data,
                                                              "groups": rules.AGE_GROUPS})


