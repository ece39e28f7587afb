"""Models of the e-library, split by sub-domain and re-exported here."""
from .lending import EHold, ELoan, LendingPolicy, ReadingPosition, Turnaway
from .promotion import Campaign, Collection
from .titles import Licence, Title, TitleSubject

__all__ = ["Campaign", "Collection", "EHold", "ELoan", "LendingPolicy", "Licence", "ReadingPosition", "Title",
           "TitleSubject", "Turnaway"]
