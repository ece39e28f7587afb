"""Staff pages under /staff/facilities/: buildings, UD audits filled on site (phone first, photos from the
camera), gaps turned into works, works through their states, the tree survey with its map, reports."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.calendar import fiscal_year
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.xlsx import xlsx_response
from bkklib.network import access, geo

from . import queries, reports, rules, services
from .forms import (
    AnswerForm,
    BuildingForm,
    FloorForm,
    PlantedForm,
    PlantingForm,
    ProposeWorkForm,
    RaiseWorkForm,
    RoomForm,
    SurvivalForm,
    TransitionForm,
    TreeSiteForm,
    WorkDocumentForm,
    WorkPhotoForm,
)
from .models import Audit, AuditAnswer, Building, Planting, TreeSite, Work


def _error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.text)


# --- Home and buildings --------------------------------------------------------------------------

@perm_required("facilities.view_building")
def index(request):
    """Buildings of the user's branches with their latest UD score, open works and trees."""
    building_rows = queries.buildings(request.user)
    ud = queries.ud_by_branch(building_rows)
    drafts = queries.audits(request.user).filter(status=Audit.Status.DRAFT).order_by("-audited_on")[:10]
    open_works = (queries.works(request.user).filter(status__in=queries.OPEN_WORK_STATUSES)
                  .order_by("status", "-created_at")[:10])
    _districts, trees, _sites = queries.tree_roll_up(queries.sites(request.user))
    return render(request, "facilities/index.html", {"ud": ud, "drafts": drafts, "open_works": open_works,
                                                     "trees": trees})


@perm_required("facilities.add_building")
def building_new(request):
    return _building_form(request, Building())


@perm_required("facilities.change_building")
def building_edit(request, pk: int):
    return _building_form(request, get_object_or_404(queries.buildings(request.user, "facilities.change_building"),
                                                     pk=pk))


def _building_form(request, building: Building):
    perm = "facilities.change_building" if building.pk else "facilities.add_building"
    form = BuildingForm(request.POST or None, instance=building, branches=access.branches_for(request.user, perm))
    if request.method == "POST" and form.is_valid():
        try:
            building = services.save_building(building=form.save(commit=False), by=request.user)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Building saved."))
            return redirect("facilities:building", pk=building.pk)
    return render(request, "facilities/building_form.html", {"form": form, "building": building})


@perm_required("facilities.view_building")
def building(request, pk: int):
    """A building: floors and rooms (linked to bookable spaces), audits with scores, works."""
    row = get_object_or_404(queries.buildings(request.user), pk=pk)
    can_edit = access.can_act_at(request.user, "facilities.change_building", row.branch)
    floor_form, room_form = FloorForm(prefix="floor"), RoomForm(prefix="room", building=row)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        try:
            if request.POST.get("part") == "floor":
                floor_form = FloorForm(request.POST, prefix="floor")
                if floor_form.is_valid():
                    services.add_floor(building=row, by=request.user, **floor_form.cleaned_data)
                    messages.success(request, _("Floor added."))
                    return redirect("facilities:building", pk=row.pk)
            else:
                room_form = RoomForm(request.POST, prefix="room", building=row)
                if room_form.is_valid():
                    services.add_room(by=request.user, **room_form.cleaned_data)
                    messages.success(request, _("Room added."))
                    return redirect("facilities:building", pk=row.pk)
        except DomainError as exc:
            messages.error(request, exc.text)
    audit_rows = [(a, queries.audit_score(a)) for a in row.audits.select_related("auditor").order_by("-audited_on",
                                                                                                  "-pk")]
    return render(request, "facilities/building.html", {
        "building": row, "floors": row.floors.prefetch_related("rooms__space"), "audits": audit_rows,
        "works": row.works.order_by("-created_at"), "can_edit": can_edit, "floor_form": floor_form,
        "room_form": room_form,
        "can_audit": access.can_act_at(request.user, "facilities.add_audit", row.branch)})


# --- Audits --------------------------------------------------------------------------------------

@require_POST
@perm_required("facilities.add_audit")
def audit_start(request, pk: int):
    row = get_object_or_404(queries.buildings(request.user, "facilities.add_audit"), pk=pk)
    new = services.start_audit(building=row, by=request.user)
    return redirect("facilities:audit", pk=new.pk)


@perm_required("facilities.view_audit")
def audit(request, pk: int):
    """Fill a draft audit item by item (one small form each, saved at once), or read a completed one."""
    row = get_object_or_404(queries.audits(request.user), pk=pk)
    answers = {a.item_id: a for a in queries.answers_of(row)}
    items = list(row.checklist.items.order_by("position"))
    can_fill = row.status == Audit.Status.DRAFT and access.can_act_at(request.user, "facilities.add_audit",
                                                                      row.branch)
    failed = getattr(request, "_facilities_failed", None)
    cards = []
    for item in items:
        answer = answers.get(item.pk)
        form = None
        if can_fill:
            if failed is not None and failed[0] == item.pk:
                form = failed[1]
            else:
                initial = {"result": answer.result, "measured_value": answer.measured_value,
                           "note": answer.note} if answer else {}
                form = AnswerForm(prefix=f"i{item.pk}", initial=initial)
        cards.append({"item": item, "answer": answer, "form": form})
    score = queries.audit_score(row)
    gap_rows = list(queries.gaps(row))
    raise_form = RaiseWorkForm(gaps=queries.gaps(row)) if row.status == Audit.Status.COMPLETED else None
    return render(request, "facilities/audit.html", {
        "audit": row, "cards": cards, "score": score, "categories": queries.score_rows(score),
        "gaps": gap_rows, "answered": len(answers), "total": len(items), "can_fill": can_fill,
        "comparison": queries.compare_with_previous(row), "raise_form": raise_form,
        "can_raise": access.can_act_at(request.user, "facilities.add_work", row.branch),
        "results": dict(AuditAnswer.Result.choices)}, status=400 if failed else 200)


@require_POST
@perm_required("facilities.add_audit")
def audit_answer(request, pk: int, item_pk: int):
    row = get_object_or_404(queries.audits(request.user, "facilities.add_audit"), pk=pk)
    item = get_object_or_404(row.checklist.items, pk=item_pk)
    form = AnswerForm(request.POST, request.FILES, prefix=f"i{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_item(audit_row=row, item=item, result=data["result"], by=request.user,
                                 measured_value=data["measured_value"], note=data["note"], photo=data["photo"])
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Saved: {topic}.").format(topic=item.topic_th))
            following = row.checklist.items.filter(position__gt=item.position).order_by("position").first()
            anchor = f"#item-{following.code}" if following else "#finish"
            return redirect(reverse("facilities:audit", args=[row.pk]) + anchor)
    request._facilities_failed = (item.pk, form)
    request.method = "GET"
    return audit(request, pk)


@require_POST
@perm_required("facilities.add_audit")
def audit_complete(request, pk: int):
    row = get_object_or_404(queries.audits(request.user, "facilities.add_audit"), pk=pk)
    try:
        services.complete_audit(audit_row=row, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect(reverse("facilities:audit", args=[row.pk]) + "#finish")
    messages.success(request, _("Audit completed. The gaps are listed below: raise works from them."))
    return redirect(reverse("facilities:audit", args=[row.pk]) + "#gaps")


@require_POST
@perm_required("facilities.add_work")
def audit_raise_work(request, pk: int):
    row = get_object_or_404(queries.audits(request.user, "facilities.view_audit"), pk=pk)
    form = RaiseWorkForm(request.POST, gaps=queries.gaps(row))
    if not form.is_valid():
        messages.error(request, _("Choose at least one gap for the work."))
        return redirect(reverse("facilities:audit", args=[row.pk]) + "#gaps")
    try:
        work = services.raise_work_from_gaps(audit_row=row, answers=form.cleaned_data["gaps"], by=request.user,
                                             title=form.cleaned_data["title"])
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect(reverse("facilities:audit", args=[row.pk]) + "#gaps")
    messages.success(request, _("Work proposed: {title}.").format(title=work.title))
    return redirect("facilities:work", pk=work.pk)


# --- Works ---------------------------------------------------------------------------------------

@perm_required("facilities.view_work")
def works(request):
    """Works by fiscal year and status, and a form to propose one."""
    rows = queries.works(request.user)
    status, year = request.GET.get("status", ""), request.GET.get("year", "")
    if status in Work.Status.values:
        rows = rows.filter(status=status)
    if year.isdigit():
        rows = rows.filter(fiscal_year=int(year))
    form = None
    if request.user.has_perm("facilities.add_work"):
        branches = access.branches_for(request.user, "facilities.add_work")
        form = ProposeWorkForm(request.POST or None, branches=branches,
                               buildings=Building.objects.filter(branch__in=branches))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                work = services.propose_work(branch=data["branch"], building=data["building"], title=data["title"],
                                             description=data["description"], by=request.user)
            except DomainError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("Work proposed: {title}.").format(title=work.title))
                return redirect("facilities:work", pk=work.pk)
    return render(request, "facilities/works.html", {
        "works": rows.order_by("-fiscal_year", "status", "-created_at")[:200], "form": form,
        "statuses": Work.Status.choices, "status": status, "year": year,
        "summary": queries.works_by_year_and_status(queries.works(request.user)),
        "this_year": fiscal_year(timezone.localdate())})


@perm_required("facilities.view_work")
def work(request, pk: int):
    row = get_object_or_404(queries.works(request.user).prefetch_related("photos", "documents",
                                                                        "gaps__item", "gaps__audit"), pk=pk)
    labels = dict(Work.Status.choices)
    transition = TransitionForm(status=row.status, labels=labels, prefix="t")
    photo_form, doc_form = WorkPhotoForm(prefix="p"), WorkDocumentForm(prefix="d")
    if request.method == "POST":
        part = request.POST.get("part")
        try:
            if part == "transition":
                transition = TransitionForm(request.POST, status=row.status, labels=labels, prefix="t")
                if transition.is_valid():
                    data = transition.cleaned_data
                    services.advance_work(work=row, by=request.user, **{k: v for k, v in data.items()
                                                                         if v not in (None, "")})
                    messages.success(request, _("The work is now {status}.").format(status=labels[data["to"]]))
                    return redirect("facilities:work", pk=row.pk)
            elif part == "photo":
                photo_form = WorkPhotoForm(request.POST, request.FILES, prefix="p")
                if photo_form.is_valid():
                    services.add_work_photo(work=row, by=request.user, **photo_form.cleaned_data)
                    messages.success(request, _("Photo added."))
                    return redirect("facilities:work", pk=row.pk)
            elif part == "document":
                doc_form = WorkDocumentForm(request.POST, request.FILES, prefix="d")
                if doc_form.is_valid():
                    services.add_work_document(work=row, by=request.user, title=doc_form.cleaned_data["title"],
                                               upload=doc_form.cleaned_data["file"])
                    messages.success(request, _("Document added."))
                    return redirect("facilities:work", pk=row.pk)
        except DomainError as exc:
            form = {"transition": transition, "photo": photo_form, "document": doc_form}.get(part, transition)
            _error(form, exc)
    can_change = access.can_act_at(request.user, "facilities.change_work", row.branch) or access.can_act_at(
        request.user, "facilities.approve_work", row.branch)
    return render(request, "facilities/work.html", {
        "work": row, "transition": transition if rules.next_states(row.status) else None, "photo_form": photo_form,
        "doc_form": doc_form, "can_change": can_change, "flow": [(s, labels[s]) for s in rules.WORK_FLOW],
        "needs": rules.NEEDS})


# --- Trees ---------------------------------------------------------------------------------------

@perm_required("facilities.view_treesite")
def trees(request):
    """Planting sites on the district map (shipped boundaries), trees per district and for the network."""
    districts, network, per_site = queries.tree_roll_up(queries.sites(request.user))
    # No links inside the map (an image with links nests interactive controls): the list below links each site.
    points = [geo.MapPoint(float(s.latitude), float(s.longitude), f"{s.name_th} · {s.branch.name_th}")
              for s, _t in per_site]
    svg = geo.district_map_svg({d.code: d.totals.surviving for d in districts},
                               title=_("Surviving trees per district"), legend_title=_("Trees"), unit=_("trees"),
                               points=points, points_label=_("Planting site"), lang=get_language() or "th")
    return render(request, "facilities/trees.html", {
        "districts": districts, "network": network, "sites": per_site, "svg": svg,
        "target": rules.CITY_TREE_TARGET, "share": rules.target_share(network.surviving),
        "can_add": request.user.has_perm("facilities.add_treesite")})


@perm_required("facilities.add_treesite")
def site_new(request):
    form = TreeSiteForm(request.POST or None, instance=TreeSite(surveyed_on=timezone.localdate()),
                        branches=access.branches_for(request.user, "facilities.add_treesite"))
    if request.method == "POST" and form.is_valid():
        try:
            row = services.save_site(site=form.save(commit=False), by=request.user)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Planting site saved."))
            return redirect("facilities:site", pk=row.pk)
    return render(request, "facilities/site_form.html", {"form": form})


@perm_required("facilities.view_treesite")
def site(request, pk: int):
    row = get_object_or_404(queries.sites(request.user), pk=pk)
    can_edit = access.can_act_at(request.user, "facilities.change_treesite", row.branch)
    plan_form = PlantingForm(prefix="plan")
    if request.method == "POST":
        if not can_edit:
            raise Http404
        part = request.POST.get("part")
        try:
            if part == "plan":
                plan_form = PlantingForm(request.POST, prefix="plan")
                if plan_form.is_valid():
                    services.plan_planting(site=row, by=request.user, **plan_form.cleaned_data)
                    messages.success(request, _("Planting planned."))
                    return redirect("facilities:site", pk=row.pk)
            elif part in ("planted", "survival"):
                planting = get_object_or_404(Planting, pk=request.POST.get("planting"), site=row)
                form = (PlantedForm if part == "planted" else SurvivalForm)(request.POST, prefix=f"{part}{planting.pk}")
                if form.is_valid():
                    if part == "planted":
                        services.record_planting(planting=planting, by=request.user, **form.cleaned_data)
                    else:
                        services.check_survival(planting=planting, by=request.user, **form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("facilities:site", pk=row.pk)
                messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        except DomainError as exc:
            messages.error(request, exc.text)
    (totals,) = [t for _s, t in queries.site_totals(TreeSite.objects.filter(pk=row.pk))]
    plantings = []
    for p in row.plantings.select_related("species").prefetch_related("checks"):
        plantings.append({"planting": p, "checks": list(p.checks.all()),
                          "planted_form": PlantedForm(prefix=f"planted{p.pk}"),
                          "survival_form": SurvivalForm(prefix=f"survival{p.pk}")})
    return render(request, "facilities/site.html", {"site": row, "totals": totals, "plantings": plantings,
                                                    "plan_form": plan_form, "can_edit": can_edit})


# --- Reports -------------------------------------------------------------------------------------

@perm_required("facilities.view_facilities_report")
def report(request):
    data = reports.build(request.user)
    title = _("Buildings and grounds report")
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"facilities-{stamp}.xlsx", reports.sheets(data), title=title)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(reports.pdf(data, title=title), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="facilities-{stamp}.pdf"'
        return response
    return render(request, "facilities/report.html", {"report": data, "title": title})
