"""Pages of acquisitions: the staff /staff/acquisitions/ and the patron's /account/suggestions/."""
from django.urls import path

from .views import public, staff

app_name = "acquisitions"
urlpatterns = [
    path("account/suggestions/", public.suggestions, name="suggestions"),
    path("staff/acquisitions/", staff.home, name="staff-home"),
    path("staff/acquisitions/funds/", staff.funds, name="funds"),
    path("staff/acquisitions/funds/add/", staff.fund_add, name="fund-add"),
    path("staff/acquisitions/funds/transfer/", staff.fund_transfer, name="fund-transfer"),
    path("staff/acquisitions/funds/override/", staff.fund_override, name="fund-override"),
    path("staff/acquisitions/funds/close-year/", staff.close_year, name="close-year"),
    path("staff/acquisitions/funds/<int:pk>/", staff.fund_detail, name="fund"),
    path("staff/acquisitions/vendors/", staff.vendors, name="vendors"),
    path("staff/acquisitions/vendors/new/", staff.vendor_edit, name="vendor-new"),
    path("staff/acquisitions/vendors/<int:pk>/", staff.vendor_edit, name="vendor"),
    path("staff/acquisitions/requests/", staff.requests, name="requests"),
    path("staff/acquisitions/requests/<int:pk>/decide/", staff.request_decide, name="request-decide"),
    path("staff/acquisitions/orders/new/", staff.order_new, name="order-new"),
    path("staff/acquisitions/orders/<int:pk>/", staff.order_detail, name="order"),
    path("staff/acquisitions/orders/<int:pk>/lines/", staff.order_add_line, name="order-add-line"),
    path("staff/acquisitions/orders/<int:pk>/receive/", staff.order_receive, name="order-receive"),
    path("staff/acquisitions/orders/<int:pk>/purchase-order.pdf", staff.order_pdf, name="order-pdf"),
    path("staff/acquisitions/orders/<int:pk>/<slug:action>/", staff.order_action, name="order-action"),
    path("staff/acquisitions/donations/", staff.donations, name="donations"),
    path("staff/acquisitions/donations/<int:pk>/", staff.donation_detail, name="donation"),
    path("staff/acquisitions/donations/<int:pk>/letter.pdf", staff.donation_letter, name="donation-letter"),
    path("staff/acquisitions/donations/<int:pk>/<slug:action>/", staff.donation_action, name="donation-action"),
    path("staff/acquisitions/report/", staff.report, name="report"),
]
