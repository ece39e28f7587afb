"""REST API of the events app (wired under /api/v1/ by bkklib/api_urls.py).

Resources: ``festivals/``, ``projects/``, ``activities/``, ``sessions/``, ``registrations/``; verbs
under ``events/``: ``register/``, ``cancel/``, ``check-in/``, ``schedule/``. Adapters only: parse,
call the service, render; refusals are problem JSON with the reason as ``code``.
"""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import (
                    ActivityViewSet,
                    CancelView,
                    CheckInView,
                    FestivalViewSet,
                    ProjectViewSet,
                    RegisterView,
                    RegistrationViewSet,
                    ScheduleView,
                    SessionViewSet,
)

router = SimpleRouter()
router.register("festivals", FestivalViewSet, basename="api-festival")
router.register("projects", ProjectViewSet, basename="api-project")
router.register("activities", ActivityViewSet, basename="api-activity")
router.register("sessions", SessionViewSet, basename="api-session")
router.register("registrations", RegistrationViewSet, basename="api-registration")

urlpatterns = [
    path("events/register/", RegisterView.as_view(), name="api-events-register"),
    path("events/cancel/", CancelView.as_view(), name="api-events-cancel"),
    path("events/check-in/", CheckInView.as_view(), name="api-events-check-in"),
    path("events/schedule/", ScheduleView.as_view(), name="api-events-schedule"),
    path("", include(router.urls)),
]
