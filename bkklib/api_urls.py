"""The REST API under /api/v1/: each app's ``api`` module contributes its ``urlpatterns``."""
from django.urls import include, path

urlpatterns = [
    path("", include("bkklib.network.api")),
    path("", include("bkklib.search.api")),
    path("", include("bkklib.catalog.api")),
    path("", include("bkklib.circulation.api")),
    path("", include("bkklib.opac.api")),
    path("", include("bkklib.events.api")),
    path("", include("bkklib.spaces.api")),
    path("", include("bkklib.elibrary.api")),
    path("", include("bkklib.outreach.api")),
    path("", include("bkklib.acquisitions.api")),
    path("", include("bkklib.volunteers.api")),
    path("", include("bkklib.facilities.api")),
    path("", include("bkklib.cases.api")),
    path("", include("bkklib.comms.api")),
    path("", include("bkklib.reports.api")),
]
