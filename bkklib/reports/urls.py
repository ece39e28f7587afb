"""Pages of reports: the staff /staff/dashboard/ and /staff/reports/, the public /open-data/ (included at "")."""
from django.urls import path, re_path

from .views import public, staff

app_name = "reports"
urlpatterns = [
    path("staff/dashboard/", staff.dashboard_page, name="dashboard"),
    path("staff/dashboard/indicators/", staff.definitions, name="definitions"),
    path("staff/reports/", staff.index, name="index"),
    path("staff/reports/rebuild/", staff.rebuild, name="rebuild"),
    path("staff/reports/subscriptions/", staff.subscribe, name="subscribe"),
    path("staff/reports/subscriptions/<int:pk>/delete/", staff.unsubscribe, name="unsubscribe"),
    path("staff/reports/<slug:key>/", staff.report, name="report"),
    path("open-data/", public.index, name="open-data"),
    re_path(r"^open-data/(?P<key>[a-z_]+\.[a-z0-9_]+)\.(?P<fmt>csv|json)$", public.download, name="open-data-file"),
]
