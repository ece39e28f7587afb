"""The cases app: cases with deadline clocks: field visits, audit findings, the GECC service desk (issue 26)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "bkklib.cases"
    label = "cases"
    verbose_name = _("Casework")
