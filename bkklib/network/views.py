"""Staff pages of the network app (under /staff/network/): branches, freshness, structure, coverage.

Every page finds its branches through ``access.branches_for``: a branch librarian sees and
edits only the branches they are assigned to (another branch's pages answer 404); changes go
through the services, which check scoping again (403).
"""
from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core import pdpa
from bkklib.core.collation import ThaiOrderedList
from bkklib.core.decorators import perm_required
from bkklib.core.history import user_name
from bkklib.core.redirects import safe_next

from . import access, forms, queries, services, tasks
from . import history as branch_history
from .exceptions import STALENESS_LABELS
from .models import Assignment, Branch, OrgUnit, OrgVersion, StaffMember


def _my_branch(request, code: str, perm: str) -> Branch:
    """Return branch ``code`` if the user may ``perm`` there today; 404 for any other branch."""
    return get_object_or_404(access.branches_for(request.user, perm).select_related("district", "parent"), code=code)


def _apply_form_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


# --- Branches ----------------------------------------------------------------------------------------


@perm_required("network.view_branch")
def branch_list(request):
    """The branches this user may see, filtered by district, kind, service and freshness."""
    form = forms.BranchFilterForm(request.GET or None)
    branches = access.branches_for(request.user, "network.view_branch").select_related("district", "parent")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            from django.db.models import Q

            branches = branches.filter(Q(name_th__icontains=data["q"]) | Q(name_en__icontains=data["q"])
                                       | Q(code__iexact=data["q"]))
        if data["district"]:
            branches = branches.filter(district=data["district"])
        if data["kind"]:
            branches = branches.filter(kind=data["kind"])
        if data["service"]:
            branches = branches.filter(services=data["service"])
        if data["staleness"] == "stale":
            branches = branches.filter(queries.stale_q())
        elif data["staleness"] == "fresh":
            branches = branches.exclude(queries.stale_q())
    page = Paginator(ThaiOrderedList(branches, "kind", "name_th"), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"branch": b, "stale": STALENESS_LABELS.get(queries.staleness_of(b, today))} for b in page]
    context = {"form": form, "page": page, "rows": rows}
    template = "network/partials/branch_table.html" if request.htmx else "network/branch_list.html"
    return render(request, template, context)


@perm_required("network.view_branch")
def branch_detail(request, code):
    """One branch: basic data, hours, closures, staff levels, freshness and change history."""
    branch = _my_branch(request, code, "network.view_branch")
    today = timezone.localdate()
    user = request.user
    context = {
        "branch": branch,
        "periods": branch.opening_periods.all(),
        "week": queries.weekly_hours(branch),
        "closures": queries.closures_for(branch, today, today + timedelta(days=366)),
        "status": queries.open_status([branch]).get(branch.pk),
        "stale": STALENESS_LABELS.get(queries.staleness_of(branch, today)),
        "levels": branch.staffing_levels.all(),
        "unit": queries.unit_of(branch, today),
        "changes": branch_history.entries(branch),
        "verified_by": user_name(branch.verified_by),
        "can_edit": access.can_act_at(user, "network.change_branch", branch),
        "can_verify": access.can_act_at(user, "network.verify_branch", branch),
        "can_close": access.can_act_at(user, "network.add_closure", branch),
        "can_staff": access.can_act_at(user, "network.change_staffinglevel", branch),
        "staff": (Assignment.objects.active_on(today).filter(branch=branch).select_related("staff")
                  if access.can_act_at(user, "network.view_assignment", branch) else None),
    }
    return render(request, "network/branch_detail.html", context)


@perm_required("network.change_branch")
def branch_edit(request, code):
    """Edit a branch's basic data, services and weekly hours; optionally confirm it correct."""
    branch = _my_branch(request, code, "network.change_branch")
    form = forms.BranchForm(request.POST or None, instance=branch)
    hours = forms.PeriodFormSet(request.POST or None, prefix="hours",
                                initial=None if request.method == "POST" else forms.period_initial(branch))
    if request.method == "POST":
        # ModelForm validation writes into the instance: validate a copy so nothing leaks on error.
        form.instance = Branch.objects.get(pk=branch.pk)
        if form.is_valid() and hours.is_valid():
            try:
                with transaction.atomic():
                    # One call, one history row: basic data, services, hours and the confirmation.
                    services.update_branch(branch=branch, by=request.user, changes=form.changes(),
                                           services=form.cleaned_data["services"], periods=hours.cleaned_periods(),
                                           verify=form.cleaned_data["verify"])
            except ValidationError as error:
                _apply_form_errors(form, error)
            else:
                messages.success(request, _("The data of {branch} was saved.").format(branch=branch.name_th))
                return redirect("network:branch-detail", code=branch.code)
    return render(request, "network/branch_form.html", {"branch": branch, "form": form, "hours": hours})


@require_POST
@perm_required("network.verify_branch")
def branch_verify(request, code):
    """Confirm a branch's data correct as of today (HTMX: returns the updated row)."""
    branch = _my_branch(request, code, "network.verify_branch")
    branch = services.confirm_branch(branch=branch, by=request.user)
    if request.htmx:
        return render(request, "network/partials/fresh_row.html", {"branch": branch, "confirmed": True})
    messages.success(request, _("{branch} is confirmed correct as of today.").format(branch=branch.name_th))
    return redirect(safe_next(request, "network:branch-detail", code=branch.code))


@perm_required("network.add_closure")
def closure_add(request, code):
    """Close a branch for some days, with the reason shown to the public."""
    branch = _my_branch(request, code, "network.add_closure")
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_closure(branch=branch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("The closure of {branch} was added.").format(branch=branch.name_th))
            return redirect("network:branch-detail", code=branch.code)
    return render(request, "network/closure_form.html", {"branch": branch, "form": form})


@require_POST
@perm_required("network.delete_closure")
def closure_delete(request, code, pk):
    """Remove one of a branch's own closures."""
    branch = _my_branch(request, code, "network.delete_closure")
    closure = get_object_or_404(branch.closures, pk=pk)
    services.remove_closure(closure=closure, by=request.user)
    messages.success(request, _("The closure was removed."))
    return redirect("network:branch-detail", code=branch.code)


@perm_required("network.change_staffinglevel")
def staffing_edit(request, code):
    """Set a branch's minimum staff per weekday."""
    branch = _my_branch(request, code, "network.change_staffinglevel")
    form = forms.StaffingForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        services.set_staffing_levels(branch=branch, by=request.user, minimum_by_weekday=form.minimums())
        messages.success(request, _("The minimum staff levels of {branch} were saved.").format(branch=branch.name_th))
        return redirect("network:branch-detail", code=branch.code)
    return render(request, "network/staffing_form.html", {"branch": branch, "form": form})


# --- Freshness ---------------------------------------------------------------------------------------


@perm_required("network.verify_branch")
def freshness(request):
    """Stale branches of the user, grouped by group (org unit) and district, with one-click confirm."""
    today = timezone.localdate()
    mine = access.branches_for(request.user, "network.verify_branch")
    stale = list(queries.stale_branches(mine, today).select_related("district"))
    version = queries.version_in_force(today)
    unit_of = {}
    if version is not None:
        from .models import UnitBranch

        unit_of = {link.branch_id: link.unit for link in
                   UnitBranch.objects.filter(version=version, branch__in=stale).select_related("unit")}
    no_unit = _("No group in the structure in force")
    rows = sorted(
        ({"branch": b, "unit": unit_of[b.pk].name_th if b.pk in unit_of else no_unit, "district": b.district.name_th,
          "reason": STALENESS_LABELS[queries.staleness_of(b, today)]} for b in stale),
        key=lambda r: (r["unit"], r["district"], r["branch"].name_th),
    )
    groups = []
    for unit, unit_rows in groupby(rows, key=lambda r: r["unit"]):
        unit_rows = list(unit_rows)
        districts = [{"name": name, "rows": list(d_rows)}
                     for name, d_rows in groupby(unit_rows, key=lambda r: r["district"])]
        groups.append({"unit": unit, "count": len(unit_rows), "districts": districts})
    return render(request, "network/freshness.html", {
        "groups": groups, "count": len(stale), "days": queries.stale_after_days(),
        "can_remind": access.acts_everywhere(request.user),
    })


@require_POST
@perm_required("network.act_at_all_branches")
def send_reminders(request):
    """Queue the stale-data reminders now (network admins)."""
    tasks.remind_stale_branches_now()
    messages.success(request, _("The reminders are being sent to the staff responsible for stale branches."))
    return redirect("network:freshness")


# --- Organisation structure --------------------------------------------------------------------------


def _parse_day(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@perm_required("network.view_orgunit")
def org_chart(request):
    """The structure in force on a day (today by default), scheduled versions and drafts."""
    on = _parse_day(request.GET.get("on"))
    version = queries.version_in_force(on)
    return render(request, "network/org_chart.html", {
        "on": on, "version": version, "roots": queries.org_tree(version),
        "scheduled": queries.scheduled_versions(timezone.localdate()), "drafts": queries.draft_versions(),
        "can_edit": access.may_restructure(request.user),
        "draft_form": forms.DraftForm(),
    })


@require_POST
@perm_required("network.change_orgunit")
def org_draft(request):
    """Start drafting a restructuring as a copy of the structure in force."""
    form = forms.DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the draft a Thai name."))
        return redirect("network:org-chart")
    draft = services.draft_restructuring(by=request.user, **form.cleaned_data)
    return redirect("network:org-version", pk=draft.pk)


@perm_required("network.view_orgunit")
def org_version(request, pk):
    """One structure version: its tree, and (while editable) forms to change and schedule it."""
    version = get_object_or_404(OrgVersion, pk=pk)
    today = timezone.localdate()
    editable = (version.effective_from is None or version.effective_from > today) and \
        access.may_restructure(request.user)
    unit_form = forms.UnitForm(version=version, prefix="unit")
    place_form = forms.PlaceBranchForm(version=version, prefix="place")
    schedule_form = forms.ScheduleForm(prefix="schedule")
    rename_form = forms.RenameUnitForm(version=version, prefix="rename")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "add-unit":
                unit_form = forms.UnitForm(request.POST, version=version, prefix="unit")
                if unit_form.is_valid():
                    services.add_unit(version=version, by=request.user, **unit_form.cleaned_data)
                    messages.success(request, _("The unit was added."))
                    return redirect("network:org-version", pk=version.pk)
            elif action == "place-branch":
                place_form = forms.PlaceBranchForm(request.POST, version=version, prefix="place")
                if place_form.is_valid():
                    services.place_branch(version=version, by=request.user, **place_form.cleaned_data)
                    messages.success(request, _("The branch was moved."))
                    return redirect("network:org-version", pk=version.pk)
            elif action == "schedule":
                schedule_form = forms.ScheduleForm(request.POST, prefix="schedule")
                if schedule_form.is_valid():
                    services.schedule_restructuring(version=version, by=request.user, **schedule_form.cleaned_data)
                    messages.success(request, _("The structure takes effect on the chosen day."))
                    return redirect("network:org-version", pk=version.pk)
            elif action == "rename-unit":
                rename_form = forms.RenameUnitForm(request.POST, version=version, prefix="rename")
                if rename_form.is_valid():
                    data = rename_form.cleaned_data
                    services.change_unit(unit=data["unit"], by=request.user, name_th=data["name_th"],
                                         name_en=data["name_en"] or None)
                    messages.success(request, _("The unit was renamed."))
                    return redirect("network:org-version", pk=version.pk)
            elif action == "remove-unit":
                unit = get_object_or_404(OrgUnit, pk=request.POST.get("unit"), version=version)
                services.remove_unit(unit=unit, by=request.user)
                return redirect("network:org-version", pk=version.pk)
        except ValidationError as error:
            target = {"add-unit": unit_form, "place-branch": place_form, "schedule": schedule_form,
                      "rename-unit": rename_form}.get(action)
            if target is not None:
                _apply_form_errors(target, error)
            else:
                messages.error(request, " ".join(error.messages))
    return render(request, "network/org_version.html", {
        "version": version, "roots": queries.org_tree(version), "editable": editable,
        "unit_form": unit_form, "place_form": place_form, "schedule_form": schedule_form, "rename_form": rename_form,
        "in_force": queries.version_in_force(today),
    })


@perm_required("network.view_orgunit")
def org_compare(request, pk):
    """A drafted (or scheduled) version side by side with the one in force today."""
    version = get_object_or_404(OrgVersion, pk=pk)
    current = queries.version_in_force(timezone.localdate())
    rows = queries.compare_versions(current, version)
    names = dict(Branch.objects.values_list("code", "name_th"))
    return render(request, "network/org_compare.html", {
        "version": version, "current": current, "rows": rows, "branch_names": names,
        "changed": sum(1 for r in rows if r.changes),
    })


# --- Staffing ----------------------------------------------------------------------------------------


@perm_required("network.view_assignment")
def coverage(request):
    """Branch-days below their minimum staff in a date range, with secondment proposals to accept."""
    start, end = forms.CoverageForm.default_range()
    form = forms.CoverageForm(request.GET or {"start": start, "end": end})
    report = None
    if form.is_valid():
        mine = None if access.acts_everywhere(request.user) else list(
            access.branches_for(request.user, "network.view_assignment"))
        report = queries.coverage(form.cleaned_data["start"], form.cleaned_data["end"], branches=mine)
    context = {"form": form, "report": report,
               "can_accept": request.user.has_perm("network.add_assignment") and access.acts_everywhere(request.user)}
    if report is not None:
        people = {m.pk: m for m in StaffMember.objects.filter(pk__in=[p.staff for p in report.proposals])}
        context["proposals"] = [
            {"p": p, "staff": people[p.staff], "from": report.branches[p.from_branch],
             "to": report.branches[p.to_branch]} for p in report.proposals]
        context["shortages"] = [{"s": s, "branch": report.branches[s.branch]} for s in report.shortages]
        context["unresolved"] = [{"s": s, "branch": report.branches[s.branch]} for s in report.unresolved]
    return render(request, "network/coverage.html", context)


@require_POST
@perm_required("network.add_assignment")
def coverage_accept(request):
    """Accept one proposal: create the secondment (HTMX: returns the updated proposal row)."""
    form = forms.SecondmentForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    staff = get_object_or_404(StaffMember, pk=data["staff"])
    from_branch = get_object_or_404(Branch, pk=data["from_branch"])
    to_branch = get_object_or_404(Branch, pk=data["to_branch"])
    assignment = services.second_staff(staff=staff, from_branch=from_branch, to_branch=to_branch,
                                       starts_on=data["starts_on"], ends_on=data["ends_on"], by=request.user)
    if request.htmx:
        return render(request, "network/partials/proposal_row.html", {"assignment": assignment, "accepted": True})
    messages.success(request, _("{staff} is seconded to {branch}.").format(staff=staff, branch=to_branch.name_th))
    return redirect(safe_next(request, "network:coverage"))


@perm_required("network.view_staffmember")
def staff_list(request):
    """Staff of the user's branches (network admins: everyone)."""
    today = timezone.localdate()
    people = StaffMember.objects.all()
    if not access.acts_everywhere(request.user):
        mine = access.branches_for(request.user, "network.view_staffmember")
        people = people.filter(pk__in=Assignment.objects.active_on(today).filter(branch__in=mine)
                               .values("staff_id"))
    q = request.GET.get("q", "").strip()
    if q:
        from django.db.models import Q

        people = people.filter(Q(first_name_th__icontains=q) | Q(last_name_th__icontains=q)
                               | Q(employee_code__iexact=q))
    page = Paginator(ThaiOrderedList(people, "first_name_th", "last_name_th"), 50).get_page(request.GET.get("page"))
    return render(request, "network/staff_list.html", {"page": page, "q": q})


@perm_required("network.view_staffmember")
def staff_detail(request, pk):
    """One staff member; personal data only with network.view_staff_personal, each view logged (PDPA)."""
    today = timezone.localdate()
    people = StaffMember.objects.all()
    if not access.acts_everywhere(request.user):
        mine = access.branches_for(request.user, "network.view_staffmember")
        people = people.filter(pk__in=Assignment.objects.active_on(today).filter(branch__in=mine)
                               .values("staff_id"))
    member = get_object_or_404(people, pk=pk)
    personal = request.user.has_perm("network.view_staff_personal")
    if personal:
        pdpa.log_access(request.user, member, purpose=StaffMember.PDPA_PURPOSE, path=request.path)
    return render(request, "network/staff_detail.html", {
        "member": member, "personal": personal, "purpose": StaffMember.PDPA_PURPOSE,
        "assignments": member.assignments.select_related("branch").order_by("-starts_on"),
        "positions": member.positions.select_related("unit__version"),
    })
