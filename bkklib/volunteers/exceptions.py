"""Refusals of the volunteers app, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused

# One message per reason code of rules.unmet_criteria: the applicant reads exactly which rule and why.
CRITERIA_MESSAGES = {
    "no_birth_date": _("Give your date of birth: the call has an age limit."),
    "too_young": _("Applicants must be at least {min_age} years old; you are {age}."),
    "too_old": _("Applicants must be at most {max_age} years old; you are {age}."),
    "needs_consent": _("Applicants under {consent_age} need the consent of a parent or guardian; you are {age}. "
                       "Tick the consent box and give the guardian's name."),
    "district": _("This call is for residents of certain districts only: {districts}."),
    "hours": _("The call asks for at least {min_hours} hours a week; you offered {hours}."),
    "skills": _("The call asks for at least one of these skills: {skills}."),
    "documents": _("These documents are required: {documents}."),
}


class CriteriaNotMet(Refused):
    code = "criteria_not_met"
    status = 422
    message = _("The application does not meet the call's criteria.")

    def __init__(self, reasons: list[str], codes: list[str]):
        self.reasons = reasons
        self.codes = codes
        super().__init__(" ".join(reasons), code=codes[0] if len(codes) == 1 else "criteria_not_met")


class InvalidNationalId(InvalidInput):
    code = "invalid_national_id"
    message = _("“{value}” is not a valid Thai national ID number (13 digits with a correct check digit).")


class CallClosed(Refused):
    code = "call_closed"
    message = _("This call is not open for applications (open {opens} – {closes}).")


class AlreadyApplied(Conflict):
    code = "already_applied"
    message = _("You have already applied to this call (reference {reference}).")


class ApplicationState(Conflict):
    code = "application_state"
    message = _("This application is {status}: it cannot be changed this way.")


class AgreementState(Conflict):
    code = "agreement_state"
    message = _("This agreement is {status}: it cannot be changed this way.")


class HandoverIncomplete(Refused):
    code = "handover_incomplete"
    message = _("The handover is not finished: {items}.")


class ShiftOverlap(Conflict):
    code = "shift_overlap"
    message = _("You are already on a shift from {start} to {end} that overlaps this one.")


class ShiftFull(Conflict):
    code = "shift_full"
    message = _("This shift already has all the volunteers it needs ({places}).")


class ShiftRefused(Refused):
    code = "shift_refused"
    message = _("You can sign up only for shifts of a role and branch in your agreement in force, before they start.")


class BadShift(InvalidInput):
    code = "bad_shift"
    message = _("A shift must end after it starts and last at most 16 hours.")


HOURS_MESSAGES = {
    "future": _("Check-in and check-out times cannot be in the future."),
    "order": _("Check-out must be after check-in."),
    "too_long": _("A shift cannot last more than 16 hours: check the times."),
}


class BadHours(InvalidInput):
    code = "bad_hours"
    message = _("These hours cannot be recorded.")

    def __init__(self, reason: str):
        super().__init__(HOURS_MESSAGES[reason], code=f"hours_{reason}")


class SignupState(Conflict):
    code = "signup_state"
    message = _("This shift sign-up is {status}: it cannot be changed this way.")


class BadScores(InvalidInput):
    code = "bad_scores"
    message = _("Give every criterion a score from 0 to its highest score ({criterion}).")


class NotYourRecord(NotFound):
    code = "volunteer_not_found"
    message = _("No such volunteer record.")


class AccountExists(Conflict):
    code = "account_exists"
    message = _("A sign-in has already been made for this application. Sign in with it.")


class ShiftStarted(Refused):
    code = "shift_started"
    message = _("The shift of {start} has already started: it can no longer be swapped.")


class NotPlaced(Refused):
    code = "not_placed"
    message = _("{name} is not placed at {branch} as {role}: only a volunteer with an agreement in force there "
                "can take this shift.")


class SwapOverlap(Conflict):
    code = "shift_overlap"
    message = _("{name} already has a shift from {start} to {end} that overlaps this one.")


class SwapState(Conflict):
    code = "swap_state"
    message = _("This swap is {status}: it cannot be changed this way.")


class NoShiftNow(Refused):
    code = "no_shift_now"
    message = _("You have no shift at {branch} now. Check-in opens 30 minutes before your shift and closes at "
                "its end; sign up for a shift on your volunteer page first.")


class UnknownCheckinCode(NotFound):
    code = "checkin_code_unknown"
    message = _("This check-in QR code is no longer valid: ask the branch staff for the current poster.")
