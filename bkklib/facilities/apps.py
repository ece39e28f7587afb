"""The facilities app: buildings, Universal Design audits, improvement works, tree survey (issue 25)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "bkklib.facilities"
    label = "facilities"
    verbose_name = _("Buildings and grounds")
