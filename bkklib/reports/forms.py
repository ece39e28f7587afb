"""Forms of the reports app: the rebuild of a past period and a monthly e-mail subscription."""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import DateInput, ModelForm
from bkklib.network import access
from bkklib.network.models import Branch

from .models import Subscription


class RebuildForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("For example: loans of October imported late."))


class SubscriptionForm(ModelForm):
    class Meta:
        model = Subscription
        fields = ["report", "branch"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_perm("reports.view_dashboard"):
            self.fields["branch"].queryset = Branch.objects.order_by("code")
        else:
            self.fields["branch"].queryset = access.branches_for(user, "reports.view_reports").order_by("code")
        self.fields["branch"].required = not user.has_perm("reports.view_dashboard")

    def clean(self):
        data = super().clean()
        if data.get("report") == Subscription.Report.FISCAL_YEAR and not self.user.has_perm("reports.view_dashboard"):
            raise forms.ValidationError(_("The fiscal-year summary is for those who see the whole network."))
        branch = data.get("branch")
        exists = Subscription.objects.filter(user=self.user, report=data.get("report"), branch=branch)
        if self.instance.pk:  # editing a subscription: itself is not a duplicate
            exists = exists.exclude(pk=self.instance.pk)
        if exists.exists():
            raise forms.ValidationError(_("You are already subscribed to this report."))
        return data

    def save(self, commit=True):
        self.instance.user = self.user
        return super().save(commit)
