"""The comms app: social-media content calendar, approval, channel publishing, reach (issue 27)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "bkklib.comms"
    label = "comms"
    verbose_name = _("Public relations")
