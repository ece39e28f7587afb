"""Refusals of the events app, each with a stable code and a Thai message."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused


class RegistrationRefused(Refused):
    code = "registration_refused"
    status = 409
    MESSAGES = {
        "session_cancelled": _("This session has been cancelled."),
        "no_registration_needed": _("This activity is open to all: no registration is needed, just come."),
        "session_past": _("This session has already started or is over; registration is closed."),
        "already_registered": _("{name} is already registered (or waiting) for this session."),
        "age_out_of_range": _("This activity is for ages {ages}; {name} is outside that range."),
        "session_full": _("This session is full and has no waiting list."),
        "not_published": _("This activity is not open for registration."),
        "not_yours": _("This registration is not yours."),
        "already_cancelled": _("This registration is already cancelled."),
        "consent_missing": _("Please agree to the use of your name and phone number for this activity."),
        "age_unknown": _("Give the participant's age group."),
    }

    def __init__(self, reason: str, **params):
        super().__init__(self.MESSAGES[reason], code=reason, **params)


class CheckInRefused(Conflict):
    code = "check_in_refused"
    MESSAGES = {
        "unknown_code": _("No registration or card matches “{code_text}”."),
        "not_registered": _("{name} is not registered for this session. Register them first (walk-in)."),
        "waitlisted": _("{name} is on the waiting list, not registered, for this session."),
        "cancelled": _("The registration of {name} was cancelled."),
        "other_session": _("This code belongs to another session: {session}."),
        "already_checked_in": _("{name} was already checked in at {time}."),
    }

    def __init__(self, reason: str, **params):
        super().__init__(self.MESSAGES[reason], code=reason, **params)


class ScheduleRefused(InvalidInput):
    code = "schedule_refused"


class EventNotFound(NotFound):
    code = "event_not_found"
    message = _("No such activity or session.")
