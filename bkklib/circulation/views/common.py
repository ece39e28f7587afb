"""What the circulation staff pages share: the desk of the request, the patron panel's context, form errors."""
from __future__ import annotations

from datetime import date

from bkklib.core.exceptions import DomainError
from bkklib.network import access

from .. import queries, rules
from ..exceptions import REASONS
from ..models import Patron
from ..services.lending import refusal_params


def current_desk(request):
    """Return the branch whose desk this staff session works at."""
    return access.desk_of(request)


def patron_context(patron: Patron, *, today: date) -> dict:
    """Return what the patron panel shows: loans (overdue marked, fines so far), holds, fines, blocks, refusal."""
    loans = list(queries.loans_of(patron))
    overdue = queries.overdue_of(loans, today=today)  # the one overdue rule, fines in one query
    for loan in loans:
        loan.is_overdue = loan.pk in overdue
        loan.accrued = overdue[loan.pk].fine if loan.is_overdue else None
    standing = queries.standing(patron)
    refusal = rules.patron_refusal(standing.borrower, today=today)
    return {
        "renewal_expiry": rules.card_expiry(max(today, patron.card_expires_on), patron.category.card_valid_years),
        "patron": patron, "loans": loans, "holds": list(queries.holds_of(patron)),
        "fines": list(queries.fines_of(patron)), "fines_due": standing.borrower.fines_due,
        "active_block": queries.active_block(patron), "refusal": refusal,
        "refusal_text": refusal_text(refusal, patron, standing) if refusal else "", "today": today,
    }


def refusal_text(reason: str, patron: Patron, standing) -> str:
    """Return the one-line message of why ``patron`` may not borrow now."""
    params = refusal_params(reason, patron, standing, rules.Policy())
    return str(REASONS[reason]).format(**params)


def form_errors(form, exc: DomainError):
    """Put a refusal on the form field it names, else on the whole form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.text)
