from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    name = "bkklib.migration"
    label = "migration"
    verbose_name = _("migration from ULibM and Koha")
