"""The acquisitions app: funds per fiscal year, vendors, suggestions, orders, receiving, donations (issue 23)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcquisitionsConfig(AppConfig):
    name = "bkklib.acquisitions"
    label = "acquisitions"
    verbose_name = _("Acquisitions")
