"""Optional two-factor log-in for staff (django-otp TOTP): enrol with a QR code, turn it off, require it.

Any staff member may enrol on /staff/two-factor/: the page shows a QR code (and the key as text)
for an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP); the device is
confirmed only when the user types a code the app made, so nobody is locked out by a failed scan.
From then on log-in asks for a code (``staff.login.verify``). With
``BKKLIB_OTP_REQUIRED_FOR_ADMINS=1`` superusers and network admins must enrol before any other
staff or admin page opens (``RequireTwoFactorForAdmins``).
"""
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bkklib.core import ratelimit, roles
from bkklib.core.clients import client_ip
from bkklib.opac.cards import qr_svg

from .login import OTP_LIMIT, CodeForm, confirmed_device

logger = logging.getLogger("bkklib.security")
DEVICE_NAME = "bkklib"


def must_use_two_factor(user) -> bool:
    """Whether ``user`` may not work without a second factor (an admin, when the setting requires it)."""
    if not (settings.OTP_REQUIRED_FOR_ADMINS and user.is_authenticated):
        return False
    return user.is_superuser or user.groups.filter(name=roles.group_for(roles.NETWORK_ADMIN).name).exists()


def _key_text(device: TOTPDevice) -> str:
    """The device key in base32, in groups of four (for typing into an app without a camera)."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@login_required
def two_factor(request):
    """Enrol (QR code, then a code to confirm) or see that two-factor log-in is on, and turn it off."""
    device = confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        try:
            ratelimit.check_request(OTP_LIMIT, request, extra=str(request.user.pk))
        except ratelimit.RateLimited as exc:
            form.is_valid()
            form.add_error(None, exc.text)
            return _page(request, form, device, status=429)
    if device is not None:
        if request.method == "POST" and request.POST.get("action") == "disable":
            return _disable(request, form, device)
        return _page(request, CodeForm(), device)
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=DEVICE_NAME, confirmed=False)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user).exclude(pk=pending.pk).delete()
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            logger.warning("two-factor log-in turned on for %s from %s", request.user.get_username(), client_ip(request))
            messages.success(request, _("Two-factor log-in is on. From now on, log-in asks for a code from your app."))
            return redirect("staff-two-factor")
        form.add_error("code", _("The code is not right or has expired. Type the code your app shows now."))
    return _page(request, form, None, pending=pending, status=400 if form.errors else 200)


def _disable(request, form, device):
    if must_use_two_factor(request.user):
        messages.error(request, _("Administrators must keep two-factor log-in on."))
        return redirect("staff-two-factor")
    if form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
        TOTPDevice.objects.filter(user=request.user).delete()
        logger.warning("two-factor log-in turned off for %s from %s", request.user.get_username(), client_ip(request))
        messages.success(request, _("Two-factor log-in is off."))
        return redirect("staff-two-factor")
    if form.is_valid():
        form.add_error("code", _("The code is not right or has expired. Type the code your app shows now."))
    return _page(request, form, device, status=400)


def _page(request, form, device, *, pending=None, status=200):
    context = {"form": form, "device": device, "required": must_use_two_factor(request.user)}
    if pending is not None:
        context.update(qr=qr_svg(pending.config_url, label=_("QR code to add bkklib to your authenticator app")),
                       key=_key_text(pending))
    return render(request, "staff/two_factor.html", context, status=status)


class RequireTwoFactorForAdmins:
    """With ``OTP_REQUIRED_FOR_ADMINS``, an admin's session that passed no second factor opens only the
    enrolment page (and log-out): staff pages and the Django admin send it there first."""

    GUARDED = ("/staff/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (settings.OTP_REQUIRED_FOR_ADMINS and request.path.startswith(self.GUARDED)
                and request.path not in self._open_paths() and must_use_two_factor(request.user)
                and not request.user.is_verified()):
            if confirmed_device(request.user) is not None:  # enrolled, but this session skipped the code
                from django.contrib.auth import logout

                logout(request)
                return redirect("staff-login")
            messages.info(request, _("Administrators must turn on two-factor log-in before they continue."))
            return redirect("staff-two-factor")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {reverse("staff-two-factor"), reverse("staff-logout"), reverse("staff-login"),
                reverse("staff-login-verify")}
