"""Circulation data and its invariants, split by sub-domain and re-exported by name."""
from .fines import CashUpSignOff, Fine, PaymentAllocation, Receipt, ReceiptCounter, Waiver
from .holds import Hold
from .loans import Loan, Transit
from .notices import CirculationSettings, Notice
from .patrons import Consent, FeeTier, Patron, PatronBlock, PatronCategory
from .policies import LoanPolicy

__all__ = [
    "CashUpSignOff", "CirculationSettings", "Consent", "FeeTier", "Fine", "Hold", "Loan", "LoanPolicy", "Notice", "Patron",
    "PatronBlock", "PatronCategory", "PaymentAllocation", "Receipt", "ReceiptCounter", "Transit", "Waiver",
]
