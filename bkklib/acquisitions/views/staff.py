"""Staff pages under /staff/acquisitions/: funds (transfers, overrides, closing the year), vendors, requests,
orders (selection list → approval → purchase order PDF → receiving → invoice), donations and the follow-up
report (page, XLSX, PDF). Each view parses a form, calls one service and redirects or renders."""
from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.catalog.models import Record
from bkklib.core.calendar import fiscal_year, thai_date
from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.core.pdpa import log_access
from bkklib.core.xlsx import Sheet, xlsx_response
from bkklib.network import access

from .. import forms, printing, queries, services
from ..exceptions import BadInput
from ..models import Donation, Fund, Order, OrderCopy, Request


def _current_year() -> int:
    return fiscal_year(timezone.localdate())


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or _current_year())
    except ValueError:
        raise Http404 from None


def _fail(request, exc: DomainError) -> None:
    messages.error(request, exc.text)


def _order(request, pk: int, perm: str = "acquisitions.view_order") -> Order:
    order = access.scope(Order.objects.select_related("vendor", "branch", "fiscal_year", "approved_by"),
                         request.user, perm).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


# --- home and funds -------------------------------------------------------------------------------------

@perm_required("acquisitions.view_order")
def home(request):
    """Orders of the year by status, with the funds of the user's branches."""
    year = _year(request)
    status = request.GET.get("status", "")
    return render(request, "acquisitions/staff/home.html", {
        "year": year, "years": queries.years() or [year], "status": status, "statuses": Order.Status.choices,
        "orders": queries.orders(request.user, status=status, year=year)[:200],
        "funds": queries.funds(request.user, year),
        "to_shelve": queries.waiting_to_shelve(request.user).count(),
    })


@perm_required("acquisitions.view_fund")
def funds(request):
    year = _year(request)
    fund_qs = queries.funds(request.user, year)
    writable = Fund.objects.filter(fiscal_year__year=year, fiscal_year__is_closed=False,
                                   branch__in=access.branches_for(request.user, "acquisitions.transfer_fund"))
    ctx = {
        "year": year, "years": queries.years() or [year], "funds": fund_qs,
        "fund_form": forms.FundForm(prefix="fund", initial={"year": year},
                                    branches=access.branches_for(request.user, "acquisitions.add_fund")),
        "transfer_form": forms.TransferForm(prefix="transfer", funds=writable),
        "override_form": forms.OverrideForm(prefix="override", funds=Fund.objects.filter(
            fiscal_year__year=year, branch__in=access.branches_for(request.user, "acquisitions.override_fund"))),
        "close_form": forms.CloseYearForm(prefix="close", initial={"year": year}),
    }
    return render(request, "acquisitions/staff/funds.html", ctx)


@perm_required("acquisitions.view_fund")
def fund_detail(request, pk: int):
    fund = queries.funds(request.user).filter(pk=pk).first()
    if fund is None:
        raise Http404
    entries = fund.entries.select_related("by", "other_fund", "copy__line__order").order_by("-at", "-pk")[:300]
    return render(request, "acquisitions/staff/fund.html", {"fund": fund, "entries": entries})


@require_POST
@perm_required("acquisitions.add_fund")
def fund_add(request):
    form = forms.FundForm(request.POST, prefix="fund",
                          branches=access.branches_for(request.user, "acquisitions.add_fund"))
    if form.is_valid():
        d = form.cleaned_data
        try:
            fund = services.create_fund(year=d["year"], branch=d["branch"], code=d["code"], name=d["name"],
                                        budget=d["budget"], by=request.user)
            messages.success(request, _("Fund “{name}” opened.").format(name=fund.name))
        except DomainError as exc:
            _fail(request, exc)
        return redirect(f"{reverse('acquisitions:funds')}?year={d['year']}")
    messages.error(request, _("Check the fund: {errors}").format(errors=form.errors.as_text()))
    return redirect("acquisitions:funds")


@require_POST
@perm_required("acquisitions.transfer_fund")
def fund_transfer(request):
    form = forms.TransferForm(request.POST, prefix="transfer", funds=queries.funds(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.transfer(source=d["source"], target=d["target"], amount=d["amount"], reason=d["reason"],
                              by=request.user)
            messages.success(request, _("{amount} baht transferred.").format(amount=d["amount"]))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Check the transfer: {errors}").format(errors=form.errors.as_text()))
    return redirect("acquisitions:funds")


@require_POST
@perm_required("acquisitions.override_fund")
def fund_override(request):
    form = forms.OverrideForm(request.POST, prefix="override", funds=queries.funds(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.allow_overdraft(fund=d["fund"], amount=d["amount"], reason=d["reason"], by=request.user)
            messages.success(request, _("Override recorded."))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Check the override: {errors}").format(errors=form.errors.as_text()))
    return redirect("acquisitions:funds")


@require_POST
@perm_required("acquisitions.close_fiscal_year")
def close_year(request):
    form = forms.CloseYearForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.close_year(year=form.cleaned_data["year"], rule=form.cleaned_data["rule"], by=request.user)
            messages.success(request, _("Fiscal year {year} closed.").format(year=form.cleaned_data["year"]))
        except DomainError as exc:
            _fail(request, exc)
    return redirect("acquisitions:funds")


# --- vendors --------------------------------------------------------------------------------------------

@perm_required("acquisitions.view_vendor")
def vendors(request):
    return render(request, "acquisitions/staff/vendors.html", {"vendors": queries.vendors()})


@perm_required("acquisitions.change_vendor")
def vendor_edit(request, pk: int | None = None):
    vendor = get_object_or_404(queries.vendors(), pk=pk) if pk else None
    initial = {name: getattr(vendor, name) for name in forms.VendorForm.FIELDS} if vendor else None
    form = forms.VendorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in forms.VendorForm.FIELDS}
            services.save_vendor(vendor=vendor, by=request.user, **fields)
            messages.success(request, _("Vendor saved."))
            return redirect("acquisitions:vendors")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
    return render(request, "acquisitions/staff/vendor_form.html", {"form": form, "vendor": vendor},
                  status=400 if request.method == "POST" else 200)


# --- requests -------------------------------------------------------------------------------------------

@perm_required("acquisitions.view_request")
def requests(request):
    status = request.GET.get("status", "")
    rows = list(queries.requests(request.user, status=status)[:300])
    for row in rows:
        if row.patron_id:
            log_access(request.user, row.patron, path=request.path, purpose="purchase suggestions")
    form = forms.RequestForm(request.POST or None)
    branches = access.branches_for(request.user, "acquisitions.add_request")
    if request.method == "POST" and form.is_valid():
        branch = branches.filter(pk=request.POST.get("branch")).first() if request.POST.get("branch", "").isdigit() \
            else None
        if branch is None:
            raise Http404
        try:
            services.staff_request(by=request.user, branch=branch, **form.cleaned_data)
            messages.success(request, _("Request recorded."))
            return redirect("acquisitions:requests")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
    return render(request, "acquisitions/staff/requests.html", {
        "rows": rows, "status": status, "statuses": Request.Status.choices, "form": form, "branches": branches,
        "decline_form": forms.DeclineForm()})


@require_POST
@perm_required("acquisitions.change_request")
def request_decide(request, pk: int):
    row = queries.requests(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_request(request=row, accept=accept, reason=request.POST.get("reason", ""), by=request.user)
        messages.success(request, _("Request accepted.") if accept else _("Request declined; the reader is told."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("acquisitions:requests")


# --- orders ---------------------------------------------------------------------------------------------

@perm_required("acquisitions.add_order")
def order_new(request):
    branches = access.branches_for(request.user, "acquisitions.add_order")
    form = forms.OrderForm(request.POST or None, branches=branches, years=queries.open_years() or [_current_year()])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = services.create_order(vendor=d["vendor"], branch=d["branch"], year=d["year"], note=d["note"],
                                          by=request.user)
            return redirect("acquisitions:order", pk=order.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
    return render(request, "acquisitions/staff/order_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _line_form(request, order: Order, data=None):
    branches = access.branches_for(request.user, "acquisitions.change_order")
    funds = Fund.objects.filter(fiscal_year=order.fiscal_year).select_related("branch").order_by("branch__name_th",
                                                                                                 "code")
    open_requests = queries.requests(request.user).filter(status__in=[Request.Status.NEW, Request.Status.ACCEPTED])
    return forms.LineForm(data, branches=branches, funds=funds, requests=open_requests,
                          initial={"branch_1": order.branch, "copies_1": 1, "discount_pct": 0, "vat_pct": 0})


@perm_required("acquisitions.view_order")
def order_detail(request, pk: int):
    order = _order(request, pk)
    lines = list(order.lines.select_related("record", "request").prefetch_related("copies__branch", "copies__fund",
                                                                                  "copies__item"))
    for line in lines:
        line.all_copies = list(line.copies.all())
        line.outstanding = sum(1 for c in line.all_copies if c.status == OrderCopy.Status.ORDERED)
        line.cost = sum((c.cost for c in line.all_copies if c.status != OrderCopy.Status.CANCELLED), 0)
    line_form = _line_form(request, order) if order.status == Order.Status.SELECTION else None
    return render(request, "acquisitions/staff/order.html", {
        "order": order, "lines": lines, "line_form": line_form, "total": sum(line.cost for line in lines),
        "token": uuid.uuid4(), "today": timezone.localdate(),
        "invoice_form": forms.InvoiceForm(initial={"invoiced_on": timezone.localdate()}),
        "cancel_form": forms.CancelForm(), "deliveries": order.deliveries.prefetch_related("lines"),
        "claims": order.claims.all(), "invoices": order.invoices.all(),
        "to_shelve": [c for line in lines for c in line.all_copies
                      if c.status == OrderCopy.Status.RECEIVED and c.item.status == services.PROCESSING_STATUS],
    })


@require_POST
@perm_required("acquisitions.change_order")
def order_add_line(request, pk: int):
    order = _order(request, pk, "acquisitions.change_order")
    form = _line_form(request, order, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            record = None
            if d.get("record"):
                record = Record.objects.filter(pk=d["record"]).first()
                if record is None:
                    raise BadInput(reason=_("There is no catalog record {id}.").format(id=d["record"]),
                                            field="record")
            services.add_line(order=order, record=record, title=d.get("title", ""), author=d.get("author", ""),
                              isbn=d.get("isbn", ""), request=d.get("request"), quantity=d["quantity"],
                              unit_price=d["unit_price"], discount_pct=d.get("discount_pct") or 0,
                              vat_pct=d.get("vat_pct") or 0, allocations=form.allocations(), by=request.user)
            messages.success(request, _("Title added."))
        except DomainError as exc:
            _fail(request, exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the line: {errors}").format(errors=form.errors.as_text()))
    return redirect("acquisitions:order", pk=order.pk)


@require_POST
@perm_required("acquisitions.view_order")
def order_action(request, pk: int, action: str):
    """Approve, place (send), cancel, invoice, claim, shelve or remove a line: one service each."""
    order = _order(request, pk)
    user = request.user
    try:
        if action == "approve":
            services.approve_order(order=order, by=user)
            messages.success(request, _("Order approved."))
        elif action == "place":
            services.place_order(order=order, by=user)
            messages.success(request, _("Order sent; its copies are committed to their funds."))
        elif action == "cancel":
            n = services.cancel_copies(order=order, reason=request.POST.get("reason", ""), by=user)
            messages.success(request, _("{n} copies cancelled; their money is released.").format(n=n))
        elif action == "invoice":
            form = forms.InvoiceForm(request.POST)
            if not form.is_valid():
                messages.error(request, form.errors.as_text())
            else:
                invoice = services.record_invoice(order=order, by=user, **form.cleaned_data)
                messages.success(request, _("Invoice of {amount} baht recorded as spent.").format(
                    amount=invoice.amount))
        elif action == "claim":
            found = services.claim(order=order, today=timezone.localdate(), note=request.POST.get("note", ""), by=user)
            messages.success(request, _("Claim for {n} copies recorded.").format(n=found.copies))
        elif action == "shelve":
            ids = [int(x) for x in request.POST.getlist("copy") if x.isdigit()]
            n = services.shelve(copies=list(OrderCopy.objects.filter(line__order=order, pk__in=ids)), by=user)
            messages.success(request, _("{n} copies are on the shelf.").format(n=n))
        elif action == "remove-line":
            line = get_object_or_404(order.lines, pk=request.POST.get("line") or 0)
            services.remove_line(line=line, by=user)
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("acquisitions:order", pk=order.pk)


@require_POST
@perm_required("acquisitions.receive_order")
def order_receive(request, pk: int):
    order = _order(request, pk, "acquisitions.receive_order")
    line_ids = list(order.lines.values_list("pk", flat=True))
    try:
        received_on = date.fromisoformat(request.POST.get("received_on", ""))
    except ValueError:
        received_on = timezone.localdate()
    try:
        delivery = services.receive(order=order, counts=forms.inspections(request.POST, line_ids),
                                    token=request.POST.get("token"), received_on=received_on,
                                    note=request.POST.get("note", ""), by=request.user)
        received = sum(line.received for line in delivery.lines.all())
        messages.success(request, _("Delivery recorded: {n} copies received and added to the catalog "
                                    "(in processing).").format(n=received))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("acquisitions:order", pk=order.pk)


@perm_required("acquisitions.view_order")
def order_pdf(request, pk: int):
    order = _order(request, pk)
    response = HttpResponse(printing.purchase_order(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response


# --- donations ------------------------------------------------------------------------------------------

@perm_required("acquisitions.view_donation")
def donations(request):
    branches = access.branches_for(request.user, "acquisitions.add_donation")
    form = forms.DonationForm(request.POST or None, branches=branches,
                              initial={"received_on": timezone.localdate(), "count": 1})
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            donation = services.record_donation(by=request.user, **d)
            return redirect("acquisitions:donation", pk=donation.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
    return render(request, "acquisitions/staff/donations.html", {
        "donations": queries.donations(request.user)[:200], "form": form},
        status=400 if request.method == "POST" else 200)


def _donation(request, pk: int) -> Donation:
    donation = queries.donations(request.user).filter(pk=pk).first()
    if donation is None:
        raise Http404
    return donation


@perm_required("acquisitions.view_donation")
def donation_detail(request, pk: int):
    donation = _donation(request, pk)
    return render(request, "acquisitions/staff/donation.html", {
        "donation": donation, "items": [c.item for c in donation.copies.select_related("item__record")],
        "decide_form": forms.DecideDonationForm(initial={"accepted_count": donation.count}),
        "copies_form": forms.DonatedCopiesForm(initial={"copies": 1})})


@require_POST
@perm_required("acquisitions.change_donation")
def donation_action(request, pk: int, action: str):
    donation = _donation(request, pk)
    try:
        if action == "decide":
            form = forms.DecideDonationForm(request.POST)
            if form.is_valid():
                services.decide_donation(donation=donation, by=request.user, **form.cleaned_data)
                messages.success(request, _("Decision recorded."))
            else:
                messages.error(request, form.errors.as_text())
        elif action == "copies":
            form = forms.DonatedCopiesForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                record = Record.objects.filter(pk=d["record"]).first() if d.get("record") else None
                items = services.add_donated_copies(donation=donation, record=record, title=d.get("title", ""),
                                                    author=d.get("author", ""), isbn=d.get("isbn", ""),
                                                    copies=d["copies"], shelving_location=d["shelving_location"],
                                                    by=request.user)
                messages.success(request, _("{n} items added (in processing).").format(n=len(items)))
            else:
                messages.error(request, form.errors.as_text())
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("acquisitions:donation", pk=donation.pk)


@perm_required("acquisitions.view_donation")
def donation_letter(request, pk: int):
    donation = _donation(request, pk)
    response = HttpResponse(printing.donation_letter(donation, today=timezone.localdate()),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="donation-{donation.pk}.pdf"'
    return response


# --- report ---------------------------------------------------------------------------------------------

@perm_required("acquisitions.view_acquisitions_report")
def report(request):
    year = _year(request)
    today = timezone.localdate()
    try:
        month = date.fromisoformat((request.GET.get("month") or today.strftime("%Y-%m")) + "-01")
    except ValueError:
        raise Http404 from None
    branches = access.branches_for(request.user, "acquisitions.view_acquisitions_report")
    data = queries.follow_up(year=year, month=month, today=today, branches=branches)
    fmt = request.GET.get("format", "")
    if fmt == "pdf":
        response = HttpResponse(printing.follow_up_report(data), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="acquisitions-{year}-{month:%m}.pdf"'
        return response
    if fmt == "xlsx":
        return xlsx_response(f"acquisitions-{year}-{month:%m}", _report_sheets(data))
    return render(request, "acquisitions/staff/report.html", {"report": data, "years": queries.years() or [year]})


def _report_sheets(data) -> list[Sheet]:
    headers = [_("Branch"), _("Requested (month)"), _("Requested (year)"), _("Ordered (month)"),
               _("Ordered (year)"), _("Received (month)"), _("Received (year)"), _("On shelf"), _("Cancelled"),
               _("Late"), _("Donated"), _("Budget"), _("Committed"), _("Spent"), _("Free"), _("Used %")]

    def cells(row):
        return [row.branch.name_th if row.branch else _("Total"), row.requested_month, row.requested,
                row.ordered_month, row.ordered, row.received_month, row.received, row.on_shelf, row.cancelled,
                row.late, row.donated, row.budget, row.committed, row.spent, row.free, row.used_pct]

    notes = [_("Fiscal year {year}, month of {month}; figures as of {today}.").format(
        year=data.year, month=thai_date(data.month, long=True).split(" ", 1)[1], today=thai_date(data.today))]
    late = Sheet(_("Late deliveries"), [_("Order"), _("Vendor"), _("Branch"), _("Delivery due"), _("Copies outstanding")],
                 [[o.number, o.vendor.name, o.branch.name_th, o.expected_by, o.outstanding] for o in data.late_orders])
    return [Sheet(_("Follow-up"), headers, [cells(r) for r in data.rows], notes=notes, totals=cells(data.total)),
            late]
