"""Pages of outreach: the public /mobile-libraries/, the volunteer desk /outreach/desk/ and the staff /staff/outreach/."""
from django.urls import path

from .views import desk, public, setup, staff

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
    path("staff/outreach/trips/<int:pk>/", setup.trip_detail, name="staff-trip"),
    path("staff/outreach/trips/<int:pk>/hand-over/<int:hold_id>/", setup.hand_over, name="staff-hand-over"),
    # Set-up: vehicles, maintenance log, routes, stops, timetables
    path("staff/outreach/vehicles/", setup.vehicles, name="staff-vehicles"),
    path("staff/outreach/vehicles/new/", setup.vehicle_new, name="staff-vehicle-new"),
    path("staff/outreach/vehicles/<int:pk>/", setup.vehicle_detail, name="staff-vehicle"),
    path("staff/outreach/vehicles/<int:pk>/edit/", setup.vehicle_edit, name="staff-vehicle-edit"),
    path("staff/outreach/vehicles/<int:pk>/retire/", setup.vehicle_retire, name="staff-vehicle-retire"),
    path("staff/outreach/vehicles/<int:pk>/maintenance/new/", setup.maintenance_new, name="staff-maintenance-new"),
    path("staff/outreach/maintenance/<int:pk>/edit/", setup.maintenance_edit, name="staff-maintenance-edit"),
    path("staff/outreach/routes/", setup.routes, name="staff-routes"),
    path("staff/outreach/routes/new/", setup.route_new, name="staff-route-new"),
    path("staff/outreach/routes/<int:pk>/edit/", setup.route_edit, name="staff-route-edit"),
    path("staff/outreach/stops/", setup.stops, name="staff-stops"),
    path("staff/outreach/stops/new/", setup.stop_new, name="staff-stop-new"),
    path("staff/outreach/stops/<int:pk>/", setup.stop_detail, name="staff-stop"),
    path("staff/outreach/stops/<int:pk>/edit/", setup.stop_edit, name="staff-stop-edit"),
    path("staff/outreach/stops/<int:pk>/timetable/new/", setup.timetable_new, name="staff-timetable-new"),
    path("staff/outreach/timetables/<int:pk>/edit/", setup.timetable_edit, name="staff-timetable-edit"),
    path("staff/outreach/timetables/<int:pk>/end/", setup.timetable_end, name="staff-timetable-end"),
]
