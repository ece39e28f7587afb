"""Pages of volunteers: public /volunteer/ and the volunteer's own pages; staff /staff/volunteers/."""
from django.urls import path

from .views import desk, own, public, setup, staff

app_name = "volunteers"
urlpatterns = [
    path("volunteer/", public.index, name="index"),
    path("volunteer/calls/<int:pk>/apply/", public.apply, name="apply"),
    path("volunteer/application/<str:token>/", public.status, name="status"),
    path("volunteer/sign-in/", public.sign_in, name="sign-in"),
    path("volunteer/sign-out/", public.sign_out, name="sign-out"),
    path("volunteer/me/", public.me, name="me"),
    path("volunteer/me/agreements/<int:pk>/accept/", public.accept_agreement, name="accept-agreement"),
    path("volunteer/me/agreements/<int:pk>/resign/", public.resign, name="resign"),
    path("volunteer/me/shifts/<int:pk>/sign-up/", public.sign_up, name="sign-up"),
    path("volunteer/me/signups/<int:pk>/", public.shift_action, name="shift-action"),
    path("volunteer/me/signups/<int:pk>/swap/", own.swap, name="swap"),
    path("volunteer/me/swaps/<int:pk>/", own.swap_answer, name="swap-answer"),
    path("volunteer/check-in/<str:token>/", own.check_in, name="check-in"),
    path("volunteer/me/evaluations/<int:pk>/acknowledge/", public.acknowledge, name="acknowledge"),
    path("volunteer/me/certificate.pdf", public.certificate, name="certificate"),
    path("volunteer/me/export.json", public.export, name="export"),
    path("staff/volunteers/", staff.home, name="staff-home"),
    path("staff/volunteers/applications/<int:pk>/", staff.application, name="staff-application"),
    path("staff/volunteers/people/<int:pk>/", staff.volunteer, name="staff-volunteer"),
    path("staff/volunteers/roster/", staff.roster, name="staff-roster"),
    path("staff/volunteers/today/", staff.today, name="staff-today"),
    path("staff/volunteers/signups/<int:pk>/", staff.signup_action, name="staff-signup"),
    path("staff/volunteers/swaps/<int:pk>/", desk.swap_decide, name="staff-swap"),
    path("staff/volunteers/agreements/<int:pk>/", desk.agreement, name="staff-agreement"),
    path("staff/volunteers/check-in-qr/", desk.checkin_qr, name="staff-checkin-qr"),
    path("staff/volunteers/check-in-qr.pdf", desk.checkin_qr_pdf, name="staff-checkin-qr-pdf"),
    path("staff/volunteers/setup/", setup.index, name="staff-setup"),
    path("staff/volunteers/setup/calls/new/", setup.call, name="staff-call-new"),
    path("staff/volunteers/setup/calls/<int:pk>/", setup.call, name="staff-call"),
    path("staff/volunteers/setup/criteria/new/", setup.criteria, name="staff-criteria-new"),
    path("staff/volunteers/setup/criteria/<int:pk>/", setup.criteria, name="staff-criteria"),
    path("staff/volunteers/setup/benefits/new/", setup.benefit, name="staff-benefit-new"),
    path("staff/volunteers/setup/benefits/<int:pk>/", setup.benefit, name="staff-benefit"),
    path("staff/volunteers/setup/evaluation-forms/new/", setup.evaluation_form, name="staff-evaluation-form-new"),
    path("staff/volunteers/setup/evaluation-forms/<int:pk>/", setup.evaluation_form, name="staff-evaluation-form"),
]
