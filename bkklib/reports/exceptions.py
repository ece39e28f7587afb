"""Refusals of the reports app, each with a stable code and a Thai message."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import InvalidInput, NotFound


class BadPeriod(InvalidInput):
    code = "bad_period"
    message = _("The first day must not be after the last day.")


class FuturePeriod(InvalidInput):
    code = "future_period"
    message = _("Figures can be rebuilt only for days that are over: the last day must be before {today}.")


class PeriodTooLong(InvalidInput):
    code = "period_too_long"
    message = _("A rebuild covers at most {limit} days at a time; split the period.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message = _("Say why the figures are rebuilt (it is kept with the run).")


class UnknownIndicator(NotFound):
    code = "unknown_indicator"
    message = _("There is no indicator {key}.")


class BadDimension(InvalidInput):
    code = "bad_dimension"
    message = _("{key} cannot be cut by {by}: use month, branch, district, branch_kind or one of its dimensions.")
