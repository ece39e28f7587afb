"""The network app: the registry of branches, their hours and closures, staff and structure."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bkklib.network"
    label = "network"
    verbose_name = _("Library network")
