"""Forms of the events app: public filters and guest registration; staff programme and attendance forms."""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core import forms as iso
from bkklib.core.collation import thai_ordered
from bkklib.core.images import PhotoField
from bkklib.network.models import Branch, District

from . import rules
from .models import Activity, AgeGroup, Festival, Gender, Project, ProjectTarget

PHONE_HELP = _("Mobile or landline, e.g. 0812345678.")


class EventFilterForm(forms.Form):
    """Filters of the public programme; bad values are reported, never an error page."""

    branch = forms.ModelChoiceField(label=_("Library"), queryset=Branch.objects.none(), required=False,
                                    to_field_name="code", empty_label=_("All libraries"))
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.order_by("code"),
                                      required=False, to_field_name="code", empty_label=_("All districts"))
    age = forms.IntegerField(label=_("Age of the participant"), required=False, min_value=0, max_value=120)
    festival = forms.ModelChoiceField(label=_("Festival"), queryset=Festival.objects.none(), required=False,
                                      empty_label=_("All festivals"))
    start = forms.DateField(label=_("From"), required=False, widget=iso.DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=iso.DateInput())

    def __init__(self, *args, festivals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(activities__status=Activity.Status.PUBLISHED).distinct()
        thai_ordered(self.fields["branch"])
        self.fields["festival"].queryset = festivals if festivals is not None else Festival.objects.all()
        self.fields["branch"].label_from_instance = lambda b: b.name_th
        self.fields["district"].label_from_instance = lambda d: d.name_th


class GuestForm(forms.Form):
    """Registration without a library card: name, phone, age group, consent (PDPA) and a honeypot."""

    name = forms.CharField(label=_("Participant's name"), max_length=200)
    phone = forms.RegexField(label=_("Phone"), regex=r"^0[0-9\- ]{8,14}$", max_length=20, help_text=PHONE_HELP,
                             error_messages={"invalid": _("Give a Thai phone number of 9 or 10 digits, starting with 0.")},
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED)
    wants_certificate = forms.BooleanField(label=_("I would like a certificate of participation"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the library keeps this name and phone number to manage this activity, call me about "
                "it and count participants; they are deleted 90 days after the activity."),
        error_messages={"required": _("Please agree to the use of your name and phone number for this activity.")})
    # Honeypot: hidden from people by CSS; robots fill every field.
    website = iso.HoneypotField()

    def clean_phone(self):
        return "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit())


class FestivalForm(iso.ModelForm):
    class Meta:
        model = Festival
        fields = ["year", "month", "name_th", "name_en", "theme", "starts_on", "ends_on"]


class ProjectForm(iso.ModelForm):
    class Meta:
        model = Project
        fields = ["fiscal_year", "name", "objectives", "budget", "target_activities"]


class TargetForm(iso.ModelForm):
    class Meta:
        model = ProjectTarget
        fields = ["age_group", "participants"]


TargetFormSet = iso.inlineformset_factory(Project, ProjectTarget, form=TargetForm, extra=4, max_num=4,
                                          can_delete=True)


class ActivityForm(iso.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "description", "branch", "place", "audience", "min_age", "max_age", "registration",
                  "capacity", "waitlist", "festival", "project", "organiser", "partner", "online_url", "status"]

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.fields["branch"].queryset = branches
        self.fields["branch"].label_from_instance = lambda b: b.name_th
        thai_ordered(self.fields["branch"])


class ActivityImageForm(forms.Form):
    image = PhotoField(label=_("Image"), required=False)


class ScheduleForm(forms.Form):
    """Add one session, or the same time every week until a date."""

    date = forms.DateField(label=_("Date"), widget=iso.DateInput())
    start = forms.TimeField(label=_("From"), widget=iso.TimeInput())
    end = forms.TimeField(label=_("Until"), widget=iso.TimeInput())
    weekly_until = forms.DateField(label=_("Repeat every week until"), required=False, widget=iso.DateInput(),
                                   help_text=_("Empty: one session only."))
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1,
                                  help_text=_("Empty: the activity's places per session."))
    room = forms.CharField(label=_("Room or place"), required=False, max_length=200)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Library card or registration code"), max_length=64,
                           widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))


class WalkInRegisterForm(forms.Form):
    """Staff registering someone at the desk: a card number, or a guest's details."""

    card = forms.CharField(label=_("Library card number"), max_length=40, required=False)
    name = forms.CharField(label=_("Guest's name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Guest's phone"), max_length=20, required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=[("", "—"), *AgeGroup.choices], required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED)
    consent = forms.BooleanField(label=_("The guest agreed to the use of their name and phone"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("card") and not (data.get("name") and data.get("phone")):
            raise forms.ValidationError(_("Scan a library card, or give the guest's name and phone."))
        return data


class WalkInCountForm(forms.Form):
    """Walk-ins counted at the door: one number per age group and gender."""

    def __init__(self, *args, initial_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for group in rules.AGE_GROUPS:
            for gender, gender_label in Gender.choices:
                self.fields[f"{group}__{gender}"] = forms.IntegerField(
                    label=f"{AgeGroup(group).label} · {gender_label}", min_value=0, max_value=10000, required=False,
                    initial=initial_counts.get((group, gender), 0))

    def grid(self) -> list[tuple[str, list]]:
        """Rows of (age group label, bound fields by gender), for a table at the door."""
        return [(AgeGroup(group).label, [self[f"{group}__{gender}"] for gender, _label in Gender.choices])
                for group in rules.AGE_GROUPS]

    def counts(self) -> dict[tuple[str, str], int]:
        return {tuple(key.split("__")): value or 0 for key, value in self.cleaned_data.items()}


class PhotoForm(forms.Form):
    photo = PhotoField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class OutcomeForm(forms.Form):
    outcome = iso.MultilineField(label=_("Outcome notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
