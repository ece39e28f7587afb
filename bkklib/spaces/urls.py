"""Spaces pages: the public /spaces/ and the staff /staff/spaces/ (included at "" before the OPAC)."""
from django.urls import path

from .views import public, staff

app_name = "spaces"
urlpatterns = [
    path("spaces/", public.index, name="index"),
    path("spaces/bookings/<str:code>/", public.booking_detail, name="booking"),
    path("spaces/bookings/<str:code>/cancel/", public.cancel, name="booking-cancel"),
    path("spaces/bookings/<str:code>/booking.ics", public.booking_ics, name="booking-ics"),
    path("spaces/check-in/<str:token>/", public.check_in, name="check-in"),
    path("spaces/<slug:code>/", public.branch_grid, name="branch"),
    path("spaces/<slug:code>/book/", public.book, name="book"),
    path("staff/spaces/", staff.day, name="staff-day"),
    path("staff/spaces/scan/", staff.scan, name="staff-scan"),
    path("staff/spaces/bookings/<int:pk>/<slug:action>/", staff.booking_action, name="staff-booking-action"),
    path("staff/spaces/book/", staff.walk_in, name="staff-walk-in"),
    path("staff/spaces/approvals/", staff.approvals, name="staff-approvals"),
    path("staff/spaces/block/", staff.block, name="staff-block"),
    path("staff/spaces/spaces/", staff.spaces, name="staff-spaces"),
    path("staff/spaces/spaces/<int:pk>/photo/", staff.photo, name="staff-photo"),
    path("staff/spaces/report/", staff.report, name="staff-report"),
]
