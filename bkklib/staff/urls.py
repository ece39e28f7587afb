"""The staff back office shell under /staff/: log-in, desk choice, home page by role."""
from django.urls import path

from . import login, twofactor
from . import views as staff_views

urlpatterns = [
    path("login/", login.StaffLoginView.as_view(), name="staff-login"),
    path("login/verify/", login.verify, name="staff-login-verify"),
    path("two-factor/", twofactor.two_factor, name="staff-two-factor"),
    path("logout/", staff_views.StaffLogoutView.as_view(), name="staff-logout"),
    path("desk/", staff_views.choose_desk, name="staff-desk"),
    path("", staff_views.home, name="staff-home"),
]
