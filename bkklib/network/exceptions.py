"""Errors of the network app (subclasses of core's DomainError) and the texts of rule codes.

Rules return stable codes (``overlapping_periods``, ``lending_branch_short``...); the messages
people read live here, once, in English source text translated to Thai in the app's .po file.
"""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused

from . import rules

HOURS_MESSAGES = {
    rules.CLOSES_BEFORE_OPENS: _("Closing time must be later than opening time."),
    rules.OVERLAPS: _("This period overlaps {other} on {weekday}; periods of one day must not overlap."),
    rules.WEEKDAY_OUT_OF_RANGE: _("Choose a weekday from Monday to Sunday."),
}

HOURS_SYNTAX_MESSAGES = {
    "unknown_day": _("Unknown day name in “{part}”: use จ. อ. พ. พฤ. ศ. ส. อา. or Mon–Sun."),
    "bad_day_range": _("Cannot read the days in “{part}”: write a range as อ.-ส. or Tue-Sat."),
    "no_days": _("No day is named in “{part}”."),
    "no_times": _("No opening time is given in “{part}”: write periods as 09:00-20:30."),
    "bad_times": _("Cannot read the times in “{part}”: write periods as 09:00-20:30, separated by commas."),
    "bad_time": _("A time in “{part}” does not exist: hours go from 00 to 23, minutes from 00 to 59."),
}

SECONDMENT_MESSAGES = {
    rules.LENDING_BRANCH_SHORT: _("Seconding {staff} would leave {branch} below its own minimum staff level."),
    rules.NOT_AT_HOME_BRANCH: _("{staff} is not working at {branch} on every day of this secondment."),
    rules.SAME_BRANCH: _("A secondment must go to another branch than {branch}."),
    rules.BAD_RANGE: _("A secondment cannot end before it starts."),
}

COVERAGE_RANGE_MESSAGES = {
    rules.COVERAGE_RANGE_REVERSED: _("The end of the range cannot be before its start."),
    rules.COVERAGE_RANGE_TOO_LONG: _("Plan at most {days} days at a time."),
}

CLOSURE_MESSAGES = {
    rules.CLOSURE_ENDS_BEFORE_START: _("The last closed day cannot be before the first."),
}


def coverage_range_error(start, end) -> str | None:
    """Return the message people read when ``start``..``end`` is no coverage range (None when it is)."""
    code = rules.coverage_range_refusal(start, end)
    return None if code is None else str(COVERAGE_RANGE_MESSAGES[code]).format(days=rules.MAX_COVERAGE_DAYS)


def closure_error(starts_on, ends_on) -> str | None:
    """Return the message people read when a closure's days are wrong (None when they may be saved)."""
    code = rules.closure_refusal(starts_on=starts_on, ends_on=ends_on)
    return None if code is None else str(CLOSURE_MESSAGES[code])


STALENESS_LABELS = {
    rules.NEVER_VERIFIED: _("never verified"),
    rules.VERIFICATION_EXPIRED: _("verified too long ago"),
    rules.CHANGED_SINCE_VERIFIED: _("edited since last verification"),
}

UNKNOWN_DISTRICT = _("Unknown district “{value}”: give a code from 1001 to 1050 or a Thai or English district name.")
INVALID_EMAIL = _("Enter a valid email address, e.g. library@bangkok.go.th.")
INVALID_PHONE = _("Enter a phone number of digits, spaces or dashes, e.g. 02 225 7612 or 0812345678.")


class InvalidHours(InvalidInput):
    """Opening hours that cannot be saved; ``problems`` lists every rules.HoursProblem."""

    code = "invalid_hours"
    message = _("The opening hours are not valid: {reason}")

    def __init__(self, problems, reason: str):
        self.problems = problems
        first = problems[0]
        super().__init__(field=f"opening_hours[{first.index}].{first.field}", reason=reason)


class UnknownDistrict(NotFound):
    code = "unknown_district"
    message = UNKNOWN_DISTRICT

    def __init__(self, value):
        super().__init__(field="district", value=value)


class SecondmentRefused(Refused):
    """A proposed secondment breaks a staffing rule (the reason code is the error code)."""

    def __init__(self, reason: str, **params):
        super().__init__(SECONDMENT_MESSAGES[reason], code=reason, **params)


class VersionInForce(Conflict):
    code = "version_in_force"
    message = _("The structure version “{version}” is (or was) in force and cannot be changed; draft a new version.")


class InvalidStructure(InvalidInput):
    code = "invalid_structure"
    message = _("The structure version “{version}” cannot take effect: {reason}")
