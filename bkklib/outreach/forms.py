"""Forms of the outreach staff pages; decisions stay in services and rules."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.core.forms import DateInput
from bkklib.core.images import PhotoField
from bkklib.network.models import Branch

from .models import Stop


class DepositForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30)
    from_branch = forms.ModelChoiceField(Branch.objects.none(), label=_("Sending library"))
    reading_house = forms.ModelChoiceField(Branch.objects.filter(kind=Branch.Kind.READING_HOUSE),
                                           label=_("Reading house"))
    due_back_on = forms.DateField(label=_("Due back on"), widget=DateInput)
    barcodes = forms.CharField(label=_("Item barcodes, one per line"), widget=forms.Textarea(attrs={"rows": 8}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_branch"].queryset = branches if branches is not None else Branch.objects.none()

    def barcode_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["barcodes"].splitlines() if line.strip()]


class VisitForm(forms.Form):
    """A visit record's counts; a plain form: ``services.record_visit`` writes it (adds to the day's record)."""

    branch = forms.ModelChoiceField(Branch.objects.none(), label=_("Reading house or vehicle"))
    stop = forms.ModelChoiceField(Stop.objects.none(), label=_("Stop"), required=False)
    day = forms.DateField(label=_("Day"), widget=DateInput)
    children = forms.IntegerField(label=_("Children (under 13)"), min_value=0, max_value=10000, initial=0)
    youth = forms.IntegerField(label=_("Youth (13–24)"), min_value=0, max_value=10000, initial=0)
    adults = forms.IntegerField(label=_("Adults (25–59)"), min_value=0, max_value=10000, initial=0)
    elderly = forms.IntegerField(label=_("Elderly (60+)"), min_value=0, max_value=10000, initial=0)
    activities = forms.CharField(label=_("Activities held"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = PhotoField(label=_("Photo"), required=False)

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches if branches is not None else Branch.objects.none()
        self.fields["stop"].queryset = Stop.objects.public().order_by("name_th")


class VolunteerForm(forms.Form):
    branch = forms.ModelChoiceField(Branch.objects.none(), label=_("Reading house or vehicle"))
    display_name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), min_length=8, widget=forms.PasswordInput(render_value=False))

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches if branches is not None else Branch.objects.none()


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), max_length=300, required=False)
    retry = forms.BooleanField(label=_("Apply the action again now"), required=False)


class StatisticsForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)
    by = forms.ChoiceField(label=pgettext_lazy("statistics", "By"),
                           choices=[("place", _("vehicle or reading house")), ("stop", _("stop")),
                                    ("district", _("district")), ("month", _("month"))])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end must not be before the start."))
        return data
