"""The volunteer desk: volunteer accounts, and applying the actions queued on their devices (see services)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from bkklib.catalog.models import Item
from bkklib.circulation import services as circulation
from bkklib.circulation.models import Patron
from bkklib.circulation.services import LendingBatch
from bkklib.core import bulk, roles
from bkklib.core.exceptions import DomainError
from bkklib.core.history import audit
from bkklib.network.models import Assignment, Branch, StaffMember

from . import rules
from ._common import _now, _require
from .exceptions import CONFLICTS, AccountRevoked, BadBatch, NotAVolunteer, VolunteerRefused
from .models import DepositCollection, DepositItem, SyncAction, VolunteerAccount
from .trips import record_visit

# --- Volunteer accounts ---------------------------------------------------------------------------

def create_volunteer(*, branch: Branch, username: str, password: str, display_name: str, by, phone: str = "",
                     now: datetime | None = None) -> VolunteerAccount:
    """Make a volunteer's desk account for one reading house (or vehicle).

    The volunteer is a user in the volunteer role, assigned (network) to that branch only, so
    circulation lets them lend and return there and nowhere else.
    """
    now, today = _now(now)
    _require(by, "outreach.add_volunteeraccount", at=branch)
    if branch.kind not in (Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT):
        raise VolunteerRefused(reason=_("{branch} is neither a reading house nor a mobile library.").format(
            branch=branch.name_th), field="branch")
    User = get_user_model()
    username = (username or "").strip()
    if not username or not display_name.strip():
        raise VolunteerRefused(reason=_("a user name and a name are needed."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise VolunteerRefused(reason=_("the user name {username} is taken.").format(username=username),
                               field="username")
    if len(password or "") < 8:
        raise VolunteerRefused(reason=_("the password needs at least 8 characters."), field="password")
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, first_name=display_name[:150])
        user.groups.add(roles.group_for(roles.VOLUNTEER))
        first, _sep, last = display_name.strip().partition(" ")
        member = StaffMember(user=user, employee_code=f"VOL-{user.pk:06d}", first_name_th=first,
                             last_name_th=last or _("(volunteer)"), work_phone="")
        audit(member, by, _("volunteer desk account"))
        member.save()
        assignment = Assignment(staff=member, branch=branch, starts_on=today, note=_("volunteer desk"))
        audit(assignment, by)
        assignment.save()
        account = VolunteerAccount(user=user, branch=branch, assignment=assignment, display_name=display_name,
                                   phone=phone)
        audit(account, by)
        account.save()
    return account


def revoke_volunteer(*, account: VolunteerAccount, by, reason: str = "", now: datetime | None = None):
    """Revoke a volunteer account: it can no longer lend or sync; what it queued is kept, not applied."""
    now, today = _now(now)
    _require(by, "outreach.change_volunteeraccount", at=account.branch)
    with transaction.atomic():
        account = VolunteerAccount.objects.select_for_update().get(pk=account.pk)
        if account.revoked_at is not None:
            return account
        account.revoked_at, account.revoked_reason = now, reason
        audit(account, by, reason)
        account.save()
        if account.assignment is not None:
            assignment = account.assignment
            if assignment.starts_on >= today:
                account.assignment = None
                account.save(update_fields=["assignment"])
                assignment.delete()
            else:
                assignment.ends_on = today - timedelta(days=1)
                audit(assignment, by, reason)
                assignment.save()
    return account


# --- The volunteer desk's sync --------------------------------------------------------------------

MAX_BATCH = 2000
CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class ActionResult:
    action_id: str
    status: str
    code: str = ""
    message: str = ""
    duplicate: bool = False
    loan_id: int | None = None
    happened_at: datetime | None = None

    def as_dict(self) -> dict:
        return {"action_id": self.action_id, "status": self.status, "code": self.code, "message": self.message,
                "duplicate": self.duplicate, "loan_id": self.loan_id,
                "happened_at": self.happened_at.isoformat() if self.happened_at else None}


@dataclass
class SyncResult:
    results: list[ActionResult] = field(default_factory=list)
    revoked: bool = False
    revoked_on: str = ""

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status and not r.duplicate)

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.results if r.duplicate)


def _parse(raw, index: int, now: datetime) -> dict:
    """Check one queued action's shape; raise BadBatch naming the action and the field."""
    def bad(reason):
        return BadBatch(reason=_("action {n}: {reason}").format(n=index + 1, reason=reason), field="actions")

    if not isinstance(raw, dict):
        raise bad(_("not an object"))
    action_id = raw.get("action_id")
    if not isinstance(action_id, str) or not 8 <= len(action_id) <= 64:
        raise bad(_("action_id must be text of 8 to 64 characters"))
    kind = raw.get("kind")
    if kind not in SyncAction.Kind.values:
        raise bad(_("kind must be lend, return or visit"))
    when = raw.get("happened_at")
    happened_at = parse_datetime(when) if isinstance(when, str) else None
    if happened_at is None or timezone.is_naive(happened_at):
        raise bad(_("happened_at must be an ISO 8601 time with its time zone"))
    if happened_at > now + CLOCK_SKEW:
        raise bad(_("happened_at is in the future: check the phone's clock"))
    seq = raw.get("seq", 0)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise bad(_("seq must be a whole number of zero or more"))
    barcode = str(raw.get("item_barcode") or "").strip()[:32]
    card = str(raw.get("card_number") or "").strip()[:32]
    counts = raw.get("counts") or {}
    if kind in ("lend", "return") and not barcode:
        raise bad(_("an item barcode is needed"))
    if kind == "lend" and not card:
        raise bad(_("a card number is needed to lend"))
    if kind == "visit":
        if not isinstance(counts, dict) or not counts or set(counts) - set(rules.AGE_GROUPS):
            raise bad(_("counts must give children, youth, adults or elderly"))
        if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > 10000 for v in counts.values()):
            raise bad(CONFLICTS["visit_counts"])
    return {"action_id": action_id, "kind": kind, "happened_at": happened_at, "seq": seq, "item_barcode": barcode,
            "card_number": card, "counts": counts if kind == "visit" else {}}


def _recalled(items: dict) -> set[int]:
    """Return the keys of ``items`` whose deposit collection is recalled (``deposits.recalled_deposit_of``), at once."""
    return set(DepositItem.objects.filter(item_id__in=[i.pk for i in items.values()], is_out=True,
                                          collection__status=DepositCollection.Status.RECALLED)
               .values_list("item_id", flat=True))


def _apply(row: SyncAction, desk: LendingBatch, items: dict, patrons: dict, recalled: set[int]):
    """Apply one action at the desk's branch; a refusal becomes the row's conflict, never an exception.

    Return the loan the action made or ended (a loan made in the batch gets its key when the batch
    is written), or None. A refusal changes nothing: the batch refuses before it writes.
    """
    try:
        if row.kind == SyncAction.Kind.VISIT:
            with transaction.atomic():
                record_visit(branch=desk.desk, day=timezone.localdate(row.happened_at), by=desk.staff,
                             counts=row.counts, add=True)
            return None
        item = items.get(row.item_barcode)
        if item is None:
            raise DomainError(CONFLICTS["unknown_barcode"], code="unknown_barcode", barcode=row.item_barcode)
        if row.kind == SyncAction.Kind.LEND:
            patron = patrons.get(row.card_number)
            if patron is None:
                raise DomainError(CONFLICTS["unknown_card"], code="unknown_card", card=row.card_number)
            if item.pk in recalled:
                raise DomainError(CONFLICTS["deposit_recalled"], code="deposit_recalled", barcode=item.barcode)
            return desk.checkout(item=item, patron=patron, now=row.happened_at)
        loan = desk.open_loan(item)
        if loan is None or loan.checked_out_at > row.happened_at:
            raise DomainError(CONFLICTS["already_returned"], code="already_returned", barcode=item.barcode)
        return desk.checkin(item=item, now=row.happened_at).loan
    except DomainError as error:
        row.status, row.code, row.message = SyncAction.Status.CONFLICT, error.code, error.text[:400]
        return None


def _apply_all(rows: list[SyncAction], *, user, branch: Branch) -> None:
    """Apply ``rows`` in order through one lending batch of circulation (one write and one reindex at the end)."""
    barcodes = {r.item_barcode for r in rows if r.item_barcode}
    cards = {r.card_number for r in rows if r.card_number}
    items = {i.barcode: i for i in Item.objects.filter(barcode__in=barcodes)} if barcodes else {}
    patrons = {p.card_number: p for p in Patron.objects.filter(card_number__in=cards)} if cards else {}
    recalled = _recalled(items) if items else set()
    loans = []
    with circulation.lending_batch(staff=user, desk=branch, items=items.values(), patrons=patrons.values()) as desk:
        for row in rows:
            loans.append(_apply(row, desk, items, patrons, recalled))
    for row, loan in zip(rows, loans, strict=True):
        row.loan_id = loan.pk if loan is not None else None


def sync(*, user, actions, now: datetime | None = None) -> SyncResult:
    """Apply a batch of actions queued on the volunteer's device, in the order they happened.

    - Each action is stored once (``action_id`` unique): a batch sent again returns the first
      answers marked ``duplicate`` and applies nothing twice.
    - Actions are applied by the time they happened, then the device's sequence number, whatever
      order they arrive in; a loan or return takes the time it happened, not the time of sync.
    - An action that cannot be applied (unknown barcode or card, blocked patron, item returned
      elsewhere meanwhile...) is stored as a conflict with its code for staff to resolve; the
      others are applied. Nothing is dropped.
    - A revoked account's actions are stored as rejected (for staff to see) and none is applied.
    - A malformed batch is refused whole (BadBatch naming the action), and nothing is stored.
    """
    now, _today = _now(now)
    account = VolunteerAccount.objects.select_related("branch", "user").filter(user=user).first()
    if account is None:
        raise NotAVolunteer()
    if not isinstance(actions, list) or not actions:
        raise BadBatch(reason=_("send a non-empty list of actions"), field="actions")
    if len(actions) > MAX_BATCH:
        raise BadBatch(reason=_("at most {n} actions per batch").format(n=MAX_BATCH), field="actions")
    parsed = list({p["action_id"]: p for p in (_parse(raw, i, now) for i, raw in enumerate(actions))}.values())
    result = SyncResult()
    with transaction.atomic():
        # One batch of an account at a time: a batch re-sent while the first is applied waits, then
        # finds every action stored and applies nothing twice.
        account = VolunteerAccount.objects.select_for_update().select_related("branch").get(pk=account.pk)
        ids = [p["action_id"] for p in parsed]
        stored = {row.action_id: row for row in SyncAction.objects.filter(action_id__in=ids)}
        foreign = [a for a, row in stored.items() if row.account_id != account.pk]
        if foreign:
            raise BadBatch(reason=_("action {id} was sent by another account").format(id=foreign[0]),
                           field="actions")
        fresh = [p for p in parsed if p["action_id"] not in stored]
        order = rules.apply_order(rules.QueuedAction(p["action_id"], p["kind"], p["happened_at"], p["seq"])
                                  for p in fresh)
        by_id = {p["action_id"]: p for p in fresh}
        rows = [SyncAction(account=account, branch=account.branch, received_at=now, status=SyncAction.Status.APPLIED,
                           **by_id[q.action_id]) for q in order]
        if account.revoked_at is not None:
            result.revoked = True
            date_text = result.revoked_on = timezone.localtime(account.revoked_at).date().isoformat()
            for row in rows:
                row.status, row.code = SyncAction.Status.REJECTED, AccountRevoked.code
                row.message = AccountRevoked(date=date_text).text[:400]
        else:
            _apply_all(rows, user=account.user, branch=account.branch)
        bulk.insert_rows(SyncAction, rows)
    for row in rows:
        result.results.append(ActionResult(row.action_id, row.status, row.code, row.message, False, row.loan_id,
                                           row.happened_at))
    for action_id, row in stored.items():
        result.results.append(ActionResult(action_id, row.status, row.code, row.message, True, row.loan_id,
                                           row.happened_at))
    return result


def resolve_action(*, action: SyncAction, by, resolution: str, retry: bool = False,
                   now: datetime | None = None) -> SyncAction:
    """Staff close a conflict of the volunteer desk: apply it again (``retry``) or note what was done."""
    now, _today = _now(now)
    _require(by, "outreach.resolve_syncaction", at=action.branch)
    with transaction.atomic():
        action = SyncAction.objects.select_for_update().select_related("account__branch", "account__user").get(
            pk=action.pk)
        if action.status == SyncAction.Status.APPLIED or action.resolved_at is not None:
            return action
        if retry:
            action.status, action.code, action.message = SyncAction.Status.APPLIED, "", ""
            _apply_all([action], user=by, branch=action.account.branch)
            if action.status != SyncAction.Status.APPLIED:
                action.save(update_fields=["status", "code", "message"])
                return action
        action.resolved_at, action.resolved_by = now, by
        action.resolution = (resolution or "").strip()[:300] or _("applied again")
        action.save()
    return action
