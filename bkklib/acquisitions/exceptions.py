"""Refusals of acquisitions, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, Refused

# One message per reason code of rules.Refusal.
REFUSAL_MESSAGES = {
    "negative_price": _("The unit price cannot be negative ({price} baht)."),
    "bad_discount": _("The discount must be between 0 and 100 % (got {pct} %)."),
    "bad_vat": _("VAT must be between 0 and 100 % (got {pct} %)."),
    "bad_quantity": _("Order at least one copy (got {quantity})."),
    "bad_amount": _("The amount must be more than zero (got {amount})."),
    "insufficient_funds": _("The fund {fund} has only {available} baht free; {amount} baht cannot be committed "
                            "without an approved override."),
    "release_exceeds_commitment": _("Cannot release {amount} baht: only {committed} baht is committed."),
    "spend_exceeds_commitment": _("Cannot spend {amount} baht: only {committed} baht is committed."),
    "transfer_exceeds_free": _("Only {free} baht of the fund is free to transfer; {amount} baht was asked."),
    "bad_rollover_rule": _("Unknown roll-over rule “{rule}”."),
    "year_closed": _("Fiscal year {year} is closed: no orders, commitments or transfers can be made in it."),
    "negative_count": _("Counts in the inspection of “{title}” cannot be negative."),
    "over_receipt": _("“{title}”: {received} copies cannot be received; only {outstanding} are still on order."),
}


class AcquisitionRefused(Refused):
    """A change the acquisition rules do not allow; ``code`` is the rule's reason."""

    code = "acquisition_refused"
    status = 422
    message = _("This change is not allowed.")

    def __init__(self, reason: str, **params):
        super().__init__(REFUSAL_MESSAGES.get(reason, self.message), code=reason, **params)


class OrderStateRefused(Conflict):
    code = "order_state"
    message = _("Order {number} is “{status}”: it cannot be {action} now.")


class BadInput(InvalidInput):
    code = "invalid_acquisition_input"
    message = _("{reason}")
