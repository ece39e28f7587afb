"""Staff pages of circulation, one module per sub-domain; the URLs name them through this package.

desk (scan patron, scan items), patrons (details, registration, card, holds, PDPA), fines (payments,
receipts, cash-up), shelf (hold shelf, transits, overdue, item status), notice_templates. Views parse
the request, call a service or a query and render; refusals (DomainError) become a one-line message.
Every page that shows a patron's personal data writes an access-log entry.
"""
from .desk import checkin_page, desk, due_slip, renew_loan, scan_checkin, scan_checkout
from .fines import cash_up, pay, receipt, waive
from .notice_templates import notice_template_edit, notice_templates
from .patrons import (
    hold_action,
    patron_action,
    patron_card,
    patron_detail,
    patron_edit,
    patron_export,
    patron_register,
    patron_search,
    pending,
)
from .shelf import hold_shelf, holds_to_trap, item_status, overdue, transits

__all__ = [
    "cash_up", "checkin_page", "desk", "due_slip", "hold_action", "hold_shelf", "holds_to_trap", "item_status",
    "notice_template_edit", "notice_templates", "overdue", "patron_action", "patron_card", "patron_detail",
    "patron_edit", "patron_export", "patron_register", "patron_search", "pay", "pending", "receipt", "renew_loan",
    "scan_checkin", "scan_checkout", "transits", "waive",
]
