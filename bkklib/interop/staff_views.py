"""Copy cataloguing in the staff back office: search another catalogue, compare, import or overlay."""
from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.catalog import cataloguing
from bkklib.catalog.models import Record
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError

from . import copycat, services
from .forms import CopySearchForm

SALT = "bkklib.interop.copycat"


def _overlay_record(request) -> Record | None:
    value = request.GET.get("overlay") or request.POST.get("overlay")
    return get_object_or_404(Record, pk=value) if value and str(value).isdigit() else None


@perm_required("catalog.add_record")
def copy_search(request):
    overlay = _overlay_record(request)
    form = CopySearchForm(request.GET or None,
                          initial={"terms": overlay.title if overlay else "", "index": "title"})
    candidates, error = [], ""
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            candidates = copycat.search(target, form.cleaned_data["index"], form.cleaned_data["terms"])
        except DomainError as exc:
            error = exc.text
        for candidate in candidates:
            candidate.token = signing.dumps({"marc": candidate.marc, "target": target.name}, salt=SALT, compress=True)
    return render(request, "interop/copy_search.html", {"form": form, "candidates": candidates, "error": error,
                                                        "overlay": overlay, "searched": form.is_bound})


def _candidate(request) -> dict:
    try:
        return signing.loads(request.POST.get("token", ""), salt=SALT, max_age=6 * 3600)
    except signing.BadSignature:
        raise services.CopyImportRefused(reason=_("the search result has expired: search again.")) from None


@perm_required("catalog.add_record")
@require_POST
def copy_compare(request):
    data = _candidate(request)
    overlay = _overlay_record(request)
    lines = [cataloguing.field_to_line(f) for f in data["marc"].get("fields", [])]
    current = [cataloguing.field_to_line(f) for f in overlay.marc.get("fields", [])] if overlay else []
    return render(request, "interop/copy_compare.html", {"token": request.POST["token"], "target": data["target"],
                                                         "lines": lines, "current": current, "overlay": overlay,
                                                         "leader": data["marc"].get("leader", "")})


@perm_required("catalog.add_record")
@require_POST
def copy_import(request):
    data = _candidate(request)
    overlay = _overlay_record(request)
    if overlay is not None and not request.user.has_perm("catalog.change_record"):
        raise services.CopyImportRefused(reason=_("you may not change existing records."))
    record = services.import_copy(data["marc"], source=data["target"], user=request.user, overlay=overlay)
    if overlay:
        messages.success(request, _("Record {id} overlaid with the copy from {source}.").format(
            id=record.pk, source=data["target"]))
    else:
        messages.success(request, _("Record {id} created from {source}: add items or edit it now.").format(
            id=record.pk, source=data["target"]))
    return redirect("catalog:record-detail", record.pk)
