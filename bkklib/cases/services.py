"""The verbs of casework: file, route, change state, answer, close, reopen, rate, comment, attach,
set a due date, record visits and audit reports, and send the deadline alerts.

Every verb is one transaction with an audit row (``core.history.audit``); messages to people go out
after commit. A refusal raises a ``DomainError`` before anything is written, so nothing is stored half.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_date
from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.core.images import Photo
from bkklib.network import access
from bkklib.network.models import Branch, OrgUnit
from bkklib.network.queries import unit_of, version_in_force, work_calendar
from bkklib.network.rules import workdays

from . import notices, rules, tasks
from .exceptions import (
    AnswerRequired,
    BadRating,
    ContactRequired,
    DeadlineInPast,
    RatingRefused,
    RootCauseRequired,
    StateChangeRefused,
)
from .models import Alert, Attachment, AuditReport, Case, CasePause, Category, ClockUnit, Comment, RoutingRule, Visit

VISIT_RESPONSE = (ClockUnit.CALENDAR_HOURS, 24)  # ติดตามการลงพื้นที่ 24 ชม.
VISIT_RESOLUTION = (ClockUnit.BUSINESS_DAYS, 15)
AUDIT_RESPONSE = (ClockUnit.BUSINESS_DAYS, 5)
DEFAULT_CITIZEN = ((ClockUnit.BUSINESS_DAYS, 1), (ClockUnit.BUSINESS_DAYS, 15))


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require(user, perm: str, branch: Branch | None) -> None:
    """Staff act at their branches; a case of no branch is for those who act network-wide."""
    if user is None:
        return
    if branch is not None:
        access.require(user, perm, at=branch)
    elif not (access.acts_everywhere(user) and user.has_perm(perm)):
        raise NotPermitted()


def _note(case: Case, text: str, *, by=None, now: datetime, public: bool = False, event: str = "") -> Comment:
    return Comment.objects.create(case=case, author=by if getattr(by, "is_authenticated", False) else None,
                                  body=text, is_public=public, created_at=now, event=event)


def _local(moment: datetime) -> datetime:
    """Clocks count in Bangkok time: a datetime read back from the database is in UTC."""
    return timezone.localtime(moment)


def _closed_pauses(case: Case) -> list[tuple[datetime, datetime]]:
    return [(_local(a), _local(b))
            for a, b in case.pauses.filter(ended_at__isnull=False).values_list("started_at", "ended_at")]


def recompute_clocks(case: Case) -> None:
    """Set the due times from the clocks and the finished pauses (an open pause is added when it ends)."""
    calendar = work_calendar()
    pauses = _closed_pauses(case) if case.pk else []
    case.response_due_at = rules.due(calendar, rules.Clock(case.response_unit, case.response_amount,
                                                           _local(case.filed_at)), pauses)
    if not case.due_fixed:
        case.resolution_due_at = rules.due(calendar, rules.Clock(case.resolution_unit, case.resolution_amount,
                                                                 _local(case.filed_at)), pauses)
    start = _local(case.filed_at)
    case.response_remind_at = rules.reminder_at(
        calendar, rules.Clock(case.response_unit, case.response_amount, start), _local(case.response_due_at))
    resolution_due = _local(case.resolution_due_at)
    case.resolution_remind_at = rules.reminder_at(
        calendar, rules.Clock(case.resolution_unit, case.resolution_amount, start), resolution_due) \
        if resolution_due > start else resolution_due


def route_units(category: Category | None, branch: Branch | None, *, on: date) -> list[OrgUnit]:
    """Return the responsible units: the category's rule for the branch, its default rule, the category's
    unit, else the unit of the branch, all in the structure in force on ``on``."""
    version = version_in_force(on)
    if version is None:
        return []
    codes: list[str] = []
    if category is not None:
        rule = (RoutingRule.objects.filter(category=category, branch=branch).first() if branch else None) \
            or RoutingRule.objects.filter(category=category, branch__isnull=True).first()
        if rule:
            codes = [rule.unit_code]
        elif category.default_unit_code:
            codes = [category.default_unit_code]
    if codes:
        return list(OrgUnit.objects.filter(version=version, code__in=codes))
    unit = unit_of(branch, on) if branch else None
    return [unit] if unit else []


def _end_of_office(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, workdays.OFFICE_CLOSES))


@transaction.atomic
def file_case(*, kind: str, title: str, description: str, by=None, now: datetime | None = None,
              channel: str = Case.Channel.WEB, category: Category | None = None, branch: Branch | None = None,
              requester_name: str = "", requester_phone: str = "", requester_email: str = "",
              is_anonymous: bool = False, latitude=None, longitude=None, photos: Sequence[Photo] = (),
              visit: Visit | None = None, audit_report: AuditReport | None = None, risk: str = "",
              recommendation: str = "", agreed_action: str = "", due_on: date | None = None,
              units: Iterable[OrgUnit] | None = None, labels: Iterable = ()) -> Case:
    """File a case and return it, its clocks running from ``now``.

    Citizens' cases take their clocks from the category's service standard; visit items answer within
    24 calendar hours; audit findings are due on ``due_on`` (end of that office day). Raise
    ContactRequired, DeadlineInPast, NotPermitted.
    """
    now = _now(now)
    if not title.strip() or not description.strip():
        raise InvalidInput(_("Write a subject and the details."), field="title")
    perm = "cases.add_case"
    if kind == Case.Kind.VISIT_ITEM:
        perm = "cases.manage_visits"
    elif kind == Case.Kind.AUDIT_FINDING:
        perm = "cases.manage_audit"
    _require(by, perm, branch)
    citizen = kind in (Case.Kind.REQUEST, Case.Kind.COMPLAINT, Case.Kind.SUGGESTION, Case.Kind.COMPLIMENT)
    if citizen and not is_anonymous and not (requester_name.strip()
                                             and (requester_phone.strip() or requester_email.strip())):
        raise ContactRequired(field="requester_name")
    if kind == Case.Kind.VISIT_ITEM:
        response, resolution = VISIT_RESPONSE, VISIT_RESOLUTION
    elif kind == Case.Kind.AUDIT_FINDING:
        response, resolution = AUDIT_RESPONSE, (ClockUnit.BUSINESS_DAYS, 30)
    elif category is not None:
        response = (category.response_unit, category.response_amount)
        resolution = (category.resolution_unit, category.resolution_amount)
    else:
        response, resolution = DEFAULT_CITIZEN
    case = Case(kind=kind, title=title.strip()[:200], description=description.strip(), channel=channel,
                category=category, branch=branch, requester_name=requester_name.strip(),
                requester_phone=requester_phone.strip(), requester_email=requester_email.strip(),
                is_anonymous=is_anonymous, latitude=latitude, longitude=longitude, visit=visit,
                audit_report=audit_report, risk=risk, recommendation=recommendation, agreed_action=agreed_action,
                filed_at=now, response_unit=response[0], response_amount=response[1],
                resolution_unit=resolution[0], resolution_amount=resolution[1],
                created_by=by if getattr(by, "is_authenticated", False) else None)
    if due_on is not None:
        if due_on < timezone.localdate(now):
            raise DeadlineInPast(due=thai_date(due_on), field="due_on")
        case.due_fixed = True
        case.resolution_due_at = _end_of_office(due_on)
    recompute_clocks(case)
    audit(case, by, "filed")
    case.save()
    case.units.set(list(units) if units is not None else route_units(category, branch, on=timezone.localdate(now)))
    if labels:
        case.labels.set(list(labels))
    for photo in photos:
        _attach(case, photo.content, stage=Attachment.Stage.BEFORE, by=by, now=now, is_photo=True)
    if citizen and (case.requester_email or case.requester_phone):
        transaction.on_commit(lambda: tasks.send_case_notice(case.pk, "received"))
    return case


def _attach(case: Case, content, *, stage: str, by, now: datetime, is_photo: bool, caption: str = "") -> Attachment:
    attachment = Attachment(case=case, stage=stage, is_photo=is_photo, caption=caption[:200], uploaded_at=now,
                            uploaded_by=by if getattr(by, "is_authenticated", False) else None)
    attachment.file.save(content.name, content, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attach(*, case: Case, content, stage: str, by, now: datetime | None = None, is_photo: bool = True,
           caption: str = "") -> Attachment:
    """Add a photo (already prepared by ``core.images``) or a document to ``case``."""
    _require(by, "cases.change_case", case.branch)
    if stage not in Attachment.Stage.values:
        raise InvalidInput(_("Choose before, after or evidence."), field="stage")
    now = _now(now)
    attachment = _attach(case, content, stage=stage, by=by, now=now, is_photo=is_photo, caption=caption)
    case = Case.objects.get(pk=case.pk)
    audit(case, by, f"attached {stage}")
    case.save(update_fields=["updated_at"])
    return attachment


@transaction.atomic
def route(*, case: Case, units: Iterable[OrgUnit], by, assignee=None, now: datetime | None = None) -> Case:
    """Send ``case`` to ``units`` (and a handler); the routing is noted on the case."""
    _require(by, "cases.change_case", case.branch)
    now = _now(now)
    units = list(units)
    if not units:
        raise InvalidInput(_("Choose at least one responsible unit."), field="units")
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.units.set(units)
    if assignee is not None:
        case.assignee = assignee
    audit(case, by, "routed")
    case.save()
    _note(case, _("Routed to %(units)s.") % {"units": ", ".join(u.name_th for u in units)}, by=by, now=now,
          event="routed")
    return case


@transaction.atomic
def change_state(*, case: Case, target: str, by=None, now: datetime | None = None, note: str = "") -> Case:
    """Move ``case`` to ``target``: pauses the clocks in a waiting state, stops them when done, counts a reopen.

    Raise StateChangeRefused for a change the workflow does not allow.
    """
    now = _now(now)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(by, "cases.change_case", case.branch)
    current = case.state
    if not rules.may_move(current, target):
        raise StateChangeRefused(current=Case.State(current).label, target=Case.State(target).label
                                 if target in Case.State.values else target, field="state")
    if target == rules.RESOLVED and case.is_citizen_case and not case.answer.strip():
        raise AnswerRequired(field="answer")
    if target == rules.CLOSED and case.kind == Case.Kind.COMPLAINT and current != rules.NEW and not (
            case.root_cause.strip() and case.preventive_action.strip()):
        raise RootCauseRequired(field="root_cause")
    if rules.counts_as_response(current, target) and case.responded_at is None:
        case.responded_at = now
    if current in rules.PAUSING_STATES:
        case.pauses.filter(ended_at__isnull=True).update(ended_at=now)
    if target in rules.PAUSING_STATES:
        CasePause.objects.create(case=case, started_at=now)
    if rules.is_reopen(current, target):
        case.reopen_count += 1
        case.resolved_at = case.closed_at = None
        case.rating = None
        case.rating_comment = ""
        case.rated_at = None
    if target == rules.RESOLVED:
        case.resolved_at = now
    if target == rules.CLOSED:
        case.closed_at = now
        case.resolved_at = case.resolved_at or now
    case.state = target
    if current in rules.PAUSING_STATES and not rules.is_reopen(current, target):
        recompute_clocks(case)
    audit(case, by, f"{current} → {target}")
    case.save()
    _note(case, note or _("Status: %(state)s") % {"state": Case.State(target).label}, by=by, now=now,
          public=True, event=target)
    if case.is_citizen_case and (case.requester_email or case.requester_phone):
        if target == rules.CLOSED:
            transaction.on_commit(lambda: tasks.send_case_notice(case.pk, "closed"))
        elif target == rules.RESOLVED:
            transaction.on_commit(lambda: tasks.send_case_notice(case.pk, "answered"))
    return case


@transaction.atomic
def answer(*, case: Case, text: str, by, now: datetime | None = None) -> Case:
    """Answer the requester and mark the case done (the answer shows on the tracking page)."""
    if not text.strip():
        raise AnswerRequired(field="answer")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(by, "cases.change_case", case.branch)
    case.answer = text.strip()
    audit(case, by, "answered")
    case.save(update_fields=["answer", "updated_at"])
    if case.state == rules.NEW:
        change_state(case=case, target=rules.IN_PROGRESS, by=by, now=now)
    return change_state(case=case, target=rules.RESOLVED, by=by, now=now, note=text.strip())


@transaction.atomic
def close(*, case: Case, by, root_cause: str = "", preventive_action: str = "", now: datetime | None = None) -> Case:
    """Close ``case`` with its root cause and preventive action (both required for a complaint); the
    requester is sent the satisfaction survey."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(by, "cases.change_case", case.branch)
    if not rules.may_move(case.state, rules.CLOSED):
        raise StateChangeRefused(current=Case.State(case.state).label, target=Case.State.CLOSED.label,
                                 field="state")
    if case.kind == Case.Kind.COMPLAINT and case.state != rules.NEW and not (root_cause.strip()
                                                                              and preventive_action.strip()):
        raise RootCauseRequired(field="root_cause")
    case.root_cause, case.preventive_action = root_cause.strip(), preventive_action.strip()
    audit(case, by, "root cause")
    case.save(update_fields=["root_cause", "preventive_action", "updated_at"])
    return change_state(case=case, target=rules.CLOSED, by=by, now=now)


@transaction.atomic
def reopen(*, case: Case, by=None, now: datetime | None = None, reason: str = "") -> Case:
    return change_state(case=case, target=rules.IN_PROGRESS, by=by, now=now, note=reason)


@transaction.atomic
def rate(*, code: str, rating: int, comment: str = "", now: datetime | None = None) -> Case:
    """The requester rates a done case once (1–5 and a comment), by its tracking code."""
    now = _now(now)
    case = Case.objects.select_for_update().get(code=code)
    if case.state not in rules.DONE_STATES or case.rating is not None or not case.is_citizen_case:
        raise RatingRefused()
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise BadRating(field="rating") from None
    if not 1 <= rating <= 5:
        raise BadRating(field="rating")
    case.rating, case.rating_comment, case.rated_at = rating, comment.strip()[:2000], now
    audit(case, None, "rated")
    case.save()
    return case


@transaction.atomic
def comment(*, case: Case, text: str, by, public: bool = False, now: datetime | None = None) -> Comment:
    if not text.strip():
        raise InvalidInput(_("Write the comment."), field="body")
    _require(by, "cases.change_case", case.branch)
    return _note(case, text.strip(), by=by, now=_now(now), public=public)


@transaction.atomic
def set_due(*, case: Case, due_on: date, by, now: datetime | None = None) -> Case:
    """Set the resolution due date by hand (an agreed date of an audit finding). Raise DeadlineInPast."""
    now = _now(now)
    if due_on < timezone.localdate(now):
        raise DeadlineInPast(due=thai_date(due_on), field="due_on")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(by, "cases.change_case", case.branch)
    case.due_fixed = True
    case.resolution_due_at = _end_of_office(due_on)
    recompute_clocks(case)
    audit(case, by, "due date")
    case.save()
    return case


@transaction.atomic
def create_visit(*, visited_on: date, title: str, visitors: str, branches: Sequence[Branch], by,
                 notes: str = "") -> Visit:
    if not branches:
        raise InvalidInput(_("Choose at least one branch."), field="branches")
    if not (by and access.acts_everywhere(by) and by.has_perm("cases.manage_visits")):
        for branch in branches:
            access.require(by, "cases.manage_visits", at=branch)
    visit = Visit(visited_on=visited_on, title=title.strip(), visitors=visitors.strip(), notes=notes.strip(),
                  created_by=by)
    audit(visit, by, "visit")
    visit.save()
    visit.branches.set(branches)
    return visit


@transaction.atomic
def create_audit_report(*, fiscal_year: int, title: str, auditor: str, received_on: date, by) -> AuditReport:
    if not (by and by.has_perm("cases.manage_audit")):
        raise NotPermitted()
    report = AuditReport(fiscal_year=fiscal_year, title=title.strip(), auditor=auditor.strip(),
                         received_on=received_on)
    audit(report, by, "audit report")
    report.save()
    return report


# Deadline alerts ----------------------------------------------------------------------------------

def _send_alert(case: Case, clock: str, kind: str, due_at: datetime, now: datetime) -> bool:
    """Record and send one alert; False when it was already sent (the unique constraint)."""
    try:
        with transaction.atomic():
            alert = Alert.objects.create(case=case, clock=clock, kind=kind, due_at=due_at, sent_at=now)
    except IntegrityError:
        return False
    recipients = notices.alert_recipients(case, escalate=kind == Alert.Kind.ESCALATION)
    alert.recipients = ", ".join(r.email or r.name for r in recipients)[:500]
    alert.save(update_fields=["recipients"])
    if kind == Alert.Kind.ESCALATION:
        _note(case, _("Deadline missed (%(clock)s): escalated to the unit head.")
              % {"clock": Alert.Clock(clock).label}, now=now, event="escalated")
    transaction.on_commit(lambda: tasks.send_alert(alert.pk))
    return True


def send_alerts(*, now: datetime | None = None) -> int:
    """Send due reminders (a quarter of the clock left) and escalations (breach) of open, running cases;
    each goes out once. Return how many were sent.

    Only cases whose stored reminder time has come are read, and the alerts already sent in one query,
    so a pass with nothing new to send costs little (docs/performance.md, Cases).
    """
    now = _local(_now(now))
    sent = 0
    cases = (Case.objects.open().exclude(state__in=rules.PAUSING_STATES)
             .filter(Q(response_remind_at__lte=now, responded_at__isnull=True) | Q(resolution_remind_at__lte=now))
             .select_related("branch"))
    done = set(Alert.objects.filter(case__in=cases).values_list("case_id", "clock", "kind", "due_at"))
    for case in cases.iterator(chunk_size=1000):
        clocks = [(Alert.Clock.RESOLUTION, _local(case.resolution_due_at), case.resolution_remind_at)]
        if case.responded_at is None:
            clocks.insert(0, (Alert.Clock.RESPONSE, _local(case.response_due_at), case.response_remind_at))
        for clock_name, due_at, remind_at in clocks:
            if (case.pk, clock_name, Alert.Kind.ESCALATION, due_at) in done:
                continue  # breached and escalated: nothing more to send for this clock
            if now >= due_at:
                kind = Alert.Kind.ESCALATION
            elif remind_at is not None and rules.alert_due(kind=Alert.Kind.REMINDER, now=now, due_at=due_at,
                                                           remind_at=remind_at):
                kind = Alert.Kind.REMINDER
            else:
                continue
            if (case.pk, clock_name, kind, due_at) in done:
                continue
            with transaction.atomic():
                sent += _send_alert(case, clock_name, kind, due_at, now)
    return sent


@transaction.atomic
def update_evidence(*, item, by, status: str, links: str = "", note: str = ""):
    """Record where a point of the GECC checklist stands and what proves it."""
    if not by.has_perm("cases.change_evidenceitem"):
        raise NotPermitted()
    item.status, item.links, item.note = status, links.strip(), note.strip()
    audit(item, by, "evidence")
    item.save()
    return item
