"""Staff stocktake pages: start, scan, list, close."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required
from bkklib.network import access

from .. import queries, services
from ..forms import (
    ScanForm,
    StocktakeForm,
)
from ..models import Stocktake


@perm_required("catalog.view_stocktake")
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


@perm_required("catalog.view_stocktake")
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


@perm_required("catalog.change_stocktake")
@require_POST
def stocktake_close(request, stocktake_id):
    stocktake = _stocktake(request, stocktake_id)
    marked = services.close_stocktake(stocktake, user=request.user, mark_missing=request.POST.get("mark_missing") == "1")
    messages.success(request, _("Stocktake closed; {n} item(s) marked missing.").format(n=marked))
    return redirect("catalog:stocktake-detail", stocktake.pk)
