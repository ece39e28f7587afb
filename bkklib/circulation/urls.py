"""Staff pages of the circulation app, under /staff/circulation/."""
from django.urls import path

from . import views

app_name = "circulation"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("checkout/<int:patron_id>/", views.scan_checkout, name="scan-checkout"),
    path("checkout/<int:patron_id>/slip/", views.due_slip, name="due-slip"),
    path("checkin/", views.checkin_page, name="checkin"),
    path("checkin/scan/", views.scan_checkin, name="scan-checkin"),
    path("loans/<int:loan_id>/renew/", views.renew_loan, name="renew"),
    path("patrons/", views.patron_search, name="patron-search"),
    path("patrons/new/", views.patron_register, name="patron-register"),
    path("patrons/pending/", views.pending, name="pending"),
    path("patrons/<int:pk>/", views.patron_detail, name="patron-detail"),
    path("patrons/<int:pk>/edit/", views.patron_edit, name="patron-edit"),
    path("patrons/<int:pk>/card.pdf", views.patron_card, name="patron-card"),
    path("patrons/<int:pk>/export.json", views.patron_export, name="patron-export"),
    path("patrons/<int:pk>/pay/", views.pay, name="pay"),
    path("patrons/<int:pk>/<slug:action>/", views.patron_action, name="patron-action"),
    path("holds/shelf/", views.hold_shelf, name="hold-shelf"),
    path("holds/to-trap/", views.holds_to_trap, name="holds-to-trap"),
    path("loans/overdue/", views.overdue, name="overdue"),
    path("holds/<int:pk>/<slug:action>/", views.hold_action, name="hold-action"),
    path("fines/<int:pk>/waive/", views.waive, name="waive"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    path("cash-up/", views.cash_up, name="cash-up"),
    path("transits/", views.transits, name="transits"),
    path("items/", views.item_status, name="item-status"),
    path("notices/", views.notice_templates, name="notice-templates"),
    path("notices/<int:pk>/", views.notice_template_edit, name="notice-template-edit"),
]
