"""Forms of the volunteers pages: the public application, the sign-in, and staff's decisions and roster."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.core.forms import DateInput, DateTimeInput, HoneypotField
from bkklib.network.models import District

from .models import Benefit, Role


class ApplicationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    national_id = forms.CharField(label=_("Thai national ID number"), max_length=20,
                                  help_text=_("13 digits; stored encrypted, seen only by the librarian in charge."))
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    email = forms.EmailField(label=_("Email"), required=False)
    district = forms.ModelChoiceField(label=_("District where you live"), queryset=District.objects.order_by("name_th"),
                                      to_field_name="code")
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    hours_per_week = forms.IntegerField(label=_("Hours a week you can give"), min_value=0, max_value=80)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False,
                             help_text=_("Separate with commas, e.g. storytelling, computers."))
    documents = forms.CharField(label=_("Documents you will bring"), max_length=300, required=False,
                                help_text=_("Separate with commas."))
    health_notes = forms.CharField(label=_("Health notes we should know (optional)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    guardian_consent = forms.BooleanField(label=_("I am under 18 and my parent or guardian consents"),
                                          required=False)
    guardian_name = forms.CharField(label=_("Parent's or guardian's name"), max_length=200, required=False)
    motivation = forms.CharField(label=_("Why you want to volunteer"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False, max_length=2000)
    consent = forms.BooleanField(label=_("I agree that the library keeps this data to select and manage volunteers "
                                         "(PDPA); it is deleted if I am not accepted."))
    website = HoneypotField()


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput, min_length=8)
    password2 = forms.CharField(label=_("The password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class SignInForm(forms.Form):
    code = forms.CharField(label=_("Volunteer code"), max_length=12)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class DecisionForm(forms.Form):
    ACTIONS = [("pass", _("Passed screening")), ("fail", _("Did not pass screening")),
               ("interview", _("Schedule an interview")), ("notes", _("Save interview notes")),
               ("accept", _("Accept as a volunteer")), ("reject", _("Do not accept"))]
    action = forms.ChoiceField(label=pgettext_lazy("volunteer application", "Action"), choices=ACTIONS)
    note = forms.CharField(label=_("Reason or notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    interview_at = forms.DateTimeField(label=_("Interview at"), widget=DateTimeInput, required=False)
    interview_place = forms.CharField(label=_("Interview place"), max_length=200, required=False)


class AgreementForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.filter(is_active=True))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput, required=False)
    hours_per_week = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=60, initial=4)
    duties = forms.CharField(label=_("Duties"), widget=forms.Textarea(attrs={"rows": 2}))
    notice_days = forms.IntegerField(label=_("Resignation notice (working days)"), min_value=0, max_value=60,
                                     initial=5)
    handover = forms.CharField(label=_("Handover checklist (one item a line)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class ShiftForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.filter(is_active=True))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput)
    places = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=50, initial=1)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class WelfareForm(forms.Form):
    benefit = forms.ModelChoiceField(label=_("Benefit"), queryset=Benefit.objects.all())
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    amount = forms.DecimalField(label=_("Amount (baht)"), min_value=0, max_digits=9, decimal_places=2, required=False,
                                help_text=_("Empty: the benefit's usual amount."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


def evaluation_form(form, data=None) -> forms.Form:
    """A form with one score field per criterion of evaluation ``form`` and a comment."""
    fields = {}
    for criterion in form.criteria.all():
        fields[f"score_{criterion.pk}"] = forms.IntegerField(
            label=f"{criterion.name} (0–{criterion.max_score}, ×{criterion.weight})", min_value=0,
            max_value=criterion.max_score)
    fields["comments"] = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    return type("EvaluationScoresForm", (forms.Form,), fields)(data, prefix="evaluation")
