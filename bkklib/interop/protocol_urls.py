"""The protocol endpoints at the site's root: /oai, /sru and the iCalendar feeds of library closures."""
from django.urls import path

from . import feeds, views

urlpatterns = [
    path("oai", views.oai_pmh, name="oai"),
    path("sru", views.sru_endpoint, name="sru"),
    path("libraries/<slug:code>/closures.ics", feeds.branch_closures, name="branch-closures-ics"),
]
