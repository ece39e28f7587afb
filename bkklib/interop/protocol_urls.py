"""The protocol endpoints at the site's root: /oai and /sru."""
from django.urls import path

from . import views

urlpatterns = [
    path("oai", views.oai_pmh, name="oai"),
    path("sru", views.sru_endpoint, name="sru"),
]
