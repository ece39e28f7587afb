"""Staff cataloguing pages (Thai first): search, record view and edit, items, imports, labels, stocktake, withdrawal."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.exceptions import DomainError
from bkklib.network import access
from bkklib.search import index

from . import cataloguing, jobs, labels, languages, queries, services
from .exceptions import InvalidMarc
from .forms import (
    DecisionForm,
    ImportForm,
    ItemForm,
    LabelForm,
    MarcFieldFormSet,
    RecordForm,
    ScanForm,
    StocktakeForm,
    WithdrawalForm,
    marc_field_initial,
)
from .history import entries as record_history_entries
from .marc import writer
from .models import ImportJob, Item, Record, Stocktake, Withdrawal

PAGE_SIZE = 20


def _can_edit_item(user, item: Item) -> bool:
    return access.can_act_at(user, "catalog.change_item", item.branch)


# --- search and record pages ------------------------------------------------------------------


@login_required
@permission_required("catalog.view_record", raise_exception=True)
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


@login_required
@permission_required("catalog.view_record", raise_exception=True)
def record_detail(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    items = list(queries.items_of(record))
    for item in items:
        item.editable = _can_edit_item(request.user, item)
    lines = [cataloguing.field_to_line(f) for f in record.marc["fields"]]
    return render(request, "catalog/record_detail.html", {
        "record": record, "items": items, "marc_lines": lines, "leader": record.marc.get("leader", ""),
        "language": languages.language_name(record.language),
        "can_add_item": access.branches_for(request.user, "catalog.add_item").exists(),
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


@login_required
@permission_required("catalog.add_record", raise_exception=True)
def record_new(request):
    if request.method == "POST":
        saved, form, fields = _save_record_from_forms(request, None)
        if saved:
            return redirect("catalog:record-detail", saved.pk)
    else:
        form, fields = RecordForm(initial={"language": "tha"}), MarcFieldFormSet(prefix="marc")
    return render(request, "catalog/record_form.html", {"form": form, "fields": fields, "record": None})


@login_required
@permission_required("catalog.change_record", raise_exception=True)
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


@login_required
@permission_required("catalog.add_record", raise_exception=True)
def marc_field_row(request):
    """Return one more empty row of the MARC field editor (HTMX)."""
    index_ = int(request.GET.get("index", 0))
    form = MarcFieldFormSet(prefix="marc").empty_form
    form.prefix = f"marc-{index_}"
    return render(request, "catalog/partials/marc_row.html", {"f": form})


@login_required
@permission_required("catalog.add_record", raise_exception=True)
@require_POST
def record_copy(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    copy = services.copy_record(record, user=request.user)
    messages.success(request, _("Record {id} copied as record {copy}: edit the copy now.").format(id=record.pk,
                                                                                                   copy=copy.pk))
    return redirect("catalog:record-edit", copy.pk)


@login_required
@permission_required("catalog.delete_record", raise_exception=True)
@require_POST
def record_delete(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    title = record.title
    services.delete_record(record, user=request.user)  # RecordHasItems becomes a message (core middleware)
    messages.success(request, _("Record “{title}” deleted.").format(title=title))
    return redirect("catalog:record-list")


@login_required
@permission_required("catalog.view_record", raise_exception=True)
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


@login_required
@permission_required("catalog.view_record", raise_exception=True)
def record_history(request, record_id):
    """Changes of the record and of its items: who, when, and which fields changed from what to what."""
    record = get_object_or_404(Record, pk=record_id)
    entries = record_history_entries(record)
    return render(request, "catalog/record_history.html", {"record": record, "entries": entries})


# --- items --------------------------------------------------------------------------------------


@login_required
@permission_required("catalog.add_item", raise_exception=True)
def item_add(request, record_id):
    record = get_object_or_404(Record, pk=record_id)
    form = ItemForm(request.POST or None, user=request.user, perm="catalog.add_item",
                    initial={"call_number": record.call_number, "item_type": None})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("barcode", "branch", "item_type")}
        try:
            item = services.add_item(record, barcode=form.cleaned_data["barcode"], branch=form.cleaned_data["branch"],
                                     item_type=form.cleaned_data["item_type"], user=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Item {barcode} added.").format(barcode=item.barcode))
            return redirect("catalog:record-detail", record.pk)
    return render(request, "catalog/item_form.html", {"form": form, "record": record, "item": None})


@login_required
@permission_required("catalog.change_item", raise_exception=True)
def item_edit(request, item_id):
    item = get_object_or_404(Item.objects.select_related("record", "branch"), pk=item_id)
    if not _can_edit_item(request.user, item):
        raise Http404  # another branch's item: staff of one branch do not see others' item pages
    original_status = item.status
    form = ItemForm(request.POST or None, instance=item, user=request.user, perm="catalog.change_item")
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "status"}
        fresh = Item.objects.get(pk=item.pk)
        try:
            services.update_item(fresh, user=request.user, **changes)
            status = form.cleaned_data.get("status")
            if status and status != original_status:
                services.set_item_status(fresh, status, user=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Item {barcode} saved.").format(barcode=fresh.barcode))
            return redirect("catalog:record-detail", fresh.record_id)
    return render(request, "catalog/item_form.html", {"form": form, "record": item.record, "item": item})


# --- withdrawal -----------------------------------------------------------------------------------


@login_required
@permission_required("catalog.add_withdrawal", raise_exception=True)
def withdrawal_new(request, item_id):
    item = get_object_or_404(Item.objects.select_related("record", "branch"), pk=item_id)
    if not access.can_act_at(request.user, "catalog.add_withdrawal", item.branch):
        raise Http404
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_withdrawal(item, user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Withdrawal of {barcode} requested: it now waits for approval.").format(
                barcode=item.barcode))
            return redirect("catalog:record-detail", item.record_id)
    return render(request, "catalog/withdrawal_form.html", {"form": form, "item": item})


@login_required
@permission_required("catalog.view_withdrawal", raise_exception=True)
def withdrawal_list(request):
    mine = access.branches_for(request.user, "catalog.view_withdrawal")
    rows = Withdrawal.objects.filter(item__branch__in=mine).select_related(
        "item", "item__record", "item__branch", "requested_by", "decided_by")
    status = request.GET.get("status", "pending")
    if status in Withdrawal.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    can_approve = access.branches_for(request.user, "catalog.approve_withdrawal").exists()
    return render(request, "catalog/withdrawal_list.html", {"page": page, "status": status,
                                                              "statuses": Withdrawal.Status.choices,
                                                              "can_approve": can_approve})


@login_required
@permission_required("catalog.approve_withdrawal", raise_exception=True)
@require_POST
def withdrawal_decide(request, withdrawal_id):
    withdrawal = get_object_or_404(Withdrawal.objects.select_related("item", "item__branch"), pk=withdrawal_id)
    if not access.can_act_at(request.user, "catalog.approve_withdrawal", withdrawal.item.branch):
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    services.decide_withdrawal(withdrawal, approve=approve, user=request.user, note=form.cleaned_data.get("note", ""))
    messages.success(request, (_("Withdrawal of {barcode} approved.") if approve else
                               _("Withdrawal of {barcode} rejected.")).format(barcode=withdrawal.item.barcode))
    return redirect("catalog:withdrawal-list")


# --- imports --------------------------------------------------------------------------------------


@login_required
@permission_required("catalog.import_marc", raise_exception=True)
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = jobs.start_import(data["file"], user=request.user, format=data["format"], encoding=data["encoding"],
                                branch=data["branch"], on_duplicate=data["on_duplicate"])
        return redirect("catalog:import-detail", job.pk)
    recent = ImportJob.objects.select_related("created_by").order_by("-created_at")[:30]
    return render(request, "catalog/import_list.html", {"form": form, "jobs": recent})


def _job(request, job_id) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.created_by_id != request.user.pk and not access.acts_everywhere(request.user):
        raise Http404
    return job


@login_required
@permission_required("catalog.import_marc", raise_exception=True)
def import_detail(request, job_id):
    return render(request, "catalog/import_detail.html", {"job": _job(request, job_id)})


@login_required
@permission_required("catalog.import_marc", raise_exception=True)
def import_progress(request, job_id):
    """The progress panel (HTMX polls it every second while the job runs)."""
    return render(request, "catalog/partials/import_progress.html", {"job": _job(request, job_id)})


@login_required
@permission_required("catalog.import_marc", raise_exception=True)
def import_report(request, job_id):
    job = _job(request, job_id)
    if job.status not in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        raise Http404
    response = HttpResponse(job.report or job.error, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.txt"'
    return response


# --- labels ---------------------------------------------------------------------------------------


@login_required
@permission_required("catalog.view_item", raise_exception=True)
def label_sheet(request):
    form = LabelForm(request.POST or None, user=request.user, initial={"start": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = Item.objects.select_related("record", "branch")
        if data["barcode_list"]:
            found = {i.barcode: i for i in items.filter(barcode__in=data["barcode_list"])}
            missing = [b for b in data["barcode_list"] if b not in found]
            if missing:
                form.add_error("barcodes", _("No item has these barcodes: {list}").format(list=", ".join(missing[:20])))
                return render(request, "catalog/labels.html", {"form": form})
            chosen = [found[b] for b in data["barcode_list"]]
        else:
            chosen = items.filter(branch=data["branch"]).exclude(status=Item.Status.WITHDRAWN)
            if data["added_since"]:
                chosen = chosen.filter(created_at__date__gte=data["added_since"])
            chosen = list(chosen.order_by("call_number", "barcode")[:2000])
        sheet = [labels.Label(barcode=i.barcode, call_number=i.effective_call_number, title=i.record.title,
                              branch=i.branch.name_th) for i in chosen]
        if not sheet:
            form.add_error(None, _("No items to print."))
            return render(request, "catalog/labels.html", {"form": form})
        make = labels.spine_labels_pdf if data["kind"] == "spine" else labels.barcode_labels_pdf
        pdf = make(sheet, start=data["start"])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{data["kind"]}-labels.pdf"'
        return response
    return render(request, "catalog/labels.html", {"form": form})


# --- stocktake ------------------------------------------------------------------------------------


@login_required
@permission_required("catalog.view_stocktake", raise_exception=True)
def stocktake_list(request):
    form = StocktakeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not request.user.has_perm("catalog.add_stocktake"):
            raise PermissionDenied
        if form.is_valid():
            stocktake = services.start_stocktake(user=request.user, **form.cleaned_data)
            return redirect("catalog:stocktake-detail", stocktake.pk)
    mine = access.branches_for(request.user, "catalog.view_stocktake")
    rows = Stocktake.objects.filter(branch__in=mine).select_related("branch").annotate(n=Count("scans"))[:50]
    return render(request, "catalog/stocktake_list.html", {"form": form, "stocktakes": rows})


def _stocktake(request, stocktake_id) -> Stocktake:
    stocktake = get_object_or_404(Stocktake.objects.select_related("branch"), pk=stocktake_id)
    if not access.can_act_at(request.user, "catalog.view_stocktake", stocktake.branch):
        raise Http404
    return stocktake


@login_required
@permission_required("catalog.view_stocktake", raise_exception=True)
def stocktake_detail(request, stocktake_id):
    stocktake = _stocktake(request, stocktake_id)
    form = ScanForm(request.POST or None)
    last = None
    if request.method == "POST" and form.is_valid():
        last = services.scan(stocktake, form.cleaned_data["barcode"], user=request.user)
        form = ScanForm()
    context = {"stocktake": stocktake, "form": form, "last": last, "report": queries.stocktake_report(stocktake)}
    if request.htmx:
        return render(request, "catalog/partials/stocktake_panel.html", context)
    return render(request, "catalog/stocktake_detail.html", context)


@login_required
@permission_required("catalog.change_stocktake", raise_exception=True)
@require_POST
def stocktake_close(request, stocktake_id):
    stocktake = _stocktake(request, stocktake_id)
    marked = services.close_stocktake(stocktake, user=request.user, mark_missing=request.POST.get("mark_missing") == "1")
    messages.success(request, _("Stocktake closed; {n} item(s) marked missing.").format(n=marked))
    return redirect("catalog:stocktake-detail", stocktake.pk)


@login_required
@permission_required("catalog.view_record", raise_exception=True)
def font_licence(request):
    """Serve the licence of the font embedded in the label PDFs (OFL asks that it travel with the font)."""
    return FileResponse(open(labels.FONT_DIR / "OFL.txt", "rb"), content_type="text/plain; charset=utf-8")
