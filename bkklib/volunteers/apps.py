"""The volunteers app: recruitment, applications, agreements, shifts and hours, evaluation, welfare (issue 24)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "bkklib.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
