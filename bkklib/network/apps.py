"""The network app: the registry of branches, their hours and closures, staff and structure."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bkklib.network"
    label = "network"
    verbose_name = _("Library network")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from bkklib.core import stamps

        from . import history
        from .models import Assignment, Branch, Closure, OpeningPeriod, StaffMember

        # A branch's history rows carry its hours and services (bkklib.network.history).
        pre_create_historical_record.connect(history.fill_snapshot, sender=Branch.history.model,
                                             dispatch_uid="network.branch_history_snapshot")

        # Per-process caches (bkklib.core.stamps): who works where, and when branches open.
        stamps.watch("access", Assignment, StaffMember)
        stamps.watch("calendar", Branch, OpeningPeriod, Closure)
