"""Forms of the acquisitions pages; each parses input for one service call."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core import forms as core_forms
from bkklib.core.forms import HoneypotField

from . import rules
from .models import Donation, Vendor

ALLOCATION_ROWS = 3


class VendorForm(forms.Form):
    """A vendor's details; the tax ID is checked by the service (``stdnum.th.tin``)."""

    FIELDS = ["name", "tax_id", "contact_name", "phone", "email", "address", "delivery_days", "terms", "is_active"]

    name = forms.CharField(label=_("Name"), max_length=200)
    tax_id = forms.CharField(label=_("Tax ID"), max_length=17)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    delivery_days = forms.IntegerField(label=_("Delivery within (days)"), min_value=0, max_value=365, initial=30)
    terms = forms.CharField(label=_("Delivery and payment terms"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class FundForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    code = forms.SlugField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    budget = forms.DecimalField(label=_("Budget (baht)"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class TransferForm(forms.Form):
    source = forms.ModelChoiceField(label=_("From fund"), queryset=None)
    target = forms.ModelChoiceField(label=_("To fund"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (baht)"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = funds
        self.fields["target"].queryset = funds


class OverrideForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None)
    amount = forms.DecimalField(label=_("May go below zero by (baht)"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Reason and approval reference"), max_length=300)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class CloseYearForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year to close (BE)"), min_value=2500, max_value=2700)
    rule = forms.ChoiceField(label=_("Roll-over"), choices=[
        ("commitments", _("Carry copies still on order, with their money")),
        ("commitments_and_free", _("Carry copies on order and the unspent budget")),
        ("nothing", _("Cancel copies still on order; carry nothing")),
    ])


class RequestForm(forms.Form):
    """A suggestion to buy a book: the patron's (public) and staff's."""

    title = forms.CharField(label=_("Book title"), max_length=500)
    author = forms.CharField(label=_("Author"), max_length=300, required=False)
    isbn = forms.CharField(label=_("ISBN (if known)"), max_length=17, required=False)
    note = forms.CharField(label=_("Why this book? (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublicRequestForm(RequestForm):
    website = HoneypotField()


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason the reader is told"), max_length=300, required=False)


class OrderForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.filter(is_active=True).order_by("name"))
    branch = forms.ModelChoiceField(label=_("Ordering branch"), queryset=None)
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, branches, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["year"].choices = [(y, y) for y in years]


class LineForm(forms.Form):
    """A title on a selection list: an existing record (by id) or a brief one; copies per branch and fund."""

    record = forms.IntegerField(label=_("Catalog record number (if in the catalog)"), required=False, min_value=1)
    title = forms.CharField(label=_("Title (for a new brief record)"), max_length=500, required=False)
    author = forms.CharField(label=_("Author"), max_length=300, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=17, required=False)
    request = forms.ModelChoiceField(label=_("For the request"), queryset=None, required=False)
    quantity = forms.IntegerField(label=_("Quantity"))
    unit_price = forms.DecimalField(label=_("Unit price (baht)"), max_digits=12, decimal_places=2)
    discount_pct = forms.DecimalField(label=_("Discount (%)"), max_digits=5, decimal_places=2, initial=0,
                                      required=False)
    vat_pct = forms.DecimalField(label=_("VAT (%)"), max_digits=5, decimal_places=2, initial=0, required=False)

    def __init__(self, *args, branches, funds, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = requests
        for i in range(1, ALLOCATION_ROWS + 1):
            self.fields[f"branch_{i}"] = forms.ModelChoiceField(label=_("Branch {n}").format(n=i), queryset=branches,
                                                                required=False)
            self.fields[f"fund_{i}"] = forms.ModelChoiceField(label=_("Fund {n}").format(n=i), queryset=funds,
                                                              required=False)
            self.fields[f"shelf_{i}"] = forms.CharField(label=_("Shelving location {n}").format(n=i), max_length=100,
                                                        required=False)
            self.fields[f"copies_{i}"] = forms.IntegerField(label=_("Copies {n}").format(n=i), min_value=0,
                                                            required=False)

    def allocations(self) -> list[tuple]:
        rows = []
        for i in range(1, ALLOCATION_ROWS + 1):
            d = self.cleaned_data
            if d.get(f"copies_{i}"):
                if not (d.get(f"branch_{i}") and d.get(f"fund_{i}")):
                    raise forms.ValidationError(_("Row {n}: choose a branch and a fund for the copies.").format(n=i))
                rows.append((d[f"branch_{i}"], d[f"fund_{i}"], d.get(f"shelf_{i}") or "", d[f"copies_{i}"]))
        return rows


class InvoiceForm(forms.Form):
    number = forms.CharField(label=_("Vendor's invoice number"), max_length=50)
    invoiced_on = forms.DateField(label=_("Invoice date"), widget=core_forms.DateInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DonationForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    donor_name = forms.CharField(label=_("Donor"), max_length=200)
    donor_contact = forms.CharField(label=_("Donor's address or contact"), max_length=300, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=core_forms.DateInput)
    count = forms.IntegerField(label=_("Number of books"), min_value=1)
    condition = forms.ChoiceField(label=_("Condition"), choices=Donation.Condition.choices,
                                  initial=Donation.Condition.GOOD)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class DecideDonationForm(forms.Form):
    accepted_count = forms.IntegerField(label=_("Books accepted"), min_value=0)
    note = forms.CharField(label=_("Note (why some are declined)"), max_length=300, required=False)


class DonatedCopiesForm(forms.Form):
    record = forms.IntegerField(label=_("Catalog record number (if in the catalog)"), required=False, min_value=1)
    title = forms.CharField(label=_("Title (for a new brief record)"), max_length=500, required=False)
    author = forms.CharField(label=_("Author"), max_length=300, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=17, required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1)
    shelving_location = forms.CharField(label=_("Shelving location"), max_length=100, required=False)


def inspections(post, line_ids) -> dict[int, rules.Inspection]:
    """Read the delivery form's counts per line (``received_<id>``, ``short_<id>``...); blanks are 0."""
    found = {}
    for line_id in line_ids:
        values = {}
        for name in ("received", "short", "damaged", "wrong_title"):
            raw = (post.get(f"{name}_{line_id}") or "0").strip() or "0"
            try:
                values[name] = int(raw)
            except ValueError:
                values[name] = -1  # refused by rules.check_inspection with its Thai message
        if any(values.values()):
            found[line_id] = rules.Inspection(**values)
    return found


def as_decimal(value) -> Decimal:
    return Decimal(value or 0)
