"""The reports app: indicator aggregates, the executive dashboard, standard reports, open data (issue 29)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "bkklib.reports"
    label = "reports"
    verbose_name = _("Dashboard and reports")
