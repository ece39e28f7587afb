"""Pages of outreach: the public /mobile-libraries/, the volunteer desk /outreach/desk/ and the staff /staff/outreach/."""
from django.urls import path

from .views import desk, public, staff

app_name = "outreach"
urlpatterns = [
    path("mobile-libraries/", public.index, name="index"),
    path("mobile-libraries/near/", public.near, name="near"),
    path("mobile-libraries/district/<str:code>/", public.district, name="district"),
    path("mobile-libraries/stops/<slug:code>/", public.stop, name="stop"),
    path("mobile-libraries/stops/<slug:code>/calendar.ics", public.stop_ics, name="stop-ics"),
    # The volunteer desk (PWA): the service worker is served from the desk's path so its scope covers it.
    path("outreach/desk/", desk.desk, name="desk"),
    path("outreach/desk/sign-in/", desk.sign_in, name="desk-sign-in"),
    path("outreach/desk/sign-out/", desk.sign_out, name="desk-sign-out"),
    path("outreach/desk/manifest.webmanifest", desk.manifest, name="desk-manifest"),
    path("outreach/desk/sw.js", desk.service_worker, name="desk-sw"),
    # Staff
    path("staff/outreach/", staff.home, name="staff-home"),
    path("staff/outreach/conflicts/", staff.conflicts, name="staff-conflicts"),
    path("staff/outreach/conflicts/<int:pk>/resolve/", staff.resolve, name="staff-resolve"),
    path("staff/outreach/deposits/", staff.deposits, name="staff-deposits"),
    path("staff/outreach/deposits/new/", staff.deposit_new, name="staff-deposit-new"),
    path("staff/outreach/deposits/<int:pk>/", staff.deposit_detail, name="staff-deposit"),
    path("staff/outreach/deposits/<int:pk>/<str:step>/", staff.deposit_step, name="staff-deposit-step"),
    path("staff/outreach/trips/", staff.trips, name="staff-trips"),
    path("staff/outreach/visits/new/", staff.visit_new, name="staff-visit-new"),
    path("staff/outreach/volunteers/", staff.volunteers, name="staff-volunteers"),
    path("staff/outreach/volunteers/<int:pk>/revoke/", staff.volunteer_revoke, name="staff-volunteer-revoke"),
    path("staff/outreach/statistics/", staff.statistics, name="staff-statistics"),
]
