"""Staff pages under /staff/elibrary/: titles, adding e-books, licences, collections, campaigns, posters, statistics."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import fiscal_year
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.xlsx import xlsx_response

from .. import forms, promotion, queries, stats
from ..models import Campaign, Collection, EHold, ELoan, Licence, Title
from ..services import ingest, licences
from ..services import promotion as promotion_services


@perm_required("elibrary.view_title")
def dashboard(request):
    today = timezone.localdate()
    return render(request, "elibrary/staff/dashboard.html", {
        "titles": Title.objects.lendable().count(), "loans": ELoan.objects.active().count(),
        "waiting": EHold.objects.filter(status=EHold.Status.WAITING).count(),
        "ready": EHold.objects.filter(status=EHold.Status.READY).count(),
        "attention": queries.licences_needing_attention(today=today),
    })


@perm_required("elibrary.view_title")
def title_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    found = Title.objects.all().order_by("-created_at", "-pk")
    if q:
        found = found.filter(Q(title__icontains=q) | Q(isbn=q.replace("-", "")) | Q(publisher__icontains=q))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "elibrary/staff/title_list.html", {"page": page, "q": q})


@perm_required("elibrary.view_title")
def title_detail(request, title_id: int):
    title = get_object_or_404(Title.objects.select_related("record"), pk=title_id)
    form = forms.LicenceForm(initial={"starts_on": timezone.localdate(), "kind": Licence.Kind.PERPETUAL, "copies": 1})
    if request.method == "POST":
        if not request.user.has_perm("elibrary.add_licence"):
            messages.error(request, _("You do not have permission to do this here."))
            return redirect("elibrary_staff:title", title.pk)
        form = forms.LicenceForm(request.POST, instance=Licence(title=title))
        if form.is_valid():
            try:
                licences.save_licence(form.instance, user=request.user, reason=_("licence added"))
                messages.success(request, _("The licence is added."))
                return redirect("elibrary_staff:title", title.pk)
            except DomainError as error:
                messages.error(request, error.text)
    today = timezone.localdate()
    year_start = date(fiscal_year(today) - 544, 10, 1)
    rows = [r for r in stats.per_title_month(year_start, today) if r.title_id == title.pk]
    return render(request, "elibrary/staff/title_detail.html", {
        "title": title, "licences": title.licences.all(), "form": form, "rows": rows,
        "avail": queries.availability_of([title.pk], today=today)[title.pk],
        "share": promotion.social_text_for_title(title, request),
        "collection_form": forms.AddToCollectionForm(),
        "queue": EHold.objects.filter(title=title, status__in=("waiting", "ready")).count(),
    })


@perm_required("elibrary.add_title")
def add_title(request):
    upload, stream = forms.UploadForm(), forms.StreamForm()
    if request.method == "POST" and request.POST.get("kind") == "stream":
        stream = forms.StreamForm(request.POST)
        if stream.is_valid():
            data = stream.cleaned_data
            try:
                title = ingest.add_stream(title=data["title"], stream_url=data["stream_url"],
                                          authors=data["authors"].splitlines(), description=data["description"],
                                          user=request.user)
                messages.success(request, _("“{title}” is added.").format(title=title.title))
                return redirect("elibrary_staff:title", title.pk)
            except DomainError as error:
                messages.error(request, error.text)
    elif request.method == "POST":
        upload = forms.UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            data = upload.cleaned_data
            try:
                title = ingest.ingest(data["file"], filename=data["file"].name, user=request.user, title=data["title"],
                                      authors=[a.strip() for a in data["authors"].splitlines() if a.strip()])
                messages.success(request, _("“{title}” is added.").format(title=title.title))
                return redirect("elibrary_staff:title", title.pk)
            except DomainError as error:
                messages.error(request, error.text)
    return render(request, "elibrary/staff/add.html", {"upload": upload, "stream": stream,
                                                       "limit": ingest.max_bytes()})


@perm_required("elibrary.add_licence")
def import_licences(request):
    form = forms.LicenceCsvForm()
    if request.method == "POST":
        form = forms.LicenceCsvForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                counts = licences.import_csv(form.cleaned_data["file"].read(20 * 1024 * 1024),
                                             vendor=form.cleaned_data["vendor"], user=request.user)
                messages.success(request, _("{created} licences added, {updated} updated.").format(**counts))
                return redirect("elibrary_staff:licences")
            except DomainError as error:
                messages.error(request, error.text)
    return render(request, "elibrary/staff/licence_import.html", {"form": form})


@perm_required("elibrary.view_licence")
def licence_list(request):
    today = timezone.localdate()
    return render(request, "elibrary/staff/licences.html", {
        "attention": queries.licences_needing_attention(today=today), "renewal": stats.licence_renewal(today)[:500]})


@perm_required("elibrary.view_collection")
def collection_list(request):
    return render(request, "elibrary/staff/collections.html", {
        "collections": queries.collections(), "campaigns": Campaign.objects.select_related("collection")})


def _edit(request, *, form_class, instance, save, template, done):
    form = form_class(instance=instance)
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            save(form.instance, user=request.user)
            messages.success(request, _("Saved."))
            return redirect(done)
    return render(request, template, {"form": form, "object": instance})


@perm_required("elibrary.change_collection")
def collection_edit(request, pk: int | None = None):
    instance = get_object_or_404(Collection, pk=pk) if pk else Collection()
    return _edit(request, form_class=forms.CollectionForm, instance=instance,
                 save=promotion_services.save_collection, template="elibrary/staff/collection_form.html",
                 done="elibrary_staff:collections")


@perm_required("elibrary.change_campaign")
def campaign_edit(request, pk: int | None = None):
    instance = get_object_or_404(Campaign, pk=pk) if pk else Campaign()
    return _edit(request, form_class=forms.CampaignForm, instance=instance,
                 save=promotion_services.save_campaign, template="elibrary/staff/campaign_form.html",
                 done="elibrary_staff:collections")


@perm_required("elibrary.change_collection")
def add_to_collection(request, title_id: int):
    title = get_object_or_404(Title, pk=title_id)
    form = forms.AddToCollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collection = form.cleaned_data["collection"]
        promotion_services.add_titles(collection, [title], user=request.user)
        messages.success(request, _("Added to “{name}”.").format(name=collection.name))
    return redirect("elibrary_staff:title", title.pk)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@perm_required("elibrary.view_title")
def title_poster(request, title_id: int):
    return _pdf(promotion.title_poster(get_object_or_404(Title, pk=title_id)), f"poster-ebook-{title_id}.pdf")


@perm_required("elibrary.view_collection")
def collection_poster(request, pk: int):
    return _pdf(promotion.collection_poster(get_object_or_404(Collection, pk=pk)), f"poster-collection-{pk}.pdf")


@perm_required("elibrary.view_collection")
def collection_detail(request, pk: int):
    collection = get_object_or_404(Collection, pk=pk)
    campaigns = [(c, promotion.social_text_for_campaign(c, request)) for c in collection.campaigns.all()]
    return render(request, "elibrary/staff/collection_detail.html", {
        "collection": collection, "titles": collection.titles.order_by("title")[:500], "campaigns": campaigns,
        "share": promotion.social_text_for_collection(collection, request)})


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = date(fiscal_year(today) - 544, 10, 1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@perm_required("elibrary.view_eloan")
def statistics(request):
    start, end = _period(request)
    rows = stats.per_title_month(start, end)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"elibrary-{start}-{end}.xlsx", stats.sheets(rows, stats.licence_renewal(end)),
                             title=_("e-Library statistics"))
    return render(request, "elibrary/staff/stats.html", {"rows": rows[:500], "start": start, "end": end,
                                                         "totals": stats.totals(rows)})
