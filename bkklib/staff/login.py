"""Staff log-in: password, then (for users who enrolled) a TOTP code; rate limited per address.

Issue 30: the log-in form counts attempts per real client address (``core.ratelimit``, keyed on
``core.clients.client_ip`` behind ``BKKLIB_TRUSTED_PROXIES`` only) and per user name, so neither
one address nor a botnet can guess one account's password. A user with a confirmed TOTP device
(django-otp, enrolled on /staff/two-factor/) is not logged in after the password: the session
remembers who passed the first step, and the log-in completes only with a valid code from the
user's authenticator app (also rate limited). The Django admin's own log-in page sends here.
"""
import logging

from django import forms
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bkklib.core import ratelimit
from bkklib.core.clients import client_ip
from bkklib.core.redirects import is_safe_target
from bkklib.network import access

logger = logging.getLogger("bkklib.security")

# Ten tries per five minutes from one address, twenty per quarter hour on one user name.
LOGIN_LIMIT = ratelimit.Limit("staff-login", 10, 300)
LOGIN_USER_LIMIT = ratelimit.Limit("staff-login-user", 20, 900)
OTP_LIMIT = ratelimit.Limit("staff-otp", 10, 300)
PENDING_KEY = "staff_otp_pending"


def confirmed_device(user) -> TOTPDevice | None:
    """Return the user's confirmed TOTP device, or None when they have not enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def after_login(request, user, default_url: str):
    """Go on after a complete log-in: the desk choice when the user works at more than one branch."""
    mine = list(access.assigned_branches(user)[:2])
    if len(mine) == 1:
        request.session[access.DESK_SESSION_KEY] = mine[0].pk
    elif len(mine) > 1 or access.acts_everywhere(user):
        return redirect(f"{reverse('staff-desk')}?next={default_url}")
    return redirect(default_url)


class StaffLoginView(auth_views.LoginView):
    """Step one: user name and password."""

    template_name = "staff/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        try:
            ratelimit.check_request(LOGIN_LIMIT, request)
            ratelimit.check(LOGIN_USER_LIMIT, request.POST.get("username", "").strip().lower()[:150])
        except ratelimit.RateLimited as exc:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, exc.text)
            logger.warning("staff log-in rate limited from %s", client_ip(request))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        logger.info("staff log-in failed for %r from %s", form.data.get("username", "")[:150], client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        if confirmed_device(user) is not None:
            self.request.session.cycle_key()
            self.request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "next": next_url}
            return redirect("staff-login-verify")
        auth.login(self.request, user)
        return after_login(self.request, user, next_url)


class CodeForm(forms.Form):
    code = forms.RegexField(regex=r"^\s*\d{6}\s*$", label=gettext_lazy("6-digit code from your authenticator app"),
                            error_messages={"invalid": gettext_lazy("Type the 6 digits your authenticator app shows.")})


def verify(request):
    """Step two: the code of the user's authenticator app; only then is the user logged in."""
    pending = request.session.get(PENDING_KEY)
    user = auth.get_user_model().objects.filter(pk=(pending or {}).get("user"), is_active=True).first()
    device = confirmed_device(user) if user else None
    if device is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("staff-login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            ratelimit.check_request(OTP_LIMIT, request, extra=str(user.pk))
        except ratelimit.RateLimited as exc:
            form.is_valid()
            form.add_error(None, exc.text)
            return render(request, "staff/login_verify.html", {"form": form}, status=429)
        if form.is_valid():
            if device.verify_token(form.cleaned_data["code"].strip()):
                del request.session[PENDING_KEY]
                user.backend = pending["backend"]
                auth.login(request, user)
                otp_login(request, device)
                return after_login(request, user, safe_next_url(request, pending.get("next")))
            logger.info("staff two-factor code refused for %s from %s", user.get_username(), client_ip(request))
            form.add_error("code", _("The code is not right or has expired. Type the code your app shows now."))
        status = 400
    return render(request, "staff/login_verify.html", {"form": form}, status=status)


def safe_next_url(request, url: str | None) -> str:
    """``url`` when it stays on this site, else the staff home page."""
    return url if url and is_safe_target(request, url) else reverse("staff-home")
