"""Refusals of the facilities app, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, Refused

TRANSITION_MESSAGES = {
    "not_next": _("A work that is {status} cannot become {to}."),
    "missing": _("To mark the work {to}, fill in: {needs}."),
    "before_start": _("The completion day cannot be before the work started ({starts})."),
    "before_completion": _("The inspection day cannot be before the work was completed ({completed})."),
    "future": _("The day cannot be in the future."),
}


class AuditClosed(Conflict):
    code = "audit_closed"
    message = _("This audit is completed: its answers can no longer be changed. Start a new audit.")


class AuditIncomplete(Refused):
    code = "audit_incomplete"
    message = _("Answer every item before completing the audit: {missing} not answered yet.")


class NoChecklist(Refused):
    code = "no_checklist"
    message = _("No Universal Design checklist is loaded. Run: bkklib load_ud_checklist")


class ItemNotInChecklist(InvalidInput):
    code = "item_not_in_checklist"
    message = _("This item is not in the audit's checklist.")


class NotAGap(InvalidInput):
    code = "not_a_gap"
    message = _("Only items answered “not compliant” in a completed audit can become works: {items}.")


class NoGapChosen(InvalidInput):
    code = "no_gap_chosen"
    message = _("Choose at least one gap for the work.")


class WorkTransitionRefused(Refused):
    code = "work_transition"
    message = _("This change of state is not allowed.")

    def __init__(self, reason: str, **params):
        super().__init__(TRANSITION_MESSAGES.get(reason, self.message), code=reason, **params)


class SurvivalRefused(InvalidInput):
    code = "survival_refused"
    message = _("{alive} alive is more than the {planted} trees planted.")


class NothingPlanted(InvalidInput):
    code = "nothing_planted"
    message = _("Record the planting before checking survival.")


class PlantingRefused(InvalidInput):
    code = "planting_refused"
    message = _("Give the number of trees planted and the day they were planted (not in the future).")


class BadInput(InvalidInput):
    code = "bad_input"
    message = _("The data given cannot be used.")
