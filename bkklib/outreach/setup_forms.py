"""Forms of the set-up pages: vehicles, the maintenance log, routes, stops, timetables.

Plain forms: field types and the checks one form can make alone (departure after arrival, weekday
or date, both coordinates) answer at once in Thai; the verbs in ``setup`` check the rest (codes
and plates taken, a point outside Bangkok, a vehicle due at two stops at once) and their refusal
lands on the field it names.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import DateInput, TimeInput
from bkklib.network.models import Branch, District

from .models import Route, Stop, Timetable, Vehicle

PLATE_HELP = _("For example 40-1234 กรุงเทพมหานคร or 1กข 1234.")


def initial_of(instance, names) -> dict:
    """The form's initial values from a stored row (foreign keys as rows)."""
    return {name: getattr(instance, name) for name in names}


class VehicleForm(forms.Form):
    unit = forms.ModelChoiceField(Branch.objects.none(), label=_("Mobile unit (branch)"),
                                  help_text=_("The network branch of kind mobile unit whose items the vehicle carries."))
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=120)
    plate = forms.CharField(label=_("Licence plate"), max_length=30, help_text=PLATE_HELP)
    kind = forms.ChoiceField(label=_("Kind"), choices=Vehicle.Kind.choices)
    capacity = forms.IntegerField(label=_("Capacity (books)"), min_value=0, max_value=100000)
    status = forms.ChoiceField(label=_("Status"), choices=Vehicle.Status.choices)

    FIELDS = ("name_th", "plate", "kind", "capacity", "status")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:  # editing: the unit stays
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units


class MaintenanceForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput, required=False,
                              help_text=_("Empty while the work goes on."))
    work = forms.CharField(label=_("Work done"), max_length=300)
    cost = forms.DecimalField(label=_("Cost (baht)"), max_digits=10, decimal_places=2, min_value=0, required=False)

    FIELDS = ("starts_on", "ends_on", "work", "cost")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The maintenance cannot end before it starts."))
        return data


class RouteForm(forms.Form):
    vehicle = forms.ModelChoiceField(Vehicle.objects.none(), label=_("Vehicle"))
    code = forms.SlugField(label=_("Code"), max_length=30, help_text=_("Latin letters, digits and dashes."))
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("An inactive route's stops get no trips and leave the public pages."))

    FIELDS = ("vehicle", "code", "name_th", "name_en", "is_active")

    def __init__(self, *args, vehicles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles if vehicles is not None else Vehicle.objects.none()


class StopForm(forms.Form):
    route = forms.ModelChoiceField(Route.objects.none(), label=_("Route"))
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Latin letters, digits and dashes."))
    name_th = forms.CharField(label=_("Place (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Place (English)"), max_length=200, required=False)
    district = forms.ModelChoiceField(District.objects.order_by("name_th"), label=_("District"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
                                  min_value=-90, max_value=90, help_text=_("For example 13.756300"))
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
                                   min_value=-180, max_value=180, help_text=_("For example 100.501800"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Stop.Audience.choices)
    is_pickup_point = forms.BooleanField(label=_("Hold pickup place"), required=False,
                                         help_text=_("Readers may reserve books and collect them at this stop."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("An inactive stop gets no trips and leaves the public pages."))

    FIELDS = ("route", "code", "name_th", "name_en", "district", "address", "latitude", "longitude",
              "contact_name", "contact_phone", "audience", "is_pickup_point", "is_active")

    def __init__(self, *args, routes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = routes if routes is not None else Route.objects.none()

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
                self.has_error("latitude") or self.has_error("longitude")):
            self.add_error("longitude" if data.get("longitude") is None else "latitude",
                           _("Give both latitude and longitude, or neither."))
        return data


WEEKDAY_CHOICES = [("", _("— one date only —")), *[(str(v), label) for v, label in Timetable.Weekday.choices]]


class TimetableForm(forms.Form):
    stop = forms.ModelChoiceField(Stop.objects.none(), label=_("Stop"))
    weekday = forms.TypedChoiceField(label=_("Every week on"), choices=WEEKDAY_CHOICES, coerce=int,
                                     empty_value=None, required=False)
    on_date = forms.DateField(label=_("Or on one date"), widget=DateInput, required=False)
    arrives_at = forms.TimeField(label=_("Arrives at"), widget=TimeInput)
    departs_at = forms.TimeField(label=_("Departs at"), widget=TimeInput)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput, required=False,
                                  help_text=_("Empty: until further notice."))

    FIELDS = ("stop", "weekday", "on_date", "arrives_at", "departs_at", "valid_from", "valid_until")

    def __init__(self, *args, stops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stop"].queryset = stops if stops is not None else Stop.objects.none()

    def clean(self):
        data = super().clean()
        if "weekday" in data and "on_date" in data and (data["weekday"] is None) == (data["on_date"] is None):
            self.add_error("weekday", _("Choose either a weekday (every week) or one date, not both and not neither."))
        if data.get("arrives_at") and data.get("departs_at") and data["departs_at"] <= data["arrives_at"]:
            self.add_error("departs_at", _("The vehicle must leave after it arrives: departure {departs} is not after "
                                           "arrival {arrives}.").format(departs=f"{data['departs_at']:%H:%M}",
                                                                        arrives=f"{data['arrives_at']:%H:%M}"))
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The timetable cannot end before it starts."))
        return data
