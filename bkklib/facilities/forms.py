"""Forms of the facilities staff pages: phone first (big touch targets, the camera for photos)."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import DateInput, ModelForm

from . import rules
from .models import AuditAnswer, Building, Floor, Room, Species, TreeSite, WorkPhoto

CAMERA = {"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}


class BuildingForm(ModelForm):
    class Meta:
        model = Building
        fields = ["branch", "name_th", "area_m2", "year_built_be", "owner", "owner_note", "accessibility_summary"]

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.fields["branch"].queryset = branches


class FloorForm(ModelForm):
    class Meta:
        model = Floor
        fields = ["level", "name_th", "area_m2"]


class RoomForm(ModelForm):
    class Meta:
        model = Room
        fields = ["floor", "name_th", "area_m2", "space"]

    def __init__(self, *args, building=None, **kwargs):
        super().__init__(*args, **kwargs)
        if building is not None:
            from bkklib.spaces.models import Space

            self.fields["floor"].queryset = building.floors.all()
            self.fields["space"].queryset = Space.objects.filter(branch=building.branch)


class AnswerForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AuditAnswer.Result.choices, widget=forms.RadioSelect)
    measured_value = forms.DecimalField(label=_("Measured value"), required=False, min_value=0, max_digits=9,
                                        decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                                                          "step": "any"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.ClearableFileInput(attrs=CAMERA),
                            help_text=_("Take a photo with the phone's camera or choose one (JPEG, PNG, WebP)."))


class RaiseWorkForm(forms.Form):
    gaps = forms.ModelMultipleChoiceField(label=_("Gaps the work will close"), queryset=AuditAnswer.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("Title of the work"), required=False, max_length=200,
                            help_text=_("Empty: named after the gaps."))

    def __init__(self, *args, gaps=None, **kwargs):
        super().__init__(*args, **kwargs)
        if gaps is not None:
            self.fields["gaps"].queryset = gaps
            self.fields["gaps"].label_from_instance = lambda a: a.item.topic_th


class ProposeWorkForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False)
    title = forms.CharField(label=_("Title of the work"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, branches, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["building"].queryset = buildings


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"))
    fiscal_year = forms.IntegerField(label=_("Fiscal year (B.E.)"), required=False, min_value=2500, max_value=2700)
    budget = forms.DecimalField(label=_("Budget (baht)"), required=False, min_value=Decimal("0.01"), max_digits=12,
                                decimal_places=2)
    contractor = forms.CharField(label=_("Contractor"), required=False, max_length=200)
    contract_no = forms.CharField(label=_("Contract number"), required=False, max_length=60)
    starts_on = forms.DateField(label=_("Work starts"), required=False, widget=DateInput())
    completed_on = forms.DateField(label=_("Completed on"), required=False,
                                   widget=DateInput())
    inspected_on = forms.DateField(label=_("Inspected on"), required=False,
                                   widget=DateInput())

    def __init__(self, *args, status: str, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, labels[s]) for s in rules.next_states(status)]


class WorkPhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=WorkPhoto.Stage.choices)
    photo = forms.FileField(label=_("Photo"), widget=forms.ClearableFileInput(attrs=CAMERA))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class WorkDocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200)
    file = forms.FileField(label=_("File"))


class TreeSiteForm(ModelForm):
    class Meta:
        model = TreeSite
        fields = ["branch", "name_th", "kind", "latitude", "longitude", "area_m2", "soil", "sun", "surveyed_on",
                  "note"]

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.fields["branch"].queryset = branches


class PlantingForm(forms.Form):
    species = forms.ModelChoiceField(label=_("Species"), queryset=Species.objects.all())
    planned = forms.IntegerField(label=_("Trees planned"), min_value=1)


class PlantedForm(forms.Form):
    planted = forms.IntegerField(label=_("Trees planted"), min_value=1)
    planted_on = forms.DateField(label=_("Planted on"), widget=DateInput())


class SurvivalForm(forms.Form):
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    alive = forms.IntegerField(label=_("Alive"), min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
