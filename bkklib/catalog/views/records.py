"""Staff record pages: search, view, new, edit, copy, delete, download as MARC, history."""
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core import menus
from bkklib.core.decorators import perm_required
from bkklib.network import access
from bkklib.search import index

from .. import cataloguing, languages, queries, services
from ..exceptions import InvalidMarc
from ..forms import (
    MarcFieldFormSet,
    RecordForm,
    marc_field_initial,
)
from ..history import entries as record_history_entries
from ..marc import writer
from ..models import Item, Record
from .items import can_edit_item

PAGE_SIZE = 20


@perm_required("catalog.view_record")
def record_list(request):
    """Search the catalog (the OPAC's query language); a scanned barcode opens its record."""
    q = (request.GET.get("q") or "").strip()
    page = request.GET.get("page") or 1
    if q and " " not in q:
        item = Item.objects.filter(barcode=q).only("record_id").first()
        if item:
            return redirect("catalog:record-detail", item.record_id)
    if q:
        result = index.search(q, page=page, page_size=PAGE_SIZE)
        records = queries.records_in_order([h.id for h in result.hits])
        total, error, suggestions = result.total, result.query_error, result.suggestions
    else:
        result = None
        records = list(Record.objects.order_by("-updated_at")[:PAGE_SIZE])
        total, error, suggestions = Record.objects.count(), None, []
    counts = dict(Item.objects.filter(record__in=records).values_list("record").annotate(n=Count("pk")))
    rows = [{"record": r, "items": counts.get(r.pk, 0)} for r in records]
    pages = range(1, min(50, (total + PAGE_SIZE - 1) // PAGE_SIZE) + 1) if q else range(0)
    return render(request, "catalog/record_list.html", {
        "q": q, "rows": rows, "total": total, "query_error": error, "suggestions": suggestions,
        "page": int(result.page) if result else 1, "pages": pages,
    })


@perm_required("catalog.view_record")
def record_detail(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    items = list(queries.items_of(record))
    for item in items:
        item.editable = can_edit_item(request.user, item)
    lines = [cataloguing.field_to_line(f) for f in record.marc["fields"]]
    return render(request, "catalog/record_detail.html", {
        "record": record, "items": items, "marc_lines": lines, "leader": record.marc.get("leader", ""),
        "language": languages.language_name(record.language),
        "can_add_item": access.branches_for(request.user, "catalog.add_item").exists(),
        "record_tools": menus.record_tools_for(request.user, record.pk),  # copy cataloguing... (higher apps)
    })


def _save_record_from_forms(request, record: Record | None):
    base = record.marc if record else None
    form = RecordForm(request.POST)
    fields = MarcFieldFormSet(request.POST, prefix="marc")
    if form.is_valid() and fields.is_valid():
        other = [f.cleaned_data["field"] for f in fields.forms
                 if f.cleaned_data.get("field") and not f.cleaned_data.get("DELETE")]
        marc = cataloguing.build_marc(form.common(), other_fields=other, base=base)
        if record:  # keep the record's identity (001/003/005...) that the editor may not show
            marc["fields"] = [f for f in base["fields"] if next(iter(f)) in ("001", "003")] + [
                f for f in marc["fields"] if next(iter(f)) not in ("001", "003")]
        try:
            saved = services.save_record(marc, record=record, user=request.user,
                                         reason=_("edited") if record else _("created"))
        except InvalidMarc as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Record {id} saved.").format(id=saved.pk))
            return saved, form, fields
    return None, form, fields


@perm_required("catalog.add_record")
def record_new(request):
    if request.method == "POST":
        saved, form, fields = _save_record_from_forms(request, None)
        if saved:
            return redirect("catalog:record-detail", saved.pk)
    else:
        form, fields = RecordForm(initial={"language": "tha"}), MarcFieldFormSet(prefix="marc")
    return render(request, "catalog/record_form.html", {"form": form, "fields": fields, "record": None})


@perm_required("catalog.change_record")
def record_edit(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    if request.method == "POST":
        saved, form, fields = _save_record_from_forms(request, record)
        if saved:
            return redirect("catalog:record-detail", saved.pk)
    else:
        form = RecordForm(initial=RecordForm.initial_from(cataloguing.common_from_marc(record.marc)))
        fields = MarcFieldFormSet(prefix="marc", initial=marc_field_initial(record.marc))
    return render(request, "catalog/record_form.html", {"form": form, "fields": fields, "record": record})


@perm_required("catalog.add_record")
def marc_field_row(request):
    """Return one more empty row of the MARC field editor (HTMX)."""
    index_ = int(request.GET.get("index", 0))
    form = MarcFieldFormSet(prefix="marc").empty_form
    form.prefix = f"marc-{index_}"
    return render(request, "catalog/partials/marc_row.html", {"f": form})


@perm_required("catalog.add_record")
@require_POST
def record_copy(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    copy = services.copy_record(record, user=request.user)
    messages.success(request, _("Record {id} copied as record {copy}: edit the copy now.").format(id=record.pk,
                                                                                                   copy=copy.pk))
    return redirect("catalog:record-edit", copy.pk)


@perm_required("catalog.delete_record")
@require_POST
def record_delete(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    title = record.title
    services.delete_record(record, user=request.user)  # RecordHasItems becomes a message (core middleware)
    messages.success(request, _("Record “{title}” deleted.").format(title=title))
    return redirect("catalog:record-list")


@perm_required("catalog.view_record")
def record_download(request, record_id, fmt):
    record = get_object_or_404(Record, pk=record_id)
    if fmt == "mrc":
        try:
            data = writer.to_iso2709(record.marc)
        except writer.ExportError as exc:
            raise Http404(str(exc)) from None
        content_type = "application/marc"
    else:
        data = "".join(writer.to_marcxml([record.marc])).encode("utf-8")
        content_type = "application/marcxml+xml"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.{fmt}"'
    return response


@perm_required("catalog.view_record")
def record_history(request, record_id):
    """Changes of the record and of its items: who, when, and which fields changed from what to what."""
    record = get_object_or_404(Record, pk=record_id)
    entries = record_history_entries(record)
    return render(request, "catalog/record_history.html", {"record": record, "entries": entries})
