"""Staff URLs of the events app, under /staff/events/."""
from django.urls import path

from . import views_staff as views

app_name = "events_staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("festivals/", views.festivals, name="festivals"),
    path("festivals/new/", views.festival_form, name="festival-new"),
    path("festivals/<int:pk>/", views.festival_form, name="festival-edit"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_form, name="project-new"),
    path("projects/<int:pk>/", views.project_form, name="project-edit"),
    path("activities/new/", views.activity_form, name="activity-new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_form, name="activity-edit"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/check-in/", views.session_check_in, name="session-check-in"),
    path("sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("sessions/<int:pk>/walk-ins/", views.session_walk_ins, name="session-walk-ins"),
    path("sessions/<int:pk>/photo/", views.session_photo, name="session-photo"),
    path("sessions/<int:pk>/outcome/", views.session_outcome, name="session-outcome"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("report/", views.report, name="report"),
]
