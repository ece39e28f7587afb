"""Refusals of the cases app, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import InvalidInput, Refused


class StateChangeRefused(Refused):
    code = "state_change_refused"
    message = _("A case that is {current} cannot become {target}.")


class DeadlineInPast(InvalidInput):
    code = "deadline_in_past"
    message = _("The due date {due} has already passed. Choose a date from today on.")


class RootCauseRequired(InvalidInput):
    code = "root_cause_required"
    message = _("Write the root cause and the preventive action before closing a complaint.")


class AnswerRequired(InvalidInput):
    code = "answer_required"
    message = _("Write the answer to the requester before marking the case done.")


class RatingRefused(Refused):
    code = "rating_refused"
    message = _("This case can be rated once, after it is done.")


class BadRating(InvalidInput):
    code = "bad_rating"
    message = _("Choose a score from 1 to 5.")


class ContactRequired(InvalidInput):
    code = "contact_required"
    message = _("Give a name and a phone number or email, or choose to stay anonymous.")


class NoVisitBranch(InvalidInput):
    code = "not_a_visit_branch"
    message = _("{branch} was not visited on this visit.")
