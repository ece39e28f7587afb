"""Forms of the spaces pages: the public booking step, staff walk-in/repeat bookings, blocks, photos."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import DateInput, HoneypotField, TimeInput
from bkklib.core.images import PhotoField

from .models import Space


class BookForm(forms.Form):
    """Step 2 of the public booking: how long, how many people, what for (the slot comes from the grid)."""

    space = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M"])
    slots = forms.TypedChoiceField(label=_("How long"), coerce=int)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=500, initial=1)
    purpose = forms.CharField(label=_("What for (optional)"), max_length=200, required=False)
    website = HoneypotField()

    def __init__(self, *args, slot_minutes: int = 60, max_slots: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for n in range(1, max(1, max_slots) + 1):
            total = n * slot_minutes
            hours, minutes = divmod(total, 60)
            if hours and minutes:
                label = _("{h} h {m} min").format(h=hours, m=minutes)
            elif hours:
                label = _("{h} h").format(h=hours)
            else:
                label = _("{m} min").format(m=minutes)
            choices.append((n, label))
        self.fields["slots"].choices = choices
        self.fields["people"].widget.attrs.update({"inputmode": "numeric"})


class StaffBookingForm(forms.Form):
    """A walk-in booking by staff for a card holder, optionally repeated weekly until a date."""

    card = forms.CharField(label=_("Card number"), max_length=32)
    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none())
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("From"), widget=TimeInput)
    ends = forms.TimeField(label=_("Until"), widget=TimeInput)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=500, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    repeat_until = forms.DateField(label=_("Repeat every week until (optional)"), required=False, widget=DateInput)

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if spaces is not None:
            self.fields["space"].queryset = spaces


class BlockForm(forms.Form):
    """Hold a space for maintenance or an activity."""

    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none())
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("From"), widget=TimeInput, initial=time(8))
    ends = forms.TimeField(label=_("Until"), widget=TimeInput, initial=time(20))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if spaces is not None:
            self.fields["space"].queryset = spaces


class PhotoForm(forms.Form):
    photo = PhotoField(label=_("Photo of the space"))


def span_of(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """Return naive local datetimes of ``starts``..``ends`` on ``day`` (an end at 00:00 is midnight after)."""
    start, end = datetime.combine(day, starts), datetime.combine(day, ends)
    if ends == time(0):
        end += timedelta(days=1)
    return start, end
