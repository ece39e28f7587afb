"""Forms of staff's set-up pages: recruitment calls, criteria, benefits, evaluation forms and their criteria."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import ModelForm
from bkklib.network import access
from bkklib.network.models import Branch, District

from .models import Benefit, Call, Criteria, EvaluationForm, Role


class CallForm(ModelForm):
    """A call of one of the user's branches (or reading houses) for a role, on a set of criteria."""

    class Meta:
        model = Call
        fields = ["branch", "role", "criteria", "title", "description", "wanted", "opens_on", "closes_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        perm = "volunteers.change_call" if self.instance.pk else "volunteers.add_call"
        self.fields["branch"].queryset = (access.branches_for(user, perm) if user is not None
                                          else Branch.objects.none()).order_by("name_th")
        self.fields["branch"].label = _("Branch or reading house")
        roles = Role.objects.filter(is_active=True)
        if self.instance.pk:
            roles = Role.objects.filter(is_active=True) | Role.objects.filter(pk=self.instance.role_id)
        self.fields["role"].queryset = roles.distinct()

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("A call cannot close before it opens."))
        return data


class CriteriaForm(ModelForm):
    class Meta:
        model = Criteria
        fields = ["name", "min_age", "consent_below_age", "max_age", "districts", "min_hours_per_week", "skills",
                  "documents"]
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = District.objects.order_by("name_th")

    def clean(self):
        data = super().clean()
        if data.get("max_age") is not None and data.get("min_age") is not None and data["max_age"] < data["min_age"]:
            self.add_error("max_age", _("The maximum age cannot be below the minimum age."))
        return data


class RoleForm(ModelForm):
    """A kind of volunteer work; whether a shift in it counts towards a branch's minimum staff."""

    class Meta:
        model = Role
        fields = ["name_th", "name_en", "duties", "counts_in_coverage", "is_active"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}


class BenefitForm(ModelForm):
    class Meta:
        model = Benefit
        fields = ["name_th", "kind", "amount", "in_force_from", "in_force_until"]

    def clean(self):
        data = super().clean()
        start, end = data.get("in_force_from"), data.get("in_force_until")
        if start and end and end < start:
            self.add_error("in_force_until", _("A benefit cannot end before it starts."))
        return data


class EvaluationFormForm(ModelForm):
    class Meta:
        model = EvaluationForm
        fields = ["name", "period_start", "period_end", "pass_mark"]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if data.get("pass_mark") is not None and data["pass_mark"] > 100:
            self.add_error("pass_mark", _("The renewal score is out of 100."))
        return data


class CriterionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, required=False,
                                help_text=_("Relative: a criterion of weight 2 counts twice one of weight 1."))
    max_score = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and (data.get("weight") is None or data.get("max_score") is None):
            self.add_error("weight" if data.get("weight") is None else "max_score",
                           _("Give the criterion its weight and highest score."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)
