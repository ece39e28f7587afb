"""The circulation app: patrons, loan rules, loans, holds, fines and notices."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirculationConfig(AppConfig):
    name = "bkklib.circulation"
    label = "circulation"
    verbose_name = _("Circulation")
