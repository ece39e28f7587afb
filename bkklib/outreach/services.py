"""The verbs of outreach: plan trips on the calendar, record visits, move deposit collections,
make and revoke volunteer accounts, and apply the volunteer desk's queued actions (``sync``).

Every verb is keyword-only, takes ``now`` for the clock, runs in one transaction and audits who
did it (core.history). Lending and returning are circulation's ``checkout``/``checkin`` at the
reading house's or vehicle's branch, so an item's status and location stay the network's truth.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Item
from bkklib.circulation import services as circulation
from bkklib.circulation.models import Loan, Patron
from bkklib.core import roles
from bkklib.core.exceptions import DomainError
from bkklib.core.history import audit
from bkklib.network import access
from bkklib.network.models import Assignment, Branch, Closure, StaffMember

from . import rules
from .exceptions import (
    CONFLICTS,
    AccountRevoked,
    BadBatch,
    DepositRefused,
    ItemNotDepositable,
    NotAReadingHouse,
    NotAVolunteer,
    VolunteerRefused,
)
from .models import DepositCollection, DepositItem, Stop, SyncAction, Timetable, Trip, VisitRecord, VolunteerAccount


def _require(by, perm: str, *, at: Branch) -> None:
    """``by`` must hold ``perm`` at ``at``; ``by=None`` is the system itself (demo data, nightly tasks)."""
    if by is not None:
        access.require(by, perm, at=at)


def _now(now: datetime | None) -> tuple[datetime, date]:
    now = now or timezone.now()
    return now, timezone.localdate(now)


# --- Trips on the calendar ------------------------------------------------------------------------

def _closures_by_unit(unit_ids: set[int], start: date, end: date) -> dict[int | None, list[Closure]]:
    by_unit: dict[int | None, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.overlapping(start, end, branches=list(unit_ids)):
        by_unit[closure.branch_id].append(closure)
    return by_unit


def plan_trips(*, start: date, end: date, stops=None) -> int:
    """Plan (or re-plan) the trips of ``stops`` (all active ones by default) planned in ``start``..``end``.

    A trip on a closed day (a public holiday, a closure of the network or of the vehicle's unit)
    moves to the next open weekday or is cancelled (rules.place_visit), with the closure's reason.
    Trips staff changed by hand and trips done are left alone. Idempotent; returns the trips
    written.
    """
    if stops is None:
        stops = Stop.objects.public()
    timetables = list(Timetable.objects.filter(stop__in=stops).select_related("stop__route__vehicle"))
    if not timetables:
        return 0
    units = {t.stop.route.vehicle.unit_id for t in timetables}
    horizon = end + timedelta(days=rules.MOVE_WITHIN_DAYS)
    closures = _closures_by_unit(units, start, horizon)
    existing = {(t.timetable_id, t.planned_on): t
                for t in Trip.objects.filter(timetable__in=timetables, planned_on__range=(start, end))}
    planned: dict[int, list[tuple[Timetable, date]]] = defaultdict(list)
    for entry in timetables:
        for day in rules.timetable_days(weekday=entry.weekday, on_date=entry.on_date, valid_from=entry.valid_from,
                                        valid_until=entry.valid_until, start=start, end=horizon):
            planned[entry.stop_id].append((entry, day))
    written = 0
    with transaction.atomic():
        for stop_id, visits in planned.items():
            unit = visits[0][0].stop.route.vehicle.unit_id
            relevant = closures.get(None, []) + closures.get(unit, [])

            def closure_on(day, relevant=relevant):
                return next((c for c in relevant if c.starts_on <= day <= c.ends_on), None)

            taken = frozenset(day for _entry, day in visits if closure_on(day) is None)
            for entry, day in visits:
                if day > end:
                    continue
                trip = existing.get((entry.pk, day))
                if trip is not None and (trip.manual or trip.status == Trip.Status.DONE):
                    continue
                placement = rules.place_visit(day, is_closed=lambda d: closure_on(d) is not None, taken=taken)
                closure = closure_on(day)
                if placement.cancelled:
                    status, reason = Trip.Status.CANCELLED, closure.reason_th
                elif placement.moved:
                    status, reason = Trip.Status.MOVED, closure.reason_th
                else:
                    status, reason = Trip.Status.SCHEDULED, ""
                values = {"visit_on": placement.visit_on, "status": status, "reason": reason,
                          "arrives_at": entry.arrives_at, "departs_at": entry.departs_at}
                if trip is None:
                    Trip.objects.create(stop_id=stop_id, timetable=entry, planned_on=day, **values)
                    written += 1
                elif any(getattr(trip, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(trip, name, value)
                    trip.save()
                    written += 1
    return written


def replan_for_closure(*, branch: Branch | None, starts_on: date, ends_on: date) -> int:
    """closure_added: re-plan the trips a new closure touches (all vehicles for a network-wide one)."""
    stops = Stop.objects.public()
    if branch is not None:
        if branch.kind != Branch.Kind.MOBILE_UNIT:
            return 0
        stops = stops.filter(route__vehicle__unit=branch)
    # Only days already planned: the daily task plans the months ahead.
    last = Trip.objects.filter(stop__in=stops).order_by("-planned_on").values_list("planned_on", flat=True).first()
    if last is None:
        return 0
    start = starts_on - timedelta(days=rules.MOVE_WITHIN_DAYS)
    return plan_trips(start=start, end=min(last, ends_on + timedelta(days=rules.MOVE_WITHIN_DAYS)), stops=stops)


def change_trip(*, trip: Trip, by, status: str, visit_on: date | None = None, reason: str = "") -> Trip:
    """Staff move or cancel one trip by hand (kept as set when trips are planned again)."""
    _require(by, "outreach.change_trip", at=trip.stop.route.vehicle.unit)
    with transaction.atomic():
        trip.status, trip.reason, trip.manual = status, reason, True
        trip.visit_on = None if status == Trip.Status.CANCELLED else (visit_on or trip.visit_on or trip.planned_on)
        audit(trip, by, reason)
        trip.save()
    return trip


# --- Visits ------------------------------------------------------------------------------------------

def record_visit(*, branch: Branch, day: date, by, stop: Stop | None = None, counts: dict | None = None,
                 add: bool = False, **fields) -> VisitRecord:
    """Record (or add to) what happened at a stop or a reading house on ``day``."""
    _require(by, "outreach.add_visitrecord", at=branch)
    counts = counts or {}
    with transaction.atomic():
        visit, _created = VisitRecord.objects.select_for_update().get_or_create(branch=branch, stop=stop, day=day)
        for group in rules.AGE_GROUPS:
            if group in counts:
                value = int(counts[group])
                setattr(visit, group, getattr(visit, group) + value if add else value)
        for name, value in fields.items():
            setattr(visit, name, value)
        if stop is not None and visit.trip_id is None:
            visit.trip = Trip.objects.filter(stop=stop, visit_on=day).exclude(status=Trip.Status.CANCELLED).first()
            if visit.trip is not None and visit.trip.status != Trip.Status.DONE:
                visit.trip.status = Trip.Status.DONE
                visit.trip.save(update_fields=["status", "updated_at"])
        visit.recorded_by = by
        audit(visit, by)
        visit.save()
    return visit


# --- Deposit collections --------------------------------------------------------------------------

def create_deposit(*, code: str, from_branch: Branch, reading_house: Branch, due_back_on: date, barcodes, by,
                   notes: str = "") -> DepositCollection:
    """Prepare a deposit collection of the items ``barcodes`` (at ``from_branch``, available)."""
    _require(by, "outreach.add_depositcollection", at=from_branch)
    if reading_house.kind != Branch.Kind.READING_HOUSE or reading_house.pk == from_branch.pk:
        raise NotAReadingHouse(branch=reading_house.name_th, field="reading_house")
    barcodes = [b.strip() for b in barcodes if b and b.strip()]
    if not barcodes:
        raise ItemNotDepositable(barcode="—", reason=_("the collection has no items."), field="barcodes")
    items = {i.barcode: i for i in Item.objects.filter(barcode__in=barcodes)}
    with transaction.atomic():
        deposit = DepositCollection(code=code, from_branch=from_branch, reading_house=reading_house,
                                    due_back_on=due_back_on, notes=notes)
        audit(deposit, by)
        deposit.save()
        for barcode in dict.fromkeys(barcodes):
            item = items.get(barcode)
            if item is None:
                raise ItemNotDepositable(barcode=barcode, reason=_("no item has this barcode."), field="barcodes")
            if item.branch_id != from_branch.pk:
                raise ItemNotDepositable(barcode=barcode, reason=_("it belongs to another branch."),
                                         field="barcodes")
            if item.status != Item.Status.AVAILABLE:
                raise ItemNotDepositable(barcode=barcode, reason=item.get_status_display(), field="barcodes")
            try:
                with transaction.atomic():
                    DepositItem.objects.create(collection=deposit, item=item, home_branch=item.branch)
            except IntegrityError:
                raise ItemNotDepositable(barcode=barcode, reason=_("it is already out in another deposit."),
                                         field="barcodes") from None
    return deposit


def _step(deposit: DepositCollection, by, *, expect: tuple[str, ...], to: str, stamp: str, now: datetime,
          at: Branch) -> DepositCollection:
    _require(by, "outreach.change_depositcollection", at=at)
    deposit = DepositCollection.objects.select_for_update().get(pk=deposit.pk)
    if deposit.status not in expect:
        raise DepositRefused(_("Deposit {deposit} is “{status}”: this step is not possible now.").format(
            deposit=deposit.code, status=deposit.get_status_display()), code="deposit_wrong_status")
    deposit.status = to
    setattr(deposit, stamp, now)
    audit(deposit, by, DepositCollection.Status(to).label)
    deposit.save()
    return deposit


def _out_items(deposit: DepositCollection):
    return Item.objects.select_for_update().filter(pk__in=deposit.entries.filter(is_out=True).values("item_id"))


def send_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """Send a prepared collection: its items are in transit, located at the reading house they go to."""
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.DRAFT,), to=DepositCollection.Status.SENT,
                        stamp="sent_at", now=now, at=deposit.from_branch)
        for item in _out_items(deposit):
            if item.status != Item.Status.AVAILABLE:
                raise ItemNotDepositable(barcode=item.barcode, reason=item.get_status_display(), field="barcodes")
            catalog_services.update_item(item, reason=_("deposit {code}").format(code=deposit.code),
                                         branch=deposit.reading_house)
            catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=by, now=now,
                                             note=_("sent to {place}").format(place=deposit.reading_house.name_th))
    return deposit


def receive_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """The reading house received the collection: its items are available there (and only there)."""
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.SENT,), to=DepositCollection.Status.RECEIVED,
                        stamp="received_at", now=now, at=deposit.reading_house)
        for item in _out_items(deposit):
            if item.status == Item.Status.IN_TRANSIT:
                catalog_services.set_item_status(item, Item.Status.AVAILABLE, user=by, now=now,
                                                 note=_("received at {place}").format(place=deposit.reading_house.name_th))
    return deposit


def recall_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """Call the collection back: no more loans at the reading house; the items on the shelf travel back."""
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.RECEIVED, DepositCollection.Status.SENT),
                        to=DepositCollection.Status.RECALLED, stamp="recalled_at", now=now, at=deposit.from_branch)
        for item in _out_items(deposit):
            if item.status == Item.Status.AVAILABLE:
                catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=by, now=now,
                                                 note=_("recalled from {place}").format(
                                                     place=deposit.reading_house.name_th))
    return deposit


def return_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """The library received the collection back: its items are home and available again.

    Refused while an item is still on loan from the reading house (return or renew it first).
    """
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.RECALLED,), to=DepositCollection.Status.RETURNED,
                        stamp="returned_at", now=now, at=deposit.from_branch)
        items = list(_out_items(deposit))
        on_loan = [i.barcode for i in items if i.status == Item.Status.ON_LOAN]
        if on_loan:
            raise DepositRefused(_("Items still on loan from the reading house: {barcodes}. They must be returned "
                                   "first.").format(barcodes=", ".join(sorted(on_loan))), code="deposit_items_on_loan")
        homes = dict(deposit.entries.filter(is_out=True).values_list("item_id", "home_branch_id"))
        branches = Branch.objects.in_bulk(set(homes.values()))
        for item in items:
            catalog_services.update_item(item, reason=_("deposit {code} returned").format(code=deposit.code),
                                         branch=branches[homes[item.pk]])
            if item.status in (Item.Status.IN_TRANSIT, Item.Status.AVAILABLE):
                catalog_services.set_item_status(item, Item.Status.AVAILABLE, user=by, now=now,
                                                 note=_("back from {place}").format(place=deposit.reading_house.name_th))
        deposit.entries.update(is_out=False)
    return deposit


def recalled_deposit_of(item_id: int) -> DepositCollection | None:
    entry = (DepositItem.objects.filter(item_id=item_id, is_out=True,
                                        collection__status=DepositCollection.Status.RECALLED)
             .select_related("collection").first())
    return entry.collection if entry else None


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


def _apply(row: SyncAction, account: VolunteerAccount, user, items: dict, patrons: dict) -> None:
    """Apply one action at the account's branch; a refusal becomes the row's conflict, never an exception."""
    desk = account.branch
    try:
        with transaction.atomic():
            if row.kind == SyncAction.Kind.VISIT:
                record_visit(branch=desk, day=timezone.localdate(row.happened_at), by=user, counts=row.counts,
                             add=True)
                return
            item = items.get(row.item_barcode)
            if item is None:
                raise DomainError(CONFLICTS["unknown_barcode"], code="unknown_barcode", barcode=row.item_barcode)
            if row.kind == SyncAction.Kind.LEND:
                patron = patrons.get(row.card_number)
                if patron is None:
                    raise DomainError(CONFLICTS["unknown_card"], code="unknown_card", card=row.card_number)
                if recalled_deposit_of(item.pk) is not None:
                    raise DomainError(CONFLICTS["deposit_recalled"], code="deposit_recalled", barcode=item.barcode)
                loan = circulation.checkout(item=item, patron=patron, staff=user, desk=desk, now=row.happened_at)
                row.loan_id = loan.pk
            else:
                loan = Loan.objects.open().filter(item=item).first()
                if loan is None or loan.checked_out_at > row.happened_at:
                    raise DomainError(CONFLICTS["already_returned"], code="already_returned", barcode=item.barcode)
                result = circulation.checkin(item=item, staff=user, desk=desk, now=row.happened_at)
                row.loan_id = result.loan.pk if result.loan else None
    except DomainError as error:
        row.status, row.code, row.message = SyncAction.Status.CONFLICT, error.code, error.text[:400]


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
            barcodes = {r.item_barcode for r in rows if r.item_barcode}
            cards = {r.card_number for r in rows if r.card_number}
            items = {i.barcode: i for i in Item.objects.filter(barcode__in=barcodes)}
            patrons = {p.card_number: p for p in Patron.objects.filter(card_number__in=cards)}
            user = account.user
            for row in rows:
                _apply(row, account, user, items, patrons)
        SyncAction.objects.bulk_create(rows)
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
            items = {i.barcode: i for i in Item.objects.filter(barcode=action.item_barcode)}
            patrons = {p.card_number: p for p in Patron.objects.filter(card_number=action.card_number)}
            _apply(action, action.account, by, items, patrons)
            if action.status != SyncAction.Status.APPLIED:
                action.save(update_fields=["status", "code", "message"])
                return action
        action.resolved_at, action.resolved_by = now, by
        action.resolution = (resolution or "").strip()[:300] or _("applied again")
        action.save()
    return action
