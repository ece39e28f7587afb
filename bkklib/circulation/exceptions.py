"""Refusals of circulation, with stable codes and one-line messages: why, and what to do.

Rules return reason codes; services raise one of these classes with that code, and the message
of the code (``REASONS``) is filled with the record's details. The API turns them into problem
JSON, the desk into a one-line message.
"""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused

REASONS = {
    # Patron
    "patron_pending": _("The membership of {patron} is waiting for approval: check the ID document and approve it "
                        "first."),
    "patron_inactive": _("Card {card} is no longer in use: ask the patron for their current card."),
    "card_expired": _("The card of {patron} expired on {date}: renew the membership before lending."),
    "patron_blocked": _("{patron} is blocked ({reason}): lift the block once the reason is resolved."),
    "fines_due": _("{patron} owes {amount} baht (the limit is {limit} baht): take a payment first."),
    # Checkout
    "not_for_loan": _("Item {barcode} is for library use only and cannot be lent."),
    "loan_limit": _("{patron} already has {count} items on loan, the limit is {limit}: an item must be returned "
                    "first."),
    "loan_limit_item_type": _("{patron} already has {count} loans of the type “{item_type}”, the limit is {limit}."),
    "item_on_loan": _("Item {barcode} is already on loan (due {date}): check it in first if it is here at the desk."),
    "item_in_transit": _("Item {barcode} is in transit to {branch}: check it in to receive it before lending."),
    "item_on_hold_shelf": _("Item {barcode} is set aside for another patron's hold: lend another copy."),
    "item_at_outpost": _("Item {barcode} is out at {branch} and can be lent only there until it comes back."),
    "item_not_available": _("Item {barcode} is “{status}” and cannot be lent: check it in first to correct its "
                            "status."),
    # Renewal
    "renewal_limit": _("Item {barcode} has been renewed {count} times, the limit is {limit}: it must be returned."),
    "on_hold_for_another": _("Item {barcode} is held by another patron and cannot be renewed: please return it by "
                             "{date}."),
    "loan_ended": _("The loan of item {barcode} has already ended: nothing to renew."),
    "not_your_loan": _("Item {barcode} is not on loan to {patron}."),
    # Holds
    "holds_not_allowed": _("“{title}” cannot be held by a member of the category {category}."),
    "already_held": _("{patron} already has a hold on “{title}”."),
    "already_on_loan_to_patron": _("{patron} already has “{title}” on loan."),
    "hold_limit": _("{patron} already has {count} holds, the limit is {limit}: cancel one first."),
    "hold_item_not_of_record": _("Item {barcode} is not a copy of “{title}”."),
    "hold_not_active": _("This hold on “{title}” has already ended ({status})."),
    "pickup_not_open": _("{branch} is not open for pickups: choose another pickup branch."),
    "not_a_pickup_point": _("{branch} has no desk where holds can be collected: choose another pickup branch."),
}

# A refused renewal of a loan already past its due date: say that it is late, what the fine has
# reached and what to do (never "please return by" a day already gone). ``why`` is one of
# OVERDUE_WHY, or the reason's own message.
OVERDUE_RENEWAL = _("“{title}” ({barcode}) is overdue: it was due on {date}, {days} day(s) ago, and cannot be renewed "
                    "because {why}. The fine so far is {fine} baht ({rate} baht per day the library is open, at most "
                    "{cap} baht) and grows until the book is back: return it to any library as soon as you can and "
                    "pay the fine at the desk.")
OVERDUE_WHY = {
    "renewal_limit": _("it has been renewed {count} times, the limit is {limit}"),
    "on_hold_for_another": _("another patron is waiting for it"),
}


class CirculationRefused(Refused):
    """A circulation verb was refused for a reason the desk can act on (``code`` = reason)."""

    def __init__(self, reason_code: str, /, *, message=None, **params):
        super().__init__(message or REASONS.get(reason_code, Refused.message), code=reason_code, **params)


class CheckoutRefused(CirculationRefused):
    code = "checkout_refused"


class ItemNotAvailable(CirculationRefused, Conflict):
    status = 409


class RenewalRefused(CirculationRefused):
    code = "renewal_refused"


class HoldRefused(CirculationRefused):
    code = "hold_refused"


class PatronNotFound(NotFound):
    code = "patron_not_found"
    message = _("No patron has the card number {card}: check the number, or register the patron.")


class LoanNotFound(NotFound):
    code = "loan_not_found"
    message = _("There is no loan number {id}.")


class HoldNotFound(NotFound):
    code = "hold_not_found"
    message = _("There is no hold number {id}.")


class FineNotFound(NotFound):
    code = "fine_not_found"
    message = _("There is no fine number {id}.")


class InvalidPatronData(InvalidInput):
    code = "invalid_patron"
    message = _("The patron details are not valid: {reason}")


class DuplicatePatron(Conflict):
    code = "duplicate_patron"
    message = _("{what} is already registered to patron card {card}.")


class ErasureRefused(Refused):
    code = "erasure_refused"
    message = _("The data of {patron} cannot be erased yet: {reason}")


class PaymentRefused(Refused):
    code = "payment_refused"
    message = _("The payment cannot be taken: {reason}")


class WaiverRefused(Refused):
    code = "waiver_refused"
    message = _("The waiver cannot be made: {reason}")


class CashUpRefused(Refused):
    code = "cash_up_refused"
    message = _("The cash-up cannot be signed: {reason}")


class CheckinRefused(Refused):
    code = "checkin_refused"
    message = _("Item {barcode} cannot be checked in: {reason}")
