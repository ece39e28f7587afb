"""Refusals of the catalog, with stable codes (subclasses of core's DomainError)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused


class ItemNotFound(NotFound):
    code = "item_not_found"
    message = _("No item has the barcode {barcode}.")


class RecordNotFound(NotFound):
    code = "record_not_found"
    message = _("There is no catalog record number {id}.")


class RecordHasItems(Refused):
    code = "record_has_items"
    message = _("Record {id} “{title}” still has {count} item(s); withdraw or move them before deleting it.")


class DuplicateBarcode(Conflict):
    code = "duplicate_barcode"
    message = _("The barcode {barcode} already belongs to another item.")


class InvalidBarcode(InvalidInput):
    code = "invalid_barcode"
    message = _("“{barcode}” is not a valid barcode: use 4 to 32 letters, digits or dashes, without spaces.")


class InvalidStatus(InvalidInput):
    code = "invalid_item_status"
    message = _("“{status}” is not an item status.")


class InvalidMarc(InvalidInput):
    code = "invalid_marc"
    message = _("The MARC record is not valid: {reason}")


class UnknownItemType(InvalidInput):
    code = "unknown_item_type"
    message = _("There is no item type with the code {code}.")


class WithdrawalRefused(Refused):
    code = "withdrawal_refused"
    message = _("Item {barcode} cannot be withdrawn: {reason}")


class StocktakeClosed(Refused):
    code = "stocktake_closed"
    message = _("Stocktake {id} is closed: start a new one to scan again.")
