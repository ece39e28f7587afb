"""The events app: festivals, reading-promotion projects, activities, registration and attendance."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "bkklib.events"
    label = "events"
    verbose_name = _("Events and activities")
