"""Forms of the staff pages: they parse and render; the services decide and change."""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core import forms as iso
from bkklib.core.collation import thai_ordered
from bkklib.core.models import MessageTemplate
from bkklib.network import queries as network_queries
from bkklib.network.forms import PickupBranchField
from bkklib.network.models import Branch

from .models import Consent, Fine, Patron, Receipt


class PatronForm(iso.ModelForm):
    """A patron's details at the desk (registration and changes)."""

    consent_purposes = forms.MultipleChoiceField(
        label=_("Consent (PDPA)"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[c for c in Consent.Purpose.choices if c[0] != Consent.Purpose.MEMBERSHIP],
        help_text=_("Membership and lending is always included; tick what the patron also agrees to."),
    )
    guardian_card = forms.CharField(label=_("Guardian's card number"), required=False,
                                    help_text=_("Required for a child: the guardian gives the consent."))
    notice_channels = forms.MultipleChoiceField(
        label=_("Send notices by"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("email", _("email")), ("line", "LINE"), ("sms", "SMS")])
    pin = forms.CharField(label=_("PIN for the website (4–6 digits)"), required=False, max_length=6,
                          widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = Patron
        fields = ["category", "first_name_th", "last_name_th", "first_name_en", "last_name_en", "id_type",
                  "national_id", "passport_number", "passport_country", "other_document", "birth_date", "phone",
                  "email", "line_user_id", "address", "district", "home_branch", "language", "note"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}),
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("national_id", "passport_number", "passport_country", "other_document"):
            self.fields[name].required = False
        self.fields["home_branch"].required = False
        self.fields["home_branch"].queryset = Branch.objects.all()
        thai_ordered(self.fields["home_branch"])
        thai_ordered(self.fields["district"])
        thai_ordered(self.fields["category"])


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received (baht)"), max_digits=10, decimal_places=2, min_value=0.01)
    method = forms.ChoiceField(label=_("Method"), choices=Receipt.Method.choices)
    fines = forms.ModelMultipleChoiceField(label=_("Pay these charges"), queryset=Fine.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("None ticked: the oldest charges first."))

    def __init__(self, *args, patron, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fines"].queryset = patron.fines.filter(settled_at__isnull=True).order_by("created_at")


class WaiverForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to waive (baht)"), max_digits=10, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the block"), max_length=200)


class HoldForm(forms.Form):
    target = forms.CharField(label=_("Item barcode or record number"), max_length=40)
    pickup_branch = PickupBranchField()
    item_only = forms.BooleanField(label=_("This copy only"), required=False)

    def __init__(self, *args, patron: Patron | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if patron is not None:  # to show: the patron's home and nearby branches first
            self.fields["pickup_branch"].set_pickup(network_queries.pickup_points_near(patron.home_branch))


class ApproveForm(forms.Form):
    document_checked = forms.CharField(label=_("Document checked"), max_length=100,
                                       initial=_("Thai national ID card"))


class TemplateForm(iso.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["subject_th", "body_th", "subject_en", "body_en"]
        widgets = {"body_th": forms.Textarea(attrs={"rows": 8}), "body_en": forms.Textarea(attrs={"rows": 8})}


class CashUpSignOffForm(forms.Form):
    counted_cash = forms.DecimalField(label=_("Cash counted in the drawer (baht)"), min_value=0, max_digits=12,
                                      decimal_places=2)
    note = forms.CharField(label=_("Note (e.g. why the cash differs)"), max_length=200, required=False)
