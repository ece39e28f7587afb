"""Refusals of the e-library with stable codes and Thai messages (what went wrong and what to do)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused

REASONS = {
    # Patron
    "patron_pending": _("Your membership is waiting for approval at a library desk: you can borrow e-books once it is "
                        "approved."),
    "patron_inactive": _("This card is no longer in use."),
    "card_expired": _("Your card expired on {date}: renew it at any library desk to borrow e-books."),
    "patron_blocked": _("Your card is blocked: ask any library desk."),
    "fines_due": _("You owe {amount} baht in fines: pay at any library desk to borrow e-books."),
    # Borrow
    "already_borrowed": _("You have already borrowed “{title}”."),
    "eloan_limit": _("You already have {count} e-books on loan, the limit is {limit}: return one first."),
    "no_copy_free": _("Every copy of “{title}” is on loan. Place a hold and we will tell you when it is your turn."),
    "held_for_another": _("The free copy of “{title}” is kept for the next reader in line. Place a hold to join the "
                          "queue."),
    "not_lendable": _("“{title}” cannot be borrowed now: its licence has ended."),
    "loan_not_active": _("This loan has already ended."),
    "not_your_loan": _("This loan is not yours."),
    # Holds
    "already_held": _("You already have a hold on “{title}”."),
    "available_now": _("“{title}” is free now: borrow it instead of placing a hold."),
    "ehold_limit": _("You already have {count} e-holds, the limit is {limit}: cancel one first."),
    "hold_not_active": _("This hold is no longer active."),
}


class ElibraryRefused(Refused):
    code = "elibrary_refused"

    def __init__(self, reason: str, **params):
        super().__init__(REASONS[reason], code=reason, **params)


class NoCopyFree(Conflict):
    code = "no_copy_free"
    message = REASONS["no_copy_free"]


class BadFile(InvalidInput):
    """An uploaded e-book that cannot be stored: the message names the file and what is wrong."""

    code = "bad_ebook_file"
    message = _("“{name}” cannot be added: {reason}")


class DuplicateFile(Conflict):
    code = "duplicate_ebook_file"
    message = _("“{name}” is already in the e-library as “{title}”.")


class BadLicenceFile(InvalidInput):
    code = "bad_licence_file"
    message = _("Line {line} of the licence file: {reason}")


class TitleNotFound(NotFound):
    code = "etitle_not_found"
    message = _("There is no e-book with this number.")


class BadLink(NotFound):
    code = "download_link_expired"
    status = 403
    message = _("This download link has expired or is not valid: open the book again from your loans.")
