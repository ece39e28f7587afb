"""Pages of cases: the public /contact/ service desk and the staff /staff/cases/ (included at "")."""
from django.urls import path

from . import views_public as public
from . import views_staff as staff

app_name = "cases"
urlpatterns = [
    path("contact/", public.contact, name="contact"),
    path("contact/done/<str:code>/", public.contact_done, name="contact-done"),
    path("contact/standards/", public.standards, name="standards"),
    path("contact/track/", public.track_lookup, name="track-lookup"),
    path("contact/track/<str:code>/", public.track, name="track"),
    path("staff/cases/", staff.case_list, name="staff-list"),
    path("staff/cases/new/", staff.case_new, name="staff-new"),
    path("staff/cases/<int:pk>/", staff.case_detail, name="staff-case"),
    path("staff/cases/<int:pk>/<slug:action>/", staff.case_action, name="staff-case-action"),
    path("staff/cases/visits/", staff.visit_list, name="staff-visits"),
    path("staff/cases/visits/<int:pk>/", staff.visit_detail, name="staff-visit"),
    path("staff/cases/visits/<int:pk>/briefing/<int:branch_pk>.pdf", staff.visit_briefing, name="staff-briefing"),
    path("staff/cases/visits/<int:pk>/report.pdf", staff.visit_status_report, name="staff-visit-report"),
    path("staff/cases/audit/", staff.audit_list, name="staff-audits"),
    path("staff/cases/audit/<int:pk>/", staff.audit_detail, name="staff-audit"),
    path("staff/cases/report/", staff.monthly, name="staff-monthly"),
    path("staff/cases/gecc/", staff.evidence, name="staff-evidence"),
]
