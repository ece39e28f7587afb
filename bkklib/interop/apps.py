from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "bkklib.interop"
    label = "interop"
    verbose_name = _("Standard protocols")
    default_auto_field = "django.db.models.BigAutoField"
