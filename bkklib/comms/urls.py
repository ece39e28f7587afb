"""Pages of comms: the staff /staff/comms/ (no public pages: posts reach the public through the channels)."""
from django.urls import path

from . import views

app_name = "comms"
urlpatterns = [
    path("staff/comms/", views.calendar, name="calendar"),
    path("staff/comms/posts/new/", views.post_form, name="post-new"),
    path("staff/comms/posts/<int:pk>/", views.post_detail, name="post"),
    path("staff/comms/posts/<int:pk>/edit/", views.post_form, name="post-edit"),
    path("staff/comms/drafts/", views.draft_sources, name="drafts"),
    path("staff/comms/review/", views.review, name="review"),
    path("staff/comms/report/", views.report, name="report"),
    path("staff/comms/report/import/", views.import_reach, name="import-reach"),
    path("staff/comms/channels/", views.channels, name="channels"),
    path("staff/comms/channels/new/", views.channel_form, name="channel-new"),
    path("staff/comms/channels/<int:pk>/", views.channel_form, name="channel-edit"),
]
