"""The verbs of volunteers: apply, screen, interview, decide, make a sign-in, offer and accept agreements,
resign and hand over, roster shifts, sign up, swap, check in and out, approve hours, evaluate, give welfare,
read sensitive fields (logged).

Every verb is one transaction with audit (core.history); "where" is checked with ``network.access``;
refusals are the DomainErrors of ``exceptions.py``, raised before anything is stored.

Applications and sensitive fields are here; agreements, shifts (sign-ups, swaps, hours), evaluations and
welfare live in their sibling modules and are re-exported, so ``services.X`` keeps working for every verb.
"""
from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import pdpa as core_pdpa
from bkklib.core import roles as core_roles
from bkklib.core.calendar import thai_date, thai_datetime
from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.core.thaiid import normalise_thai_id
from bkklib.network import access
from bkklib.network.models import District

from . import notices, protect, rules
from ._common import _local
from .agreements import DEFAULT_CONDUCT as DEFAULT_CONDUCT
from .agreements import accept_agreement as accept_agreement
from .agreements import end_agreement as end_agreement
from .agreements import end_due_resignations as end_due_resignations
from .agreements import offer_agreement as offer_agreement
from .agreements import override_handover as override_handover
from .agreements import request_resignation as request_resignation
from .agreements import tick_handover as tick_handover
from .checkin import checkin_point as checkin_point
from .checkin import rotate_checkin_token as rotate_checkin_token
from .checkin import scan_checkin as scan_checkin
from .evaluations import acknowledge_evaluation as acknowledge_evaluation
from .evaluations import evaluate as evaluate
from .exceptions import (
    CRITERIA_MESSAGES,
    AccountExists,
    AlreadyApplied,
    ApplicationState,
    CallClosed,
    CriteriaNotMet,
    InvalidNationalId,
)
from .models import (
    Application,
    Call,
    Criteria,
    Volunteer,
)
from .setup import save_benefit as save_benefit
from .setup import save_call as save_call
from .setup import save_criteria as save_criteria
from .setup import save_evaluation_form as save_evaluation_form
from .setup import save_role as save_role
from .shifts import CHECK_IN_EARLY as CHECK_IN_EARLY
from .shifts import MAX_SHIFT_HOURS as MAX_SHIFT_HOURS
from .shifts import approve_hours as approve_hours
from .shifts import cancel_signup as cancel_signup
from .shifts import check_in as check_in
from .shifts import check_out as check_out
from .shifts import create_shift as create_shift
from .shifts import record_hours as record_hours
from .shifts import sign_up as sign_up
from .swaps import answer_swap as answer_swap
from .swaps import decide_swap as decide_swap
from .swaps import request_swap as request_swap
from .swaps import withdraw_swap as withdraw_swap
from .welfare import give_benefit as give_benefit

SENSITIVE_PERM = "volunteers.view_sensitive"


# --- Applications -----------------------------------------------------------------------------------


def criteria_data(criteria: Criteria) -> rules.CriteriaData:
    return rules.CriteriaData(
        min_age=criteria.min_age, consent_below_age=criteria.consent_below_age, max_age=criteria.max_age,
        district_ids=frozenset(criteria.districts.values_list("pk", flat=True)),
        min_hours_per_week=criteria.min_hours_per_week, skills=tuple(criteria.skill_list),
        documents=tuple(criteria.document_list))


def unmet_messages(criteria: Criteria, unmet: list[rules.Unmet]) -> list[str]:
    """Return the Thai sentence of each unmet criterion, with its figures filled in."""
    texts = []
    for item in unmet:
        params = dict(item.params)
        if item.reason == "district":
            params["districts"] = ", ".join(criteria.districts.order_by("name_th").values_list("name_th", flat=True))
        texts.append(str(CRITERIA_MESSAGES[item.reason]).format(**params))
    return texts


def check_national_id(value: str) -> str:
    """Return the 13 digits of a valid Thai national ID; raise InvalidNationalId otherwise."""
    try:
        return normalise_thai_id(value or "")
    except ValidationError:
        raise InvalidNationalId(value=value or "", field="national_id") from None


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in (text or "").replace("\n", ",").split(",") if s.strip())


@transaction.atomic
def apply(*, call: Call, first_name: str, last_name: str, national_id: str, birth_date: date | None,
          phone: str = "", email: str = "", district: District | None = None, address: str = "",
          health_notes: str = "", hours_per_week: int = 0, skills: str = "", documents: str = "",
          guardian_consent: bool = False, guardian_name: str = "", motivation: str = "",
          now: datetime | None = None) -> Application:
    """File a citizen's application to ``call`` and return it.

    Raise InvalidNationalId, CallClosed, CriteriaNotMet (every unmet rule's Thai sentence) or
    AlreadyApplied; nothing is stored then. The ID, address and health notes are stored sealed.
    """
    now = now or timezone.now()
    digits = check_national_id(national_id)
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise InvalidInput(_("Give your first and last name."), code="name_required", field="first_name")
    call = Call.objects.select_related("criteria").get(pk=call.pk)
    today = _local(now).date()
    if not call.opens_on <= today <= call.closes_on:
        raise CallClosed(opens=thai_date(call.opens_on), closes=thai_date(call.closes_on))
    if guardian_consent and not (guardian_name or "").strip():
        guardian_consent = False  # consent without a named guardian is no consent
    applicant = rules.Applicant(birth_date=birth_date, district_id=district.pk if district else None,
                                hours_per_week=hours_per_week or 0, skills=_split(skills),
                                documents=_split(documents), guardian_consent=guardian_consent)
    unmet = rules.unmet_criteria(applicant, criteria_data(call.criteria), today=today)
    if unmet:
        raise CriteriaNotMet(unmet_messages(call.criteria, unmet), [u.reason for u in unmet])
    fingerprint = protect.fingerprint(digits)
    earlier = Application.objects.filter(call=call, national_id_hash=fingerprint, erased_at__isnull=True).first()
    if earlier is not None:
        raise AlreadyApplied(reference=earlier.reference)
    application = Application(
        call=call, branch_id=call.branch_id, first_name=first_name.strip(), last_name=last_name.strip(),
        birth_date=birth_date, phone=phone, email=email, district=district, national_id_hash=fingerprint,
        national_id_sealed=protect.seal(digits), address_sealed=protect.seal(address.strip()),
        health_sealed=protect.seal(health_notes.strip()), hours_per_week=hours_per_week or 0, skills=skills[:300],
        documents=documents[:300], guardian_consent=guardian_consent, guardian_name=guardian_name.strip()[:200],
        motivation=motivation, submitted_at=now)
    audit(application, None, "applied").save()
    transaction.on_commit(lambda: notices.send_application_notice(application, "received"))
    return application


def _decidable(application: Application, by, *allowed: str) -> Application:
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    access.require(by, "volunteers.decide_application", at=application.branch)
    if application.status not in allowed:
        raise ApplicationState(status=application.get_status_display())
    return application


@transaction.atomic
def screen(*, application: Application, by, passed: bool, note: str = "", now: datetime | None = None
           ) -> Application:
    """Record the screening of an application: passed (on to interview) or not (rejected with the note)."""
    now = now or timezone.now()
    application = _decidable(application, by, Application.Status.SUBMITTED)
    application.screening_note = note
    if passed:
        application.status = Application.Status.SCREENED
        audit(application, by, "screened").save()
        return application
    if not note.strip():
        raise InvalidInput(_("Give the reason the application did not pass screening."), code="reason_required")
    return _reject(application, by, note, now)


@transaction.atomic
def schedule_interview(*, application: Application, by, at: datetime, place: str, now: datetime | None = None
                       ) -> Application:
    now = now or timezone.now()
    application = _decidable(application, by, Application.Status.SCREENED, Application.Status.INTERVIEW)
    if at <= now:
        raise InvalidInput(_("The interview must be in the future."), code="interview_in_past", field="interview_at")
    application.interview_at, application.interview_place = at, place.strip()[:200]
    application.status = Application.Status.INTERVIEW
    audit(application, by, "interview scheduled").save()
    transaction.on_commit(lambda: notices.send_application_notice(
        application, "interview", when=thai_datetime(_local(at)), place=application.interview_place))
    return application


@transaction.atomic
def record_interview(*, application: Application, by, notes: str) -> Application:
    application = _decidable(application, by, Application.Status.INTERVIEW)
    application.interview_notes = notes
    audit(application, by, "interview notes").save()
    return application


def _reject(application: Application, by, reason: str, now: datetime) -> Application:
    application.status = Application.Status.REJECTED
    application.decided_at, application.decided_by = now, by
    application.decision_reason = reason.strip()[:300]
    audit(application, by, "rejected").save()
    transaction.on_commit(lambda: notices.send_application_notice(application, "rejected"))
    return application


def _next_code() -> str:
    last = Volunteer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    code = f"V{last + 1:06d}"
    while Volunteer.objects.filter(code=code).exists():
        last += 1
        code = f"V{last + 1:06d}"
    return code


@transaction.atomic
def decide(*, application: Application, by, accept: bool, reason: str, now: datetime | None = None
           ) -> Application:
    """Accept (making the volunteer record) or reject an application, with the reason; the applicant is told."""
    now = now or timezone.now()
    application = _decidable(application, by, Application.Status.SUBMITTED, Application.Status.SCREENED,
                             Application.Status.INTERVIEW)
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reason for the decision."), code="reason_required", field="reason")
    if not accept:
        return _reject(application, by, reason, now)
    application.status = Application.Status.ACCEPTED
    application.decided_at, application.decided_by = now, by
    application.decision_reason = reason.strip()[:300]
    audit(application, by, "accepted").save()
    volunteer = Volunteer(
        application=application, branch=application.branch, code=_next_code(), first_name=application.first_name,
        last_name=application.last_name, birth_date=application.birth_date, phone=application.phone,
        email=application.email, district=application.district, national_id_hash=application.national_id_hash,
        national_id_sealed=application.national_id_sealed, address_sealed=application.address_sealed,
        health_sealed=application.health_sealed, skills=application.skills, is_demo=application.is_demo)
    audit(volunteer, by, "accepted").save()
    transaction.on_commit(lambda: notices.send_application_notice(application, "accepted"))
    return application


@transaction.atomic
def make_account(*, application: Application, password: str):
    """Create the accepted applicant's sign-in (a Django user in the volunteer role) and return the user.

    The username is the volunteer code (V000123); the password passes Django's validators.
    """
    from django.contrib.auth.password_validation import validate_password

    application = Application.objects.select_for_update().get(pk=application.pk)
    volunteer = getattr(application, "volunteer", None)
    if application.status != Application.Status.ACCEPTED or volunteer is None:
        raise ApplicationState(status=application.get_status_display())
    if volunteer.user_id:
        raise AccountExists()
    User = get_user_model()
    user = User(username=volunteer.code, first_name=volunteer.first_name, last_name=volunteer.last_name,
                email=volunteer.email, is_staff=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password", field="password") from None
    user.set_password(password)
    user.save()
    user.groups.add(core_roles.group_for(core_roles.VOLUNTEER))
    volunteer.user = user
    audit(volunteer, None, "sign-in made").save()
    return user


# --- Sensitive fields -------------------------------------------------------------------------------


def sensitive_fields(person: Volunteer | Application, user, *, path: str = "", purpose: str = "") -> dict:
    """Return the unsealed national ID, address and health notes of ``person`` for ``user``.

    Only users holding ``volunteers.view_sensitive`` at the person's branch may read them (NotPermitted
    otherwise); every read is logged in core's AccessLog.
    """
    if not user.has_perm(SENSITIVE_PERM):
        raise NotPermitted(_("Your role may not see volunteers' national ID, address or health notes."),
                           code="sensitive_refused")
    access.require(user, SENSITIVE_PERM, at=person.branch)
    core_pdpa.log_access(user, person, action="view_sensitive", path=path, purpose=purpose or "volunteer record")
    return {"national_id": protect.unseal(person.national_id_sealed),
            "address": protect.unseal(person.address_sealed),
            "health_notes": protect.unseal(person.health_sealed)}
