"""Staff item pages: add and edit items, withdraw them (request, list, decide)."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network import access

from .. import services
from ..forms import (
    DecisionForm,
    ItemForm,
    WithdrawalForm,
)
from ..models import Item, Record, Withdrawal


def can_edit_item(user, item: Item) -> bool:
    """Whether ``user`` may edit ``item`` (the permission, at the item's branch)."""
    return access.can_act_at(user, "catalog.change_item", item.branch)


@perm_required("catalog.add_item")
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


@perm_required("catalog.change_item")
def item_edit(request, item_id):
    item = get_object_or_404(Item.objects.select_related("record", "branch"), pk=item_id)
    if not can_edit_item(request.user, item):
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
                services.set_item_status_by_hand(fresh, status, user=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Item {barcode} saved.").format(barcode=fresh.barcode))
            return redirect("catalog:record-detail", fresh.record_id)
    return render(request, "catalog/item_form.html", {"form": form, "record": item.record, "item": item})



@perm_required("catalog.add_withdrawal")
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


@perm_required("catalog.view_withdrawal")
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


@perm_required("catalog.approve_withdrawal")
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
