"""Setting up SIP2 terminals: each gets a service account assigned to its branch with the self-check role."""
from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bkklib.core import roles
from bkklib.core.history import audit
from bkklib.network.models import Assignment, Branch, StaffMember

from .exceptions import TerminalRefused
from .models import Sip2Terminal
from .roles import SELF_CHECK

_DUMMY_HASH = make_password("not a terminal password")


@transaction.atomic
def create_terminal(*, login: str, password: str, name: str, branch: Branch, staff=None,
                    charset: str = Sip2Terminal.Charset.UTF8, date_style: str = Sip2Terminal.DateStyle.CE,
                    error_detection: bool = True, institution_id: str = "BKKLIB",
                    now: datetime | None = None) -> Sip2Terminal:
    """Create a SIP2 terminal at ``branch`` with its service account; refuse a taken login or a weak password."""
    now = now or timezone.now()
    login = (login or "").strip()
    if not login or "|" in login or len(login) > 60:
        raise TerminalRefused(login=login or "—", reason=_("the login must be 1–60 characters without '|'."),
                              field="login")
    if Sip2Terminal.objects.filter(login=login).exists():
        raise TerminalRefused(login=login, reason=_("this login is already used by another terminal."), field="login")
    if len(password or "") < 8 or "|" in password:
        raise TerminalRefused(login=login, reason=_("the password must have at least 8 characters, without '|'."),
                              field="password")
    user = get_user_model().objects.create(username=f"sip2-{login}"[:150], is_active=True)
    user.set_unusable_password()  # the account never logs in to the web; it only acts through SIP2
    user.save(update_fields=["password"])
    member = StaffMember.objects.create(
        user=user, employee_code=f"SIP2-{user.pk}"[:20], first_name_th=_("self-check terminal"), last_name_th=login,
        first_name_en="SIP2", last_name_en=login,
    )
    Assignment.objects.create(staff=member, branch=branch, starts_on=timezone.localdate(now),
                              note=_("SIP2 terminal service account"))
    user.groups.add(roles.group_for(SELF_CHECK))
    terminal = Sip2Terminal(login=login, password_hash=make_password(password), name=name, branch=branch, user=user,
                            charset=charset, date_style=date_style, error_detection=error_detection,
                            institution_id=institution_id)
    audit(terminal, staff, _("terminal set up"))
    terminal.save()
    return terminal


def authenticate(login: str, password: str) -> Sip2Terminal | None:
    """Return the enabled terminal with ``login`` and ``password``, or None (in the time a real check takes)."""
    terminal = (Sip2Terminal.objects.select_related("branch", "user").filter(login=(login or "").strip(), enabled=True)
                .first())
    if terminal is None:
        check_password(password or "", _DUMMY_HASH)
        return None
    return terminal if check_password(password or "", terminal.password_hash) else None


def seen(terminal: Sip2Terminal, *, now: datetime | None = None) -> None:
    """Note that ``terminal`` logged in (shown to staff: which machines are alive)."""
    Sip2Terminal.objects.filter(pk=terminal.pk).update(last_seen_at=now or timezone.now())


class CopyImportRefused(TerminalRefused):
    code = "copy_import_refused"
    message = _lazy("The record cannot be copied: {reason}")


def import_copy(marc: dict, *, source: str, user, overlay=None):
    """Save a record copied from another catalogue as a new record, or over ``overlay``'s MARC.

    The copied record's own control number (001/003) is dropped from an overlay, so the record keeps
    its identity here; the catalog's validation refuses a record that cannot be stored.
    """
    from bkklib.catalog import services as catalog_services

    if overlay is not None:
        keep = [f for f in overlay.marc.get("fields", []) if next(iter(f)) in ("001", "003")]
        marc = {**marc, "fields": keep + [f for f in marc.get("fields", []) if next(iter(f)) not in ("001", "003")]}
    reason = _("copied from {source}").format(source=source)
    return catalog_services.save_record(marc, record=overlay, user=user, reason=reason)
