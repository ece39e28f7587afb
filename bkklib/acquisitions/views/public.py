"""The patron's purchase suggestions: /account/suggestions/ (the form and what became of each) and the
account page's section."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bkklib.core import ratelimit
from bkklib.core.exceptions import DomainError
from bkklib.core.forms import is_spam
from bkklib.opac import account, clock

from .. import queries, services
from ..forms import PublicRequestForm

SUGGEST_LIMIT = ratelimit.Limit("acquisitions-suggest", 10, 3600)  # per address an hour


@account.patron_required
def suggestions(request, patron):
    """List the patron's suggestions with their status; POST a new one (rate-limited, honeypot)."""
    form = PublicRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ratelimit.check_request(SUGGEST_LIMIT, request)
        if form.is_valid():
            if is_spam(form):
                return redirect("acquisitions:suggestions")
            d = form.cleaned_data
            try:
                services.suggest(patron=patron, title=d["title"], author=d["author"], isbn=d["isbn"], note=d["note"],
                                 now=clock.now())
                messages.success(request, _("Thank you: your suggestion is recorded. You will be told what "
                                            "becomes of it."))
                return redirect("acquisitions:suggestions")
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        status = 400
    return render(request, "acquisitions/suggestions.html", {
        "form": form, "patron": patron, "rows": queries.requests_of(patron)[:100]}, status=status)


def account_section(patron, today) -> dict | None:
    """The account page's section: the patron's latest suggestions and a link to suggest one."""
    return {"rows": list(queries.requests_of(patron)[:5]), "patron": patron}
