"""Staff pages of the network app, under /staff/network/."""
from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("branches/", views.branch_list, name="branch-list"),
    path("branches/<slug:code>/", views.branch_detail, name="branch-detail"),
    path("branches/<slug:code>/edit/", views.branch_edit, name="branch-edit"),
    path("branches/<slug:code>/verify/", views.branch_verify, name="branch-verify"),
    path("branches/<slug:code>/closures/add/", views.closure_add, name="closure-add"),
    path("branches/<slug:code>/closures/<int:pk>/delete/", views.closure_delete, name="closure-delete"),
    path("branches/<slug:code>/staffing/", views.staffing_edit, name="staffing-edit"),
    path("freshness/", views.freshness, name="freshness"),
    path("freshness/remind/", views.send_reminders, name="freshness-remind"),
    path("structure/", views.org_chart, name="org-chart"),
    path("structure/drafts/", views.org_draft, name="org-draft"),
    path("structure/<int:pk>/", views.org_version, name="org-version"),
    path("structure/<int:pk>/compare/", views.org_compare, name="org-compare"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/accept/", views.coverage_accept, name="coverage-accept"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
]
