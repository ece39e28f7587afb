"""Personal data in the e-library (core.pdpa hooks): a patron's e-loans, e-holds and reading positions.

Purpose: lending e-books (PDPA s.24(3), the membership contract). Kept while a loan runs, then the
patron is unlinked ``ANONYMISE_AFTER_DAYS`` after it ended; the pseudonymous reader key stays for
counting unique readers. Erasure unlinks every loan, cancels holds, deletes reading positions and
replaces the reader key, keeping the loans as anonymous facts for statistics.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import EHold, ELoan, ReadingPosition


def export_patron(patron) -> dict:
    loans = ELoan.objects.filter(patron=patron).select_related("title").order_by("started_at")
    holds = EHold.objects.filter(patron=patron).select_related("title").order_by("placed_at")
    positions = ReadingPosition.objects.filter(patron=patron).select_related("title")
    return {
        "eloans": [{"title": loan.title.title, "started_at": loan.started_at.isoformat(),
                    "ends_at": loan.ends_at.isoformat(),
                    "returned_at": loan.returned_at.isoformat() if loan.returned_at else None, "channel": loan.channel}
                   for loan in loans],
        "eholds": [{"title": hold.title.title, "status": hold.status, "placed_at": hold.placed_at.isoformat()}
                   for hold in holds],
        "reading_positions": [{"title": p.title.title, "progress": p.progress, "updated_at": p.updated_at.isoformat()}
                              for p in positions],
    }


def erase_patron(patron, *, now) -> None:
    """End the patron's running e-loans and holds, and keep only anonymous facts."""
    from .services import lending

    for loan in ELoan.objects.filter(patron=patron, returned_at__isnull=True):
        lending.return_loan(loan, now=now)  # the copy passes to the next reader in line
    for loan in ELoan.objects.filter(patron=patron).only("pk"):
        ELoan.objects.filter(pk=loan.pk).update(patron=None, reader_key=f"erased-{loan.pk}")
    EHold.objects.filter(patron=patron, status__in=("waiting", "ready")).update(status=EHold.Status.CANCELLED, closed_at=now)
    EHold.objects.filter(patron=patron).update(patron=None)
    ReadingPosition.objects.filter(patron=patron).delete()


def anonymise_loans(*, now=None) -> int:
    """Unlink patrons from e-loans that ended more than ANONYMISE_AFTER_DAYS ago (and closed holds)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ELIBRARY["ANONYMISE_AFTER_DAYS"])
    count = ELoan.objects.filter(patron__isnull=False, returned_at__lt=cutoff).update(patron=None)
    EHold.objects.filter(Q(patron__isnull=False), Q(closed_at__lt=cutoff)).update(patron=None)
    return count
