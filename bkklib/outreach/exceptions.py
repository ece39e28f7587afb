"""Refusals of outreach, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, NotPermitted, Refused


class DepositRefused(Refused):
    code = "deposit_refused"
    status = 409
    message = _("This deposit collection cannot change now.")


class NotAReadingHouse(InvalidInput):
    code = "not_a_reading_house"
    message = _("{branch} is not a community reading house: deposits go to reading houses.")


class ItemNotDepositable(Conflict):
    code = "item_not_depositable"
    message = _("Item {barcode} cannot go in the deposit: {reason}")


class AccountRevoked(NotPermitted):
    code = "account_revoked"
    status = 403
    message = _("This volunteer account was revoked on {date}: its actions are kept for staff to check, none was "
                "applied. Ask the library for a new account.")


class NotAVolunteer(NotPermitted):
    code = "not_a_volunteer"
    status = 403
    message = _("This user has no volunteer desk account.")


class BadBatch(InvalidInput):
    code = "bad_batch"
    message = _("The batch of actions is not valid: {reason}")


class VolunteerRefused(InvalidInput):
    code = "volunteer_refused"
    message = _("The volunteer account cannot be made: {reason}")


class TripNotFound(NotFound):
    code = "trip_not_found"
    message = _("No such trip.")


# Codes of conflicts a synced action may meet, with their Thai messages (shown to the volunteer and
# in the staff's conflict list).
CONFLICTS = {
    "unknown_barcode": _("No item has the barcode {barcode}: check the label and lend it at the library."),
    "unknown_card": _("No library card has the number {card}."),
    "already_returned": _("Item {barcode} was not on loan when it was returned here: it was returned elsewhere "
                          "meanwhile, or never lent."),
    "deposit_recalled": _("The deposit collection of item {barcode} is recalled: it may not be lent any more."),
    "visit_counts": _("A visit count needs whole numbers of zero or more."),
}
