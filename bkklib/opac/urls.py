"""Public website URLs (stable: people bookmark and share them)."""
from django.urls import path

from . import views

app_name = "opac"
urlpatterns = [
    path("", views.home, name="home"),
]
