"""Forms of the staff pages: they parse and check input; the services change the world."""
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bkklib.core import forms as iso
from bkklib.core.collation import thai_ordered

from . import queries, rules, services
from .exceptions import INVALID_EMAIL, UNKNOWN_DISTRICT, closure_error, coverage_range_error
from .models import Branch, District, OpeningPeriod, OrgUnit, OrgVersion, Service


class DistrictField(forms.ModelChoiceField):
    """A district chosen by its code (the select's values are codes) or typed as a code or a Thai/English name.

    The select posts the code, never the row id: an id such as 1051 would read as a district code.
    """

    default_error_messages = {"invalid_choice": UNKNOWN_DISTRICT}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):  # a model form's initial value is the row id: show it as its code
            return District.objects.filter(pk=value).values_list("code", flat=True).first()
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        match = find_district(text)
        if match is None:
            raise ValidationError(str(UNKNOWN_DISTRICT).format(value=text), code="invalid_choice")
        return match

    def validate(self, value):
        forms.Field.validate(self, value)


def find_district(text: str) -> District | None:
    """Return the district named by ``text``: a code 1001–1050, or a Thai or English name (เขต optional)."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return District.objects.filter(code=text).first()
    name = text.removeprefix("เขต").strip()
    return (District.objects.filter(name_th=name).first()
            or District.objects.filter(name_en__iexact=name).first()
            or District.objects.filter(name_en__iexact=name.replace("-", " ")).first())


class BranchForm(iso.ModelForm):
    """A branch's basic data; ``verify`` also confirms it correct as of today."""

    district = DistrictField(queryset=District.objects.all(), label=_("district"))
    email = forms.EmailField(label=_("email"), required=False, error_messages={"invalid": INVALID_EMAIL})
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    facebook = forms.URLField(label=_("Facebook page"), required=False, assume_scheme="https")
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("services"))
    verify = forms.BooleanField(
        required=False, label=_("I have checked all of this: confirm it correct as of today"))

    class Meta:
        model = Branch
        fields = list(services.BASIC_FIELDS) + ["services"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Branch.objects.exclude(kind=Branch.Kind.READING_HOUSE)
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)
        thai_ordered(self.fields["parent"])
        thai_ordered(self.fields["district"])
        if self.instance.district_id:
            self.initial.setdefault("district", self.instance.district_id)

    def clean_district(self):
        return self.cleaned_data["district"]

    def changes(self) -> dict:
        """Return the basic-data values to hand to ``services.update_branch``."""
        return {name: self.cleaned_data[name] for name in services.BASIC_FIELDS if name in self.cleaned_data}


class PeriodForm(forms.Form):
    """One opening period of a weekday."""

    # A blank first choice: an untouched spare row stays unchanged, so the formset ignores it.
    weekday = forms.TypedChoiceField(choices=[("", "—"), *OpeningPeriod.Weekday.choices], coerce=int,
                                     empty_value=None, label=_("weekday"))
    opens_at = forms.TimeField(label=_("opens at"), widget=iso.TimeInput())
    closes_at = forms.TimeField(label=_("closes at"), widget=iso.TimeInput())


class BasePeriodFormSet(forms.BaseFormSet):
    """All of a branch's weekly periods; closing before opening and overlaps are field errors."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The rows are table cells without their own <label>: name each control for screen readers.
        row = _("period {number}").format(number=(index or 0) + 1)
        for name, field in form.fields.items():
            label = _("delete") if name == "DELETE" else field.label
            field.widget.attrs["aria-label"] = f"{label}, {row}"

    def periods(self) -> list[rules.Period]:
        """Return the periods kept (filled and not deleted), in form order."""
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", None) or {}
            if {"weekday", "opens_at", "closes_at"} <= data.keys():
                kept.append((form, rules.Period(data["weekday"], data["opens_at"], data["closes_at"])))
        return kept

    def clean(self):
        if any(self.errors):
            return
        kept = self.periods()
        periods = [p for _form, p in kept]
        for problem in rules.hours_problems(periods):
            form = kept[problem.index][0]
            form.add_error(problem.field, services.hours_problem_text(problem, periods))

    def cleaned_periods(self) -> list[rules.Period]:
        return [p for _form, p in self.periods()]


PeriodFormSet = forms.formset_factory(PeriodForm, formset=BasePeriodFormSet, extra=2, can_delete=True)


def period_initial(branch: Branch) -> list[dict]:
    """Return the formset's initial rows from a branch's current hours."""
    return [{"weekday": p.weekday, "opens_at": p.opens_at, "closes_at": p.closes_at}
            for p in branch.opening_periods.all()]


class ClosureForm(forms.Form):
    """A branch closure: first and last closed day, and why."""

    starts_on = forms.DateField(label=_("first closed day"), widget=iso.DateInput())
    ends_on = forms.DateField(label=_("last closed day"), widget=iso.DateInput())
    reason_th = forms.CharField(label=_("reason (Thai)"), max_length=200)
    reason_en = forms.CharField(label=_("reason (English)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on"):
            error = closure_error(data["starts_on"], data["ends_on"])
            if error:
                self.add_error("ends_on", error)
        return data


class StaffingForm(forms.Form):
    """The minimum staff of a branch for each weekday (0: no requirement)."""

    def __init__(self, *args, branch: Branch, **kwargs):
        super().__init__(*args, **kwargs)
        current = {lvl.weekday: lvl.minimum_staff for lvl in branch.staffing_levels.all()}
        for value, label in OpeningPeriod.Weekday.choices:
            self.fields[f"day_{value}"] = forms.IntegerField(
                label=label, min_value=0, max_value=200, initial=current.get(value, 0))

    def minimums(self) -> dict[int, int]:
        return {value: self.cleaned_data[f"day_{value}"] for value, _label in OpeningPeriod.Weekday.choices}


class BranchFilterForm(forms.Form):
    """Filters of the staff branch list."""

    STALENESS = [("", _("any")), ("stale", _("stale")), ("fresh", _("up to date"))]

    q = forms.CharField(label=_("name or code"), required=False)
    district = thai_ordered(forms.ModelChoiceField(queryset=District.objects.all(), required=False,
                                                   label=_("district"), to_field_name="code"))
    kind = forms.ChoiceField(choices=[("", _("any"))] + list(Branch.Kind.choices), required=False, label=_("kind"))
    service = thai_ordered(forms.ModelChoiceField(queryset=Service.objects.all(), required=False,
                                                  label=_("service"), to_field_name="code"))
    staleness = forms.ChoiceField(choices=STALENESS, required=False, label=_("data freshness"))


class CoverageForm(forms.Form):
    """The date range of the coverage page (one week from today by default)."""

    start = forms.DateField(label=_("from"), widget=iso.DateInput())
    end = forms.DateField(label=_("to"), widget=iso.DateInput())

    MAX_DAYS = rules.MAX_COVERAGE_DAYS

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            error = coverage_range_error(start, end)
            if error:
                self.add_error("end", error)
        return data

    @classmethod
    def default_range(cls):
        today = timezone.localdate()
        return today, today + timedelta(days=6)


class SecondmentForm(forms.Form):
    """Accept one proposed secondment (hidden fields of the proposal)."""

    staff = forms.IntegerField(widget=forms.HiddenInput)
    from_branch = forms.IntegerField(widget=forms.HiddenInput)
    to_branch = forms.IntegerField(widget=forms.HiddenInput)
    starts_on = forms.DateField(widget=forms.HiddenInput)
    ends_on = forms.DateField(widget=forms.HiddenInput)


class DraftForm(forms.Form):
    """Start drafting a restructuring (a copy of the structure in force)."""

    name_th = forms.CharField(label=_("name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.Form):
    """The day a drafted structure takes effect."""

    effective_from = forms.DateField(label=_("takes effect on"), widget=iso.DateInput())


class UnitForm(forms.Form):
    """Add a unit to a draft structure."""

    code = forms.SlugField(label=_("code"), max_length=40)
    name_th = forms.CharField(label=_("name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(choices=OrgUnit.Kind.choices, label=_("kind"), initial=OrgUnit.Kind.GROUP)
    parent = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("parent unit"))

    def __init__(self, *args, version: OrgVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = version.units.all()
        thai_ordered(self.fields["parent"])


class RenameUnitForm(forms.Form):
    """Rename a unit of a draft structure."""

    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))
    name_th = forms.CharField(label=_("new name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("new name (English)"), max_length=200, required=False)

    def __init__(self, *args, version: OrgVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = version.units.all()
        thai_ordered(self.fields["unit"])


class PlaceBranchForm(forms.Form):
    """Move a branch to another unit of a draft structure."""

    branch = thai_ordered(forms.ModelChoiceField(queryset=Branch.objects.all(), label=_("branch"),
                                                 to_field_name="code"))
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("unit"))

    def __init__(self, *args, version: OrgVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = version.units.all()
        thai_ordered(self.fields["unit"])


class PickupSelect(forms.Select):
    """A pickup-branch select: nearby branches in a first group, a search box added by branch_filter.js.

    Without JavaScript it is a plain select whose first group is the patron's home and nearby
    branches; with it, typing part of a name (Thai or English) or a district narrows the list.
    """

    class Media:
        js = [forms.Script("network/branch_filter.js", defer=True)]

    def __init__(self, attrs=None):
        super().__init__({
            "data-filter": "", "data-filter-label": _("Find a library by name or district"),
            "data-filter-placeholder": _("Type a library or district name"),
            "data-filter-count": _("{n} libraries match"), **(attrs or {}),
        })
        self.search_text: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        words = self.search_text.get(str(value))
        if words:
            option["attrs"]["data-search"] = words
        return option


class PickupBranchField(forms.ModelChoiceField):
    """Where a patron collects a hold: only pickup points validate; ordered by ``pickup_points_near``."""

    widget = PickupSelect
    default_error_messages = {
        "invalid_choice": _("This library does not take holds for pickup: choose one from the list."),
    }

    def __init__(self, *, pickup: "queries.PickupChoices | None" = None, **kwargs):
        kwargs.setdefault("label", _("Pickup branch"))
        super().__init__(queryset=queries.pickup_points(), **kwargs)
        if pickup is not None:
            self.set_pickup(pickup)

    def set_pickup(self, pickup: "queries.PickupChoices") -> None:
        """Show ``pickup``'s order: a group of the home and nearby branches, then the others."""
        def option(branch):
            label = branch.name_th
            if pickup.home is not None and branch.pk == pickup.home.pk:
                label = _("{name} (your library)").format(name=branch.name_th)
            elif branch.pk in pickup.distances:
                label = _("{name} ({km} km)").format(name=branch.name_th, km=f"{pickup.distances[branch.pk]:.1f}")
            return (self.prepare_value(branch), label)

        groups = []
        if pickup.nearby:
            groups.append((_("Your library and nearby"), [option(b) for b in pickup.nearby]))
        groups.append((_("All other libraries (ก–ฮ)") if pickup.nearby else "", [option(b) for b in pickup.others]))
        self.choices = groups if pickup.nearby else groups[0][1]
        self.widget.search_text = {
            str(self.prepare_value(b)): " ".join(filter(None, [b.name_en, b.district.name_th, b.district.name_en]))
            for b in pickup
        }
