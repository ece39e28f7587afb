"""The outreach app: mobile libraries, routes, stops, deposit collections, the offline volunteer desk (issue 22)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def replan_on_closure(sender, *, branch, starts_on, ends_on, closure=None, **kwargs):
    """closure_added receiver: visits on newly closed days move or are cancelled, and the public pages say so."""
    from . import services

    services.replan_for_closure(branch=branch, starts_on=starts_on, ends_on=ends_on)


class OutreachConfig(AppConfig):
    name = "bkklib.outreach"
    label = "outreach"
    verbose_name = _("Mobile libraries and reading houses")

    def ready(self):
        from bkklib.network import signals

        signals.closure_added.connect(replan_on_closure, dispatch_uid="bkklib.outreach.replan_on_closure")

        # Stops flagged as pickup places become places where reservations can be collected.
        from bkklib.circulation.services import holds

        from .pickup import StopPickups

        holds.register_pickup_places(StopPickups())
