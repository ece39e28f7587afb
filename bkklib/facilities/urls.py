"""Pages of facilities: the staff /staff/facilities/ (included at "" before the OPAC)."""
from django.urls import path

from . import views

app_name = "facilities"
urlpatterns = [
    path("staff/facilities/", views.index, name="index"),
    path("staff/facilities/buildings/new/", views.building_new, name="building-new"),
    path("staff/facilities/buildings/<int:pk>/", views.building, name="building"),
    path("staff/facilities/buildings/<int:pk>/edit/", views.building_edit, name="building-edit"),
    path("staff/facilities/buildings/<int:pk>/audit/", views.audit_start, name="audit-start"),
    path("staff/facilities/audits/<int:pk>/", views.audit, name="audit"),
    path("staff/facilities/audits/<int:pk>/items/<int:item_pk>/", views.audit_answer, name="audit-answer"),
    path("staff/facilities/audits/<int:pk>/complete/", views.audit_complete, name="audit-complete"),
    path("staff/facilities/audits/<int:pk>/raise-work/", views.audit_raise_work, name="audit-raise-work"),
    path("staff/facilities/works/", views.works, name="works"),
    path("staff/facilities/works/<int:pk>/", views.work, name="work"),
    path("staff/facilities/trees/", views.trees, name="trees"),
    path("staff/facilities/trees/sites/new/", views.site_new, name="site-new"),
    path("staff/facilities/trees/sites/<int:pk>/", views.site, name="site"),
    path("staff/facilities/reports/", views.report, name="report"),
]
