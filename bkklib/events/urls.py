"""Public URLs of the events app, under /events/."""
from django.urls import path

from . import views_public as views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("registration/<str:token>/", views.registration, name="registration"),
    path("calendar.ics", views.feed_all, name="feed"),
    path("branch/<slug:code>.ics", views.feed_branch, name="feed-branch"),
    path("festival/<int:pk>.ics", views.feed_festival, name="feed-festival"),
]
