"""Patron sign-in on the public site: card number and PIN, lockout, rate limiting, PIN reset by code.

Patrons are not Django users: the session keeps the signed-in patron's id under its own key, so
a staff session and a patron session never mix. The PIN itself is the one circulation keeps
(``Patron.pin_hash``, set at the desk, at self-registration or here through ``set_pin``); this
module keeps the sign-in state around it in ``PatronLogin``.
"""
import functools
import secrets
from datetime import datetime, timedelta
from urllib.parse import quote

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bkklib.circulation import rules as circulation_rules
from bkklib.circulation.models import Patron
from bkklib.circulation.services import patrons as patron_services
from bkklib.core import ratelimit
from bkklib.core.calendar import thai_datetime
from bkklib.core.clients import client_ip
from bkklib.core.exceptions import InvalidInput, Refused
from bkklib.core.notifications import Recipient, ensure_template, notify

from . import rules
from .models import PatronLogin

SESSION_KEY = "opac_patron_id"
PIN_RESET_TEMPLATE = "opac.pin_reset"


class SignInRefused(Refused):
    code = "sign_in_refused"
    status = 403


BAD_CREDENTIALS = _("The card number or the PIN is not right. Check both and try again.")


SIGN_IN_LIMIT = ratelimit.Limit("opac-sign-in", rules.IP_ATTEMPTS_PER_WINDOW, rules.IP_WINDOW_SECONDS)
PIN_RESET_LIMIT = ratelimit.Limit("opac-pin-reset", rules.IP_ATTEMPTS_PER_WINDOW, rules.IP_WINDOW_SECONDS)


def _check_rate(request, limit: ratelimit.Limit) -> None:
    if ratelimit.hit(limit, client_ip(request)) > limit.count:
        raise SignInRefused(
            _("Too many attempts from this connection. Please wait {minutes} minutes and try again."),
            code="too_many_attempts", minutes=limit.minutes,
        )


def _locked_message(until: datetime):
    return SignInRefused(
        _("This card is locked after several wrong PINs until {until}. Reset the PIN or ask any library desk."),
        code="card_locked", until=thai_datetime(until),
    )


def sign_in(request, card: str, pin: str, *, now: datetime | None = None) -> Patron:
    """Sign the patron with ``card`` and ``pin`` into this session and return them.

    Raise SignInRefused (too many attempts from one address, card locked) or InvalidInput
    (wrong card or PIN: one message for both, so card numbers cannot be probed).
    """
    now = now or timezone.now()
    _check_rate(request, SIGN_IN_LIMIT)
    patron = patron_services.card_holder(card)
    if patron is None:
        patron_services.pin_matches(None, pin)  # spend the time a real check takes: do not reveal which cards exist
        raise InvalidInput(BAD_CREDENTIALS, code="bad_credentials", field="card")
    with transaction.atomic():
        state, _created = PatronLogin.objects.select_for_update().get_or_create(patron=patron)
        if state.locked_until and state.locked_until > now:
            raise _locked_message(state.locked_until)
        ok = patron_services.pin_matches(patron, pin)  # circulation's one PIN rule
        if ok:
            state.failed_attempts, state.locked_until, state.last_login_at = 0, None, now
        else:
            state.failed_attempts += 1
            state.last_failed_at = now
            minutes = rules.lock_minutes(state.failed_attempts)
            if minutes:
                state.locked_until = now + timedelta(minutes=minutes)
        state.save()
    # Raised after the transaction: the failure count and the lock must be kept.
    if not ok:
        if state.locked_until and state.locked_until > now:
            raise _locked_message(state.locked_until)
        raise InvalidInput(BAD_CREDENTIALS, code="bad_credentials", field="card")
    request.session.cycle_key()  # a new session id at sign-in: no session fixation
    request.session[SESSION_KEY] = patron.pk
    return patron


def sign_out(request) -> None:
    """End the patron's session (everything in it is dropped)."""
    request.session.flush()


def current_patron(request) -> Patron | None:
    """Return the patron signed into this session, or None (an erased patron is signed out)."""
    if hasattr(request, "_opac_patron"):
        return request._opac_patron
    patron = None
    patron_id = request.session.get(SESSION_KEY)
    if patron_id:
        patron = (
            Patron.objects.select_related("category", "home_branch").exclude(status=Patron.Status.ERASED)
            .filter(pk=patron_id).first()
        )
        if patron is None:
            request.session.pop(SESSION_KEY, None)
    request._opac_patron = patron
    return patron


def patron_required(view):
    """Decorate a view: sign-in page for visitors, else call ``view(request, patron, ...)``."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        patron = current_patron(request)
        if patron is None:
            return redirect(f"/account/?next={quote(request.get_full_path())}")
        return view(request, patron, *args, **kwargs)

    return wrapper


def ensure_reset_template() -> None:
    """Create the PIN reset message template unless an admin already edited one."""
    ensure_template(
        PIN_RESET_TEMPLATE,
        description="OPAC: code to reset a patron's PIN",
        subject_th="รหัสสำหรับตั้ง PIN ใหม่ ห้องสมุดกรุงเทพมหานคร",
        body_th="รหัสของคุณคือ {{ code }} ใช้ได้ภายใน {{ minutes }} นาที เพื่อตั้ง PIN ใหม่ของบัตร {{ card }}\n"
                "หากคุณไม่ได้ขอรหัสนี้ ไม่ต้องทำอะไร PIN เดิมยังใช้ได้",
        subject_en="Code to set a new PIN, Bangkok public libraries",
        body_en="Your code is {{ code }}. It is valid for {{ minutes }} minutes to set a new PIN for card {{ card }}.\n"
                "If you did not ask for it, do nothing: your PIN has not changed.",
    )


def _channels(patron: Patron) -> tuple[str, ...]:
    wanted = [c for c in (patron.notice_channels or []) if c in ("email", "line", "sms")]
    available = {"email": patron.email, "line": patron.line_user_id, "sms": patron.phone}
    channels = [c for c in wanted if available[c]] or [c for c in ("email", "sms", "line") if available[c]][:1]
    return tuple(channels)


def request_pin_reset(request, card: str, *, now: datetime | None = None) -> bool:
    """Send a one-time code to the patron of ``card`` through their notice channels.

    Return True when a code was sent. The page says the same either way (no card probing).
    """
    now = now or timezone.now()
    _check_rate(request, PIN_RESET_LIMIT)
    patron = patron_services.card_holder(card)
    if patron is None:
        return False
    channels = _channels(patron)
    if not channels:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        state, _created = PatronLogin.objects.select_for_update().get_or_create(patron=patron)
        state.reset_code_hash = make_password(code)
        state.reset_code_expires_at = now + timedelta(minutes=rules.RESET_CODE_MINUTES)
        state.reset_tries = 0
        state.save()
    ensure_reset_template()
    recipient = Recipient(name=patron.full_name, email=patron.email, phone=patron.phone,
                          line_user_id=patron.line_user_id, language=patron.language or "th")
    attempts = notify(recipient, PIN_RESET_TEMPLATE, {"code": code, "minutes": rules.RESET_CODE_MINUTES,
                                                      "card": patron.card_number},
                      channels=channels, about=f"circulation.patron:{patron.pk}")
    return any(a.status == a.Status.SENT for a in attempts)


def reset_pin(request, card: str, code: str, new_pin: str, *, now: datetime | None = None) -> Patron:
    """Set a new PIN with a code sent by ``request_pin_reset``; unlock the card; return the patron.

    Raise InvalidInput for a wrong or expired code (five tries per code) or a PIN that is not 4–6 digits.
    """
    now = now or timezone.now()
    _check_rate(request, PIN_RESET_LIMIT)
    if circulation_rules.normalise_pin(new_pin) is None:
        raise InvalidInput(_("The new PIN must be 4 to 6 digits."), code="bad_pin", field="pin")
    wrong = InvalidInput(_("The code is not right or has expired. Ask for a new code."), code="bad_reset_code",
                         field="code")
    patron = patron_services.card_holder(card)
    if patron is None:
        raise wrong
    with transaction.atomic():
        state = PatronLogin.objects.select_for_update().filter(patron=patron).first()
        usable = state is not None and state.reset_code_hash and state.reset_code_expires_at \
            and state.reset_code_expires_at > now and state.reset_tries < rules.RESET_CODE_TRIES
        if not usable:
            raise wrong
        if not check_password((code or "").strip(), state.reset_code_hash):
            state.reset_tries += 1
            state.save(update_fields=["reset_tries"])
            ok = False
        else:
            patron_services.set_pin(patron, new_pin)
            state.reset_code_hash, state.reset_code_expires_at, state.reset_tries = "", None, 0
            state.failed_attempts, state.locked_until = 0, None
            state.save()
            ok = True
    if not ok:
        raise wrong
    return patron


def change_pin(patron: Patron, current_pin: str, new_pin: str) -> None:
    """Change the PIN of a signed-in patron who knows the current one."""
    if not patron_services.pin_matches(patron, current_pin):
        raise InvalidInput(_("The current PIN is not right."), code="bad_current_pin", field="current_pin")
    if circulation_rules.normalise_pin(new_pin) is None:
        raise InvalidInput(_("The new PIN must be 4 to 6 digits."), code="bad_pin", field="pin")
    patron_services.set_pin(patron, new_pin)
