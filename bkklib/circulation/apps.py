"""The circulation app: patrons, loan rules, loans, holds, fines and notices."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def move_due_dates(sender, *, branch, starts_on, ends_on, **kwargs):
    """closure_added receiver: loans due (and holds expiring) on newly closed days move to the next open day."""
    from .services import lending

    lending.move_loans_off_closed_days(branch=branch, starts_on=starts_on, ends_on=ends_on)


class CirculationConfig(AppConfig):
    name = "bkklib.circulation"
    label = "circulation"
    verbose_name = _("Circulation")

    def ready(self):
        from bkklib.network import signals

        signals.closure_added.connect(move_due_dates, dispatch_uid="bkklib.circulation.move_due_dates")

        from bkklib.core import stamps

        from .models import LoanPolicy

        # The loan-policy matrix is kept per process (queries.policy_for) until a row changes.
        stamps.watch("circulation-policy", LoanPolicy)
