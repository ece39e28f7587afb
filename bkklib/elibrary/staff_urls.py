"""Staff URLs of the e-library under /staff/elibrary/."""
from django.urls import path

from .views import staff

app_name = "elibrary_staff"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("titles/", staff.title_list, name="titles"),
    path("titles/add/", staff.add_title, name="add"),
    path("titles/<int:title_id>/", staff.title_detail, name="title"),
    path("titles/<int:title_id>/poster.pdf", staff.title_poster, name="title-poster"),
    path("titles/<int:title_id>/collection/", staff.add_to_collection, name="add-to-collection"),
    path("licences/", staff.licence_list, name="licences"),
    path("licences/import/", staff.import_licences, name="licence-import"),
    path("collections/", staff.collection_list, name="collections"),
    path("collections/new/", staff.collection_edit, name="collection-new"),
    path("collections/<int:pk>/", staff.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", staff.collection_edit, name="collection-edit"),
    path("collections/<int:pk>/poster.pdf", staff.collection_poster, name="collection-poster"),
    path("campaigns/new/", staff.campaign_edit, name="campaign-new"),
    path("campaigns/<int:pk>/edit/", staff.campaign_edit, name="campaign-edit"),
    path("statistics/", staff.statistics, name="stats"),
]
