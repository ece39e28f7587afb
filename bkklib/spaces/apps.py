"""The spaces app: spaces per branch, booking rules, bookings, check-in and no-show release."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def cancel_bookings_on_closure(sender, *, branch, starts_on, ends_on, closure=None, **kwargs):
    """closure_added receiver: bookings on newly closed days are cancelled and each patron is told."""
    from . import services

    services.cancel_for_closure(branch=branch, starts_on=starts_on, ends_on=ends_on,
                                reason=closure.reason_th if closure is not None else "")


class SpacesConfig(AppConfig):
    name = "bkklib.spaces"
    label = "spaces"
    verbose_name = _("Spaces and bookings")

    def ready(self):
        from bkklib.network import signals

        signals.closure_added.connect(cancel_bookings_on_closure, dispatch_uid="bkklib.spaces.cancel_on_closure")

        from bkklib.core import stamps

        from .models import SpaceRule

        # The rules are kept per process (queries._rule_table) until a rule or its categories change.
        stamps.watch("spaces-rules", SpaceRule, SpaceRule.categories.through)
