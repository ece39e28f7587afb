"""Template filters for people's dates: ``{{ d|thaidate }}`` → ``8 มิ.ย. 2565``.

Registered as a builtin, so every template can use them without ``{% load %}``. The language
follows the active translation: Thai shows the Buddhist Era, English the Common Era.
"""
from django import template
from django.utils import translation

from bkklib.core import calendar

register = template.Library()


def _lang() -> str:
    return translation.get_language() or "th"


@register.filter
def thaidate(value, arg=""):
    """Short form ``8 มิ.ย. 2565``; ``|thaidate:"long"`` gives ``8 มิถุนายน 2565``, ``|thaidate:"year"`` ``2565``."""
    if not value:
        return ""
    if arg == "year":
        return str(value.year) if _lang().startswith("en") else str(calendar.be_year(value))
    return calendar.thai_date(value, long=(arg == "long"), lang=_lang())


@register.filter
def thaidatetime(value, arg=""):
    """Date and time ``8 มิ.ย. 2565 13:05 น.``."""
    if not value:
        return ""
    return calendar.thai_datetime(value, long=(arg == "long"), lang=_lang())


@register.filter
def fiscalyear(value):
    """``ปีงบประมาณ 2565``."""
    if not value:
        return ""
    return calendar.fiscal_year_label(value, lang=_lang())


@register.filter
def weekday_name(index):
    """Name of weekday 0 (Monday) … 6 (Sunday) in the active language."""
    try:
        i = int(index)
    except (TypeError, ValueError):
        return ""
    return calendar.WEEKDAYS_EN[i] if _lang().startswith("en") else calendar.WEEKDAYS_TH[i]
