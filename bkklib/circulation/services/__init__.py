"""The domain's verbs, split by sub-domain and re-exported by name.

``patrons`` (membership), ``lending`` (checkout, checkin, renew...), ``batch`` (many checkouts and
checkins at one desk, written in bulk), ``holds``, ``fines``,
``pdpa`` (export, erase, anonymise, access log). Keyword-only, typed, one transaction each,
time passed in (``now=None``: the current time).
"""
from .batch import LendingBatch, lending_batch
from .fines import charge, pay, sign_off_cash_up, waive
from .holds import (
    cancel_hold,
    change_pickup_branch,
    expire_holds,
    pickup_place_of,
    pickup_places,
    pickup_places_of,
    place_hold,
    suspend_hold,
)
from .lending import (
    CheckinResult,
    checkin,
    checkout,
    claims_returned,
    declare_lost,
    mark_damaged,
    move_loans_off_closed_days,
    renew,
    transfer_item,
)
from .patrons import (
    approve_patron,
    block_patron,
    card_holder,
    lift_blocks,
    pin_matches,
    record_consent,
    register_patron,
    register_pending_patron,
    renew_membership,
    replace_card,
    set_pin,
    update_consent,
    update_patron,
    update_preferences,
)
from .pdpa import anonymise_loans, erase_patron, export_patron_data, log_access

__all__ = [
    "CheckinResult", "LendingBatch", "anonymise_loans", "approve_patron", "block_patron", "cancel_hold",
    "card_holder", "change_pickup_branch", "charge", "checkin", "checkout", "claims_returned", "declare_lost",
    "erase_patron", "expire_holds", "export_patron_data", "lending_batch", "lift_blocks", "log_access",
    "mark_damaged", "move_loans_off_closed_days", "pay", "pickup_place_of", "pickup_places", "pickup_places_of",
    "pin_matches", "place_hold", "record_consent", "register_patron", "register_pending_patron", "renew",
    "renew_membership", "replace_card", "set_pin", "sign_off_cash_up", "suspend_hold", "transfer_item",
    "update_consent", "update_patron", "update_preferences", "waive",
]
