"""Staff pages of the standard protocols, under /staff/interop/."""
from django.urls import path

from . import staff_views

app_name = "interop"

urlpatterns = [
    path("copy/", staff_views.copy_search, name="copy-search"),
    path("copy/compare/", staff_views.copy_compare, name="copy-compare"),
    path("copy/import/", staff_views.copy_import, name="copy-import"),
]
