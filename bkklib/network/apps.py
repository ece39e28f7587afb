"""The network app: the registry of branches, their hours and closures, staff and structure."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bkklib.network"
    label = "network"
    verbose_name = _("Library network")

    def ready(self):
        from bkklib.core import stamps

        from .models import Assignment, Branch, Closure, OpeningPeriod, StaffMember

        # Per-process caches (bkklib.core.stamps): who works where, and when branches open.
        stamps.watch("access", Assignment, StaffMember)
        stamps.watch("calendar", Branch, OpeningPeriod, Closure)
