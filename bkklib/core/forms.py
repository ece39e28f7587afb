"""Form building blocks every app uses: date, time and date-time inputs that browsers can read.

A browser's ``<input type="date">`` takes only ``2026-12-07``; Django's ``DateInput`` writes its value
in the active locale's first input format, which in Thai is ``07/12/2026``: the browser shows an empty
box and posts nothing back, so a saved form erases the date. The widgets here always write the ISO
form the browser's control needs (``type="date"``, ``type="time"``, ``type="datetime-local"``); the
fields parse ISO in every language. Use them in every form, and derive model forms from
``ModelForm`` below: it gives every date, time and date-time model field these widgets by default.
"""
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_TIME_SECONDS = "%H:%M:%S"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_DATETIME_SECONDS = "%Y-%m-%dT%H:%M:%S"


class DateInput(forms.DateInput):
    """``<input type="date">`` with its value as ``2026-12-07`` in every language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATE)


class TimeInput(forms.TimeInput):
    """``<input type="time">`` with its value as ``09:30`` (``09:30:15`` when the time has seconds)."""

    input_type = "time"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_TIME)

    def format_value(self, value):
        # Seconds the browser would drop silently are kept (the control then shows and posts them).
        if hasattr(value, "second") and value.second and self.format == ISO_TIME:
            return value.strftime(ISO_TIME_SECONDS)
        return super().format_value(value)


class DateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with its value as ``2026-12-07T09:30`` in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATETIME)

    def format_value(self, value):
        if hasattr(value, "second") and value.second and self.format == ISO_DATETIME:
            return value.strftime(ISO_DATETIME_SECONDS)
        return super().format_value(value)


class MultilineField(forms.CharField):
    """Text from a ``<textarea>``, with its line breaks stored as LF.

    Browsers post a textarea's line breaks as CRLF; without this, saving an unchanged form would turn
    every stored LF into CRLF and record a change nobody made.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


# The widget each kind of model field gets by default (DateTimeField before DateField: it is a subclass).
DB_FIELD_WIDGETS = (
    (models.DateTimeField, DateTimeInput),
    (models.DateField, DateInput),
    (models.TimeField, TimeInput),
)


def formfield_for_dbfield(db_field, **kwargs):
    """Return the form field of ``db_field``: Django's, with ISO widgets for dates and times and
    text fields that keep line breaks as stored.

    A widget the form names for the field (``Meta.widgets``) comes in ``kwargs`` and wins; choices
    keep Django's select.
    """
    if not db_field.choices:
        if "widget" not in kwargs:
            for model_field, widget in DB_FIELD_WIDGETS:
                if isinstance(db_field, model_field):
                    kwargs["widget"] = widget
                    break
        if isinstance(db_field, models.TextField):
            kwargs.setdefault("form_class", MultilineField)
    return db_field.formfield(**kwargs)


class ModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Gives every model form's ``Meta`` the ISO ``formfield_callback`` unless the form names its own."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield_for_dbfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=ModelFormMetaclass):
    """The base of every model form of the project (dates, times and date-times render as ISO)."""


def modelform_factory(model, form=ModelForm, **kwargs):
    """``django.forms.modelform_factory`` with the project's base form and ISO widgets."""
    kwargs.setdefault("formfield_callback", formfield_for_dbfield)
    return forms.modelform_factory(model, form=form, **kwargs)


def inlineformset_factory(parent_model, model, form=ModelForm, **kwargs):
    """``django.forms.inlineformset_factory`` with the project's base form and ISO widgets."""
    kwargs.setdefault("formfield_callback", formfield_for_dbfield)
    return forms.inlineformset_factory(parent_model, model, form=form, **kwargs)


def modelformset_factory(model, form=ModelForm, **kwargs):
    """``django.forms.modelformset_factory`` with the project's base form and ISO widgets."""
    kwargs.setdefault("formfield_callback", formfield_for_dbfield)
    return forms.modelformset_factory(model, form=form, **kwargs)


class HoneypotField(forms.CharField):
    """A field people never see and form-filling robots do: every public form carries one.

    Render it with ``{% include "core/partials/honeypot.html" with field=form.website %}`` (moved off
    screen by the ``hp-field`` class, ``aria-hidden``, out of the tab order). A view checks
    ``is_spam(form)`` after ``is_valid()`` and, when it is true, answers as if the form had been
    accepted and stores nothing, so the robot learns nothing.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Leave this empty"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
        super().__init__(required=False, **kwargs)


def is_spam(form: forms.Form) -> bool:
    """Return whether any honeypot of a validated ``form`` was filled in."""
    data = getattr(form, "cleaned_data", {}) or {}
    return any(isinstance(field, HoneypotField) and data.get(name) for name, field in form.fields.items())
