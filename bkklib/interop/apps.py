from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "bkklib.interop"
    label = "interop"
    verbose_name = _("Standard protocols")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import signals

        post_delete.connect(signals.record_deleted, sender="catalog.Record", dispatch_uid="interop-record-deleted")
        post_save.connect(signals.record_saved, sender="catalog.Record", dispatch_uid="interop-record-saved")
