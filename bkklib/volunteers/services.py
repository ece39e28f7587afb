"""The verbs of volunteers: apply, screen, interview, decide, make a sign-in, offer and accept agreements,
resign and hand over, roster shifts, sign up, swap, check in and out, approve hours, evaluate, give welfare,
read sensitive fields (logged).

Every verb is one transaction with audit (core.history); "where" is checked with ``network.access``;
refusals are the DomainErrors of ``exceptions.py``, raised before anything is stored.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

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
from bkklib.network.queries import work_calendar

from . import notices, protect, rules
from .exceptions import (
    CRITERIA_MESSAGES,
    AccountExists,
    AgreementState,
    AlreadyApplied,
    ApplicationState,
    BadHours,
    BadScores,
    BadShift,
    CallClosed,
    CriteriaNotMet,
    HandoverIncomplete,
    InvalidNationalId,
    ShiftFull,
    ShiftOverlap,
    ShiftRefused,
    SignupState,
)
from .models import (
    Agreement,
    Application,
    Benefit,
    Call,
    Criteria,
    Evaluation,
    EvaluationForm,
    Score,
    Shift,
    Signup,
    Swap,
    Volunteer,
    WelfareRecord,
)

SENSITIVE_PERM = "volunteers.view_sensitive"
MAX_SHIFT_HOURS = 16


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


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


# --- Agreements -------------------------------------------------------------------------------------

DEFAULT_CONDUCT = ("ปฏิบัติต่อผู้ใช้บริการทุกคนอย่างสุภาพและเท่าเทียม; รักษาความลับข้อมูลส่วนบุคคลของผู้ใช้บริการ; "
                   "แจ้งเจ้าหน้าที่ล่วงหน้าหากไม่สามารถมาตามกะ; ไม่รับสิ่งตอบแทนจากผู้ใช้บริการ")


@transaction.atomic
def offer_agreement(*, volunteer: Volunteer, by, branch, role, starts_on: date, duties: str,
                    ends_on: date | None = None, hours_per_week: int = 4, code_of_conduct: str = "",
                    notice_days: int = 5, handover: str = "", now: datetime | None = None) -> Agreement:
    """Offer ``volunteer`` an agreement for a placement (waits for the volunteer's acceptance)."""
    now = now or timezone.now()
    access.require(by, "volunteers.add_agreement", at=branch)
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("An agreement cannot end before it starts."), code="agreement_dates", field="ends_on")
    if Agreement.objects.filter(volunteer=volunteer, branch=branch, role=role,
                                status__in=["offered", "active", "resigning"]).exists():
        raise AgreementState(status=_("already open for this role and branch"))
    agreement = Agreement(volunteer=volunteer, branch=branch, role=role, starts_on=starts_on, ends_on=ends_on,
                          hours_per_week=hours_per_week, duties=duties or role.duties,
                          code_of_conduct=code_of_conduct or DEFAULT_CONDUCT, notice_days=notice_days,
                          handover=handover, created_at=now, created_by=by, is_demo=volunteer.is_demo)
    audit(agreement, by, "offered").save()
    return agreement


def _agreement_of(agreement: Agreement, volunteer: Volunteer | None) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("volunteer").get(pk=agreement.pk)
    if volunteer is not None and agreement.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your agreement."), code="not_yours")
    return agreement


def _move(agreement: Agreement, to: str) -> None:
    if not rules.may_move(agreement.status, to):
        raise AgreementState(status=agreement.get_status_display())
    agreement.status = to


@transaction.atomic
def accept_agreement(*, agreement: Agreement, volunteer: Volunteer, now: datetime | None = None) -> Agreement:
    """The volunteer accepts the agreement in their account: it comes into force."""
    now = now or timezone.now()
    agreement = _agreement_of(agreement, volunteer)
    _move(agreement, Agreement.Status.ACTIVE)
    agreement.accepted_at = now
    audit(agreement, volunteer.user, "accepted by the volunteer").save()
    return agreement


@transaction.atomic
def request_resignation(*, agreement: Agreement, volunteer: Volunteer | None = None, by=None, reason: str = "",
                        now: datetime | None = None) -> Agreement:
    """File a resignation: it takes effect after the agreement's notice in working days (holidays skipped)."""
    now = now or timezone.now()
    agreement = _agreement_of(agreement, volunteer)
    if volunteer is None:
        access.require(by, "volunteers.change_agreement", at=agreement.branch)
    _move(agreement, Agreement.Status.RESIGNING)
    agreement.resignation_filed_at = now
    agreement.resignation_reason = (reason or "").strip()[:300]
    agreement.resignation_effective_at = rules.resignation_effective(
        work_calendar(), filed_at=_local(now), notice_days=agreement.notice_days)
    audit(agreement, by or (volunteer.user if volunteer else None), "resignation filed").save()
    return agreement


@transaction.atomic
def tick_handover(*, agreement: Agreement, by, items: list[str]) -> Agreement:
    """Record which handover items are done (staff of the branch)."""
    agreement = _agreement_of(agreement, None)
    access.require(by, "volunteers.change_agreement", at=agreement.branch)
    known = agreement.handover_items
    agreement.handover_done = [item for item in known if item in set(items)]
    audit(agreement, by, "handover").save()
    return agreement


@transaction.atomic
def end_agreement(*, agreement: Agreement, by=None, reason: str = "", now: datetime | None = None) -> Agreement:
    """End a placement: a resignation once its notice has run and the handover is done, or staff's ending.

    The sign-ups and hours stay; future sign-ups of the placement are cancelled.
    """
    now = now or timezone.now()
    agreement = _agreement_of(agreement, None)
    if by is not None:
        access.require(by, "volunteers.change_agreement", at=agreement.branch)
    if agreement.status == Agreement.Status.RESIGNING:
        if now < agreement.resignation_effective_at:
            raise AgreementState(message=_("The notice period runs until {until}: the placement ends then."),
                                 until=thai_datetime(_local(agreement.resignation_effective_at)))
        left = [i for i in agreement.handover_items if i not in agreement.handover_done]
        if left:
            raise HandoverIncomplete(items=", ".join(left))
    _move(agreement, Agreement.Status.ENDED)
    agreement.ended_at = now
    agreement.end_reason = (reason or agreement.resignation_reason or "")[:300]
    audit(agreement, by, "ended").save()
    for signup in Signup.objects.filter(volunteer=agreement.volunteer, shift__branch=agreement.branch,
                                        shift__role=agreement.role, status=Signup.Status.SIGNED_UP,
                                        shift__starts_at__gt=now):
        signup.status = Signup.Status.CANCELLED
        audit(signup, by, "agreement ended").save()
    if not Agreement.objects.filter(volunteer=agreement.volunteer).exclude(status="ended").exists():
        volunteer = agreement.volunteer
        volunteer.status = Volunteer.Status.ENDED
        audit(volunteer, by, "last agreement ended").save()
    return agreement


def end_due_resignations(now: datetime | None = None) -> int:
    """End every resignation whose notice has run and whose handover is done; return how many."""
    now = now or timezone.now()
    ended = 0
    for agreement in Agreement.objects.filter(status=Agreement.Status.RESIGNING, resignation_effective_at__lte=now):
        if rules.handover_complete(agreement.handover_items, agreement.handover_done):
            end_agreement(agreement=agreement, now=now)
            ended += 1
    return ended


# --- Shifts, sign-ups and hours ---------------------------------------------------------------------


@transaction.atomic
def create_shift(*, branch, role, starts_at: datetime, ends_at: datetime, places: int = 1, note: str = "",
                 by) -> Shift:
    access.require(by, "volunteers.add_shift", at=branch)
    if ends_at <= starts_at or ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise BadShift(field="ends_at")
    if places < 1:
        raise InvalidInput(_("A shift needs at least one volunteer."), code="bad_places", field="places")
    shift = Shift(branch=branch, role=role, starts_at=starts_at, ends_at=ends_at, places=places, note=note)
    audit(shift, by, "rostered").save()
    return shift


def _overlap_check(volunteer: Volunteer, shift: Shift, *, ignore: Signup | None = None) -> None:
    held = Signup.objects.holding().filter(volunteer=volunteer, shift__starts_at__lt=shift.ends_at,
                                           shift__ends_at__gt=shift.starts_at).select_related("shift")
    if ignore is not None:
        held = held.exclude(pk=ignore.pk)
    spans = [(s.shift.starts_at, s.shift.ends_at) for s in held]
    clash = rules.overlapping((shift.starts_at, shift.ends_at), spans)
    if clash:
        raise ShiftOverlap(start=thai_datetime(_local(clash[0])), end=f"{_local(clash[1]):%H.%M}")


def _open_agreement(volunteer: Volunteer, shift: Shift) -> Agreement | None:
    return Agreement.objects.filter(volunteer=volunteer, branch_id=shift.branch_id, role_id=shift.role_id,
                                    status=Agreement.Status.ACTIVE, starts_on__lte=_local(shift.starts_at).date()
                                    ).first()


@transaction.atomic
def sign_up(*, shift: Shift, volunteer: Volunteer, now: datetime | None = None) -> Signup:
    """Put ``volunteer`` on ``shift``: needs an agreement in force for its role and branch, a free place,
    and no other shift of theirs overlapping it."""
    now = now or timezone.now()
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if shift.starts_at <= now or _open_agreement(volunteer, shift) is None:
        raise ShiftRefused()
    if Signup.objects.holding().filter(shift=shift, volunteer=volunteer).exists():
        raise SignupState(status=Signup.Status.SIGNED_UP.label)
    _overlap_check(volunteer, shift)
    if Signup.objects.holding().filter(shift=shift).count() >= shift.places:
        raise ShiftFull(places=shift.places)
    signup = Signup(shift=shift, volunteer=volunteer, branch_id=shift.branch_id, signed_up_at=now)
    audit(signup, volunteer.user, "signed up").save()
    return signup


@transaction.atomic
def cancel_signup(*, signup: Signup, volunteer: Volunteer | None = None, by=None, now: datetime | None = None
                  ) -> Signup:
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if by is not None:
        access.require(by, "volunteers.change_signup", at=signup.branch)
    if signup.status != Signup.Status.SIGNED_UP or signup.shift.starts_at <= now:
        raise SignupState(status=signup.get_status_display())
    signup.status = Signup.Status.CANCELLED
    audit(signup, by, "cancelled").save()
    return signup


@transaction.atomic
def request_swap(*, signup: Signup, volunteer: Volunteer, to_volunteer: Volunteer, now: datetime | None = None
                 ) -> Swap:
    """Ask staff to hand ``signup`` to another volunteer of the same placement."""
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if signup.status != Signup.Status.SIGNED_UP or signup.shift.starts_at <= now:
        raise SignupState(status=signup.get_status_display())
    if to_volunteer.pk == volunteer.pk or _open_agreement(to_volunteer, signup.shift) is None:
        raise ShiftRefused()
    swap = Swap(signup=signup, to_volunteer=to_volunteer, requested_at=now)
    audit(swap, volunteer.user, "swap requested").save()
    return swap


@transaction.atomic
def decide_swap(*, swap: Swap, by, approve: bool, now: datetime | None = None) -> Swap:
    """Staff approve (the sign-up moves to the other volunteer) or refuse a swap."""
    now = now or timezone.now()
    swap = Swap.objects.select_for_update().select_related("signup__shift").get(pk=swap.pk)
    access.require(by, "volunteers.approve_hours", at=swap.signup.branch)
    if swap.status != Swap.Status.PENDING:
        raise SignupState(status=swap.get_status_display())
    swap.decided_at, swap.decided_by = now, by
    if approve:
        old = Signup.objects.select_for_update().get(pk=swap.signup_id)
        if old.status != Signup.Status.SIGNED_UP:
            raise SignupState(status=old.get_status_display())
        _overlap_check(swap.to_volunteer, old.shift)
        old.status = Signup.Status.SWAPPED
        audit(old, by, "swapped").save()
        audit(Signup(shift=old.shift, volunteer=swap.to_volunteer, branch_id=old.branch_id, signed_up_at=now),
              by, "swapped in").save()
        swap.status = Swap.Status.APPROVED
    else:
        swap.status = Swap.Status.REFUSED
    audit(swap, by, "swap decided").save()
    return swap


CHECK_IN_EARLY = timedelta(minutes=30)


@transaction.atomic
def check_in(*, signup: Signup, by=None, volunteer: Volunteer | None = None, method: str = "desk",
             now: datetime | None = None) -> Signup:
    """Check a volunteer in: at the desk (``by`` staff of the branch) or by the branch's QR (the volunteer)."""
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().select_related("shift").get(pk=signup.pk)
    if by is not None:
        access.require(by, "volunteers.change_signup", at=signup.branch)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if signup.status != Signup.Status.SIGNED_UP:
        raise SignupState(status=signup.get_status_display())
    if not signup.shift.starts_at - CHECK_IN_EARLY <= now <= signup.shift.ends_at:
        raise InvalidInput(_("Check-in opens 30 minutes before the shift and closes at its end."),
                           code="check_in_window")
    signup.status, signup.checked_in_at, signup.check_method = Signup.Status.CHECKED_IN, now, method
    audit(signup, by, f"checked in ({method})").save()
    return signup


@transaction.atomic
def check_out(*, signup: Signup, by=None, volunteer: Volunteer | None = None, now: datetime | None = None
              ) -> Signup:
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if by is not None:
        access.require(by, "volunteers.change_signup", at=signup.branch)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your shift."), code="not_yours")
    if signup.status != Signup.Status.CHECKED_IN:
        raise SignupState(status=signup.get_status_display())
    reason = rules.hours_refusal(checked_in_at=signup.checked_in_at, checked_out_at=now, now=now)
    if reason:
        raise BadHours(reason)
    signup.status, signup.checked_out_at = Signup.Status.CHECKED_OUT, now
    signup.minutes = rules.worked_minutes(signup.checked_in_at, now)
    audit(signup, by, "checked out").save()
    return signup


@transaction.atomic
def record_hours(*, signup: Signup, by, checked_in_at: datetime, checked_out_at: datetime,
                 now: datetime | None = None) -> Signup:
    """Staff record or correct the times of a sign-up (a forgotten check-out); no time in the future."""
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    access.require(by, "volunteers.change_signup", at=signup.branch)
    if signup.status not in (Signup.Status.SIGNED_UP, Signup.Status.CHECKED_IN, Signup.Status.CHECKED_OUT):
        raise SignupState(status=signup.get_status_display())
    if signup.approved_at is not None:
        raise SignupState(status=_("approved"))
    reason = rules.hours_refusal(checked_in_at=checked_in_at, checked_out_at=checked_out_at, now=now)
    if reason:
        raise BadHours(reason)
    signup.checked_in_at, signup.checked_out_at = checked_in_at, checked_out_at
    signup.status, signup.check_method = Signup.Status.CHECKED_OUT, signup.check_method or "desk"
    signup.minutes = rules.worked_minutes(checked_in_at, checked_out_at)
    audit(signup, by, "hours recorded").save()
    return signup


@transaction.atomic
def approve_hours(*, signup: Signup, by, now: datetime | None = None) -> Signup:
    now = now or timezone.now()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    access.require(by, "volunteers.approve_hours", at=signup.branch)
    if signup.status != Signup.Status.CHECKED_OUT or signup.approved_at is not None:
        raise SignupState(status=signup.get_status_display())
    signup.approved_at, signup.approved_by = now, by
    audit(signup, by, "hours approved").save()
    return signup


# --- Evaluation -------------------------------------------------------------------------------------


@transaction.atomic
def evaluate(*, form: EvaluationForm, volunteer: Volunteer, by, scores: dict[int, int], comments: str = "",
             now: datetime | None = None) -> Evaluation:
    """Score ``volunteer`` on every criterion of ``form``; the weighted total decides the recommendation."""
    now = now or timezone.now()
    access.require(by, "volunteers.evaluate_volunteer", at=volunteer.branch)
    criteria = list(form.criteria.all())
    pure = [rules.Criterion(c.pk, c.weight, c.max_score) for c in criteria]
    problem = rules.score_refusal(pure, scores)
    if problem:
        criterion = next(c for c in criteria if c.pk == problem[1])
        raise BadScores(criterion=f"{criterion.name}: 0–{criterion.max_score}")
    if Evaluation.objects.filter(form=form, volunteer=volunteer).exists():
        raise InvalidInput(_("This volunteer has already been evaluated on this form."), code="evaluated")
    total = rules.weighted_total(pure, scores)
    evaluation = Evaluation(form=form, volunteer=volunteer, branch=volunteer.branch, evaluator=by,
                            evaluated_at=now, total=total, comments=comments,
                            recommendation=rules.recommendation(total, form.pass_mark))
    audit(evaluation, by, "evaluated").save()
    Score.objects.bulk_create([Score(evaluation=evaluation, criterion=c, score=scores[c.pk]) for c in criteria])
    return evaluation


@transaction.atomic
def acknowledge_evaluation(*, evaluation: Evaluation, volunteer: Volunteer, comment: str = "",
                           now: datetime | None = None) -> Evaluation:
    now = now or timezone.now()
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your evaluation."), code="not_yours")
    if evaluation.acknowledged_at is not None:
        raise InvalidInput(_("You have already acknowledged this evaluation."), code="acknowledged")
    evaluation.acknowledged_at, evaluation.volunteer_comment = now, comment
    audit(evaluation, volunteer.user, "acknowledged").save()
    return evaluation


# --- Welfare ----------------------------------------------------------------------------------------


@transaction.atomic
def give_benefit(*, volunteer: Volunteer, benefit: Benefit, by, given_on: date, amount: Decimal | None = None,
                 note: str = "", now: datetime | None = None) -> WelfareRecord:
    now = now or timezone.now()
    access.require(by, "volunteers.manage_welfare", at=volunteer.branch)
    if given_on > _local(now).date():
        raise InvalidInput(_("Welfare cannot be recorded for a future date."), code="welfare_future",
                           field="given_on")
    if given_on < benefit.in_force_from or (benefit.in_force_until and given_on > benefit.in_force_until):
        raise InvalidInput(_("{benefit} was not in force on {day}.").format(benefit=benefit.name_th,
                                                                         day=thai_date(given_on)),
                           code="benefit_not_in_force", field="given_on")
    amount = benefit.amount if amount is None else amount
    if amount is not None and amount < 0:
        raise InvalidInput(_("An amount cannot be negative."), code="negative_amount", field="amount")
    record = WelfareRecord(volunteer=volunteer, benefit=benefit, branch=volunteer.branch, given_on=given_on,
                           amount=amount or Decimal("0"), note=note, recorded_by=by)
    audit(record, by, "welfare given").save()
    return record
