"""Many checkouts and checkins at one desk in one transaction, at a fraction of the single verbs' cost.

``lending_batch(staff=..., desk=..., items=..., patrons=...)`` gives a ``LendingBatch`` whose
``checkout`` and ``checkin`` take the same arguments, give the same answers and raise the same
refusals (codes, Thai messages, parameters) as ``lending.checkout`` and ``lending.checkin``, one
action after another, in the order they are called. What makes it cheap:

- The items and patrons of the batch are locked and read once (items first, then patrons, in key
  order: the single verbs' order), with the open loans of the items, the patrons' standing
  (loans, loans per item type, holds, debt, block) and which records have waiting holds; the
  standing is kept up to date in memory as loans are added and closed.
- Policies and the desk's opening days are looked up once per batch and key.
- Nothing is written while actions are applied: new loans, closed loans, item statuses and their
  history rows (the same rows the single verbs write, one per change, with the same authors and
  reasons) are written in bulk by ``flush``; a refusal is raised before anything changes, so it
  undoes nothing else and needs no savepoint.
- The search index is refreshed once, at the end, for the distinct records whose items' statuses
  changed (the single verbs reindex a record on every status change); a record whose items end
  the batch as they began it (lent and returned within it) keeps the document it has.

The rare actions the plain path does not cover are done by the single verb itself, in a
savepoint, after a flush (then the batch reads back what it changed): a checkout of an item on
the hold shelf or by a patron with holds (the hold is fulfilled), a checkin that fills a waiting
hold (it is trapped), charges an overdue fine, ends a transit or sends the item home.

Two differences from the single verbs, both deliberate: item statuses are written here, as
``catalog.services.set_item_status`` writes them (status, status time, history row with its
reason) but in bulk, with the reindex at the end; and the waiting holds are read when the batch
starts, so a hold placed at another desk during the batch (a few seconds) is trapped at the
item's next checkin rather than at this one.
"""
from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog import indexing
from bkklib.catalog.models import Item
from bkklib.core import bulk, metrics

from .. import queries, rules
from ..exceptions import CheckinRefused, CheckoutRefused, ItemNotAvailable
from ..models import Fine, Hold, Loan, Patron, PatronBlock
from . import lending
from .common import moment, require

ACTIVE_HOLDS = (Hold.Status.WAITING, Hold.Status.IN_TRANSIT, Hold.Status.READY)


class _PatronFacts:
    """What ``queries.standing`` reads of one patron, kept up to date as the batch lends and takes back."""

    def __init__(self):
        self.open_loans = 0
        self.of_type: dict[int, int] = defaultdict(int)
        self.holds = 0
        self.owed = Decimal("0.00")
        self.block_reason: str | None = None

    def standing(self, patron: Patron, item_type_id: int) -> queries.Standing:
        borrower = rules.Borrower(
            status=patron.status, card_expires_on=patron.card_expires_on, is_blocked=self.block_reason is not None,
            fines_due=self.owed, fines_block_amount=patron.category.fines_block_amount, open_loans=self.open_loans,
            open_loans_of_type=self.of_type[item_type_id], active_holds=self.holds,
        )
        return queries.Standing(borrower=borrower, block_reason=self.block_reason or "")


def _facts_of(patron_ids) -> dict[int, _PatronFacts]:
    """Return the standing facts of ``patron_ids`` in four queries, whatever their number."""
    ids = sorted(set(patron_ids))
    facts = {pk: _PatronFacts() for pk in ids}
    if not ids:
        return facts
    for pk, type_id, n in (Loan.objects.open().filter(patron_id__in=ids).values_list("patron_id", "item_type_id")
                           .annotate(n=Count("id")).order_by()):
        facts[pk].open_loans += n
        facts[pk].of_type[type_id] += n
    for pk, n in (Hold.objects.filter(patron_id__in=ids, status__in=ACTIVE_HOLDS).values_list("patron_id")
                  .annotate(n=Count("id")).order_by()):
        facts[pk].holds = n
    for pk, owed in (Fine.objects.filter(patron_id__in=ids, settled_at__isnull=True).values_list("patron_id")
                     .annotate(owed=Sum(F("amount") - F("paid") - F("waived"))).order_by()):
        facts[pk].owed = Decimal(str(owed or 0)).quantize(Decimal("0.01"))
    for pk, reason in (PatronBlock.objects.filter(patron_id__in=ids, lifted_at__isnull=True)
                       .order_by("patron_id", "-created_at").values_list("patron_id", "reason")):
        if facts[pk].block_reason is None:
            facts[pk].block_reason = reason
    return facts


def _tracked(model) -> tuple[type, tuple[str, ...]]:
    """Return ``model``'s history model and the attributes its rows copy (``model.history`` builds a class per call)."""
    if model not in _TRACKED:
        history = model.history.model
        _TRACKED[model] = history, tuple(f.attname for f in history.tracked_fields)
    return _TRACKED[model]


_TRACKED: dict[type, tuple[type, tuple[str, ...]]] = {}


class _History:
    """History rows to write in bulk: the rows ``save()`` would have written, one per change, in order."""

    def __init__(self):
        self.rows: dict[type, list] = defaultdict(list)  # model -> [(instance, values, type, user, reason, date)]

    def note(self, instance, kind: str, user, reason: str = "") -> None:
        model = type(instance)
        values = {name: getattr(instance, name) for name in _tracked(model)[1]}
        # No reason is stored as None, as ``save()`` stores it.
        self.rows[model].append((instance, values, kind, user, str(reason)[:100] or None, timezone.now()))

    def baselines(self) -> dict[type, list]:
        """Return the baseline rows of the stored rows changed here for the first time (``audit`` adds
        them): read before the changes are written. A loan made in the batch has its own "+" row."""
        out = {}
        for model, rows in self.rows.items():
            made = {id(inst) for inst, _v, kind, *_rest in rows if kind == "+"}
            out[model] = _baselines(model, {inst.pk for inst, _v, kind, *_rest in rows
                                            if kind == "~" and id(inst) not in made})
        return out

    def write(self, baselines: dict[type, list]) -> None:
        for model, rows in self.rows.items():
            history = _tracked(model)[0]
            pk_name = model._meta.pk.attname
            built = []
            for instance, values, kind, user, reason, when in rows:
                if values.get(pk_name) is None:  # a loan made in this batch: its key is known since its insert
                    values[pk_name] = instance.pk
                built.append(history(history_date=when, history_user=user, history_change_reason=reason,
                                     history_type=kind, **values))
            bulk.insert_rows(history, baselines.get(model, []) + built)
        self.rows.clear()


def _baselines(model, ids) -> list:
    """Return the baseline history rows ``core.history.ensure_baseline`` would add for stored rows without history."""
    ids = set(ids) - set(_tracked(model)[0].objects.filter(**{f"{model._meta.pk.attname}__in": ids})
                         .values_list(model._meta.pk.attname, flat=True).distinct())
    if not ids:
        return []
    history, names = _tracked(model)
    rows = []
    for stored in model._default_manager.filter(pk__in=ids).order_by("pk"):
        rows.append(history(
            history_date=getattr(stored, "created_at", None) or timezone.now(),
            history_user_id=getattr(stored, "created_by_id", None), history_type="+",
            history_change_reason=_("as first stored (no earlier history)"),
            **{name: getattr(stored, name) for name in names}))
    return rows


def _update_each(model, objs: list, names: tuple[str, ...], chunk: int = 500, **same) -> None:
    """Store the fields ``names`` of each of ``objs`` (and the values ``same`` in all), ``chunk`` rows per UPDATE.

    Written by hand: ``bulk_update``'s CASE expressions cost more to compile than the database takes to run them.
    """
    opts, quote = model._meta, connection.ops.quote_name
    key = quote(opts.pk.column)
    fields = [opts.get_field(name) for name in names]
    fixed = [(opts.get_field(name), value) for name, value in same.items()]
    for start in range(0, len(objs), chunk):
        part = objs[start:start + chunk]
        whens = " ".join(["WHEN %s THEN %s"] * len(part))
        sets, params = [], []
        for f in fields:
            sets.append(f"{quote(f.column)} = CASE {key} {whens} END")
            params += [v for obj in part for v in (obj.pk, f.get_db_prep_save(getattr(obj, f.attname), connection))]
        for f, value in fixed:
            sets.append(f"{quote(f.column)} = %s")
            params.append(f.get_db_prep_save(value, connection))
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {quote(opts.db_table)} SET {', '.join(sets)} "
                           f"WHERE {key} IN ({', '.join(['%s'] * len(part))})", [*params, *(obj.pk for obj in part)])


class LendingBatch:
    """Checkouts and checkins at one ``desk`` by one ``staff`` member, applied in memory and written in bulk.

    Use it through ``lending_batch`` (which flushes and reindexes at the end). ``checkout`` and
    ``checkin`` behave as the single verbs; ``open_loan(item)`` is the item's open loan as the
    batch sees it. Loans made by the batch get their keys at the next ``flush``.
    """

    def __init__(self, *, staff, desk, items=(), patrons=()):
        self.staff, self.desk = staff, desk
        self.items: dict[int, Item] = {}
        self.patrons: dict[int, Patron] = {}
        self.open_loans: dict[int, Loan] = {}  # item id -> open loan, for the batch's items
        self.facts: dict[int, _PatronFacts] = {}
        self.held_records: set[int] = set()  # records with a waiting hold: their checkins take the single verb
        self.new_loans: list[Loan] = []
        self.ended_loans: list[Loan] = []  # loans stored before the batch, returned in it
        self.changed_items: dict[int, Item] = {}
        self.touched: dict[int, Item] = {}  # items whose status the batch changed (not the single verb)
        self.first_status: dict[int, str] = {}  # each item's status when the batch first read it
        self.verb_records: set[int] = set()  # records the single verb reindexed (or may have) meanwhile
        self.history = _History()
        self.counts: dict[str, int] = defaultdict(int)
        self._policies: dict[tuple, rules.Policy] = {}
        self._calendars: dict[tuple, object] = {}
        self._load(items, patrons)

    # --- reading, once ---------------------------------------------------------------------------------

    def _load(self, items, patrons) -> None:
        item_ids = sorted({i.pk if isinstance(i, Item) else int(i) for i in items} - set(self.items))
        patron_ids = sorted({p.pk if isinstance(p, Patron) else int(p) for p in patrons} - set(self.patrons))
        if item_ids:
            for item in (Item.objects.select_for_update(of=("self",)).select_related("item_type", "record", "branch")
                         .defer("record__marc").filter(pk__in=item_ids).order_by("pk")):
                self.items[item.pk] = item
                self.first_status.setdefault(item.pk, item.status)
            for loan in (Loan.objects.open().select_for_update(of=("self",)).select_related("patron", "branch")
                         .filter(item_id__in=item_ids)):
                self.open_loans[loan.item_id] = loan
            records = {self.items[pk].record_id for pk in item_ids if pk in self.items}
            self.held_records |= set(Hold.objects.filter(record_id__in=records, status=Hold.Status.WAITING)
                                     .values_list("record_id", flat=True).order_by().distinct())
        if patron_ids:
            for patron in (Patron.objects.select_for_update(of=("self",)).select_related("category")
                           .filter(pk__in=patron_ids).order_by("pk")):
                self.patrons[patron.pk] = patron
        # The standing of the borrowers of the open loans too: a checkin gives them one loan less.
        wanted = set(patron_ids) | {loan.patron_id for loan in self.open_loans.values() if loan.patron_id}
        self.facts.update(_facts_of(wanted - set(self.facts)))

    def _item(self, item: Item | int) -> Item:
        pk = item.pk if isinstance(item, Item) else int(item)
        if pk not in self.items:
            self._load([pk], ())
        if pk not in self.items:
            raise Item.DoesNotExist(f"item {pk}")
        return self.items[pk]

    def _patron(self, patron: Patron) -> Patron:
        if patron.pk not in self.patrons:
            self._load((), [patron.pk])
        if patron.pk not in self.patrons:
            raise Patron.DoesNotExist(f"patron {patron.pk}")
        return self.patrons[patron.pk]

    def _policy(self, category_id: int, item_type_id: int) -> rules.Policy:
        key = (category_id, item_type_id)
        if key not in self._policies:
            self._policies[key] = queries.policy_for(branch=self.desk, category_id=category_id,
                                                     item_type_id=item_type_id)
        return self._policies[key]

    def _is_open(self, today, loan_days: int):
        key = (today, loan_days)
        if key not in self._calendars:
            self._calendars[key] = queries.open_days(self.desk, today, loan_days)
        return self._calendars[key]

    def open_loan(self, item: Item | int) -> Loan | None:
        """Return ``item``'s open loan as the batch sees it (made or ended by earlier actions), or None."""
        return self.open_loans.get(self._item(item).pk)

    # --- the verbs ---------------------------------------------------------------------------------------

    def checkout(self, *, item: Item, patron: Patron, now: datetime | None = None) -> Loan:
        """Lend ``item`` to ``patron`` as ``lending.checkout`` does; raise its refusals."""
        now, today = moment(now)
        require(self.staff, "circulation.add_loan", self.desk, on=today)
        item, patron = self._item(item), self._patron(patron)
        facts = self.facts[patron.pk]
        if item.status == Item.Status.ON_LOAN:
            loan = self.open_loans.get(item.pk)
            raise ItemNotAvailable("item_on_loan", barcode=item.barcode,
                                   date=lending.thai_date(loan.due_on) if loan else "—", field="item_barcode")
        if item.status != Item.Status.AVAILABLE:
            lending._refuse_unavailable(item, patron)  # raises, or returns the patron's hold on the shelf
            return self._single(lending.checkout, item=item, patron=patron, now=now)
        if item.branch.kind in lending.OUTPOST_KINDS and item.branch_id != self.desk.pk:
            raise ItemNotAvailable("item_at_outpost", barcode=item.barcode, branch=item.branch.name_th,
                                   field="item_barcode")
        policy = self._policy(patron.category_id, item.item_type_id)
        standing = facts.standing(patron, item.item_type_id)
        if reason := rules.checkout_refusal(borrower=standing.borrower, policy=policy, today=today):
            raise CheckoutRefused(reason, **lending.refusal_params(reason, patron, standing, policy, item))
        if item.pk in self.open_loans:  # the status was out of step with the loans: the single verb's answer
            raise ItemNotAvailable("item_on_loan", barcode=item.barcode, date="—", field="item_barcode")
        if facts.holds:  # a hold of the patron may be fulfilled: rare, the single verb does it
            return self._single(lending.checkout, item=item, patron=patron, now=now)
        loan = Loan(
            item=item, patron=patron, branch=self.desk, checked_out_at=now, checked_out_by=self.staff,
            due_on=rules.due_date(start=today, loan_days=policy.loan_days,
                                  is_open=self._is_open(today, policy.loan_days)),
            fine_per_day=policy.fine_per_day, max_fine=policy.max_fine, grace_days=policy.grace_days,
            item_type_id=item.item_type_id, patron_category_id=patron.category_id,
            age_band=rules.age_band(patron.birth_date, today),
        )
        self.new_loans.append(loan)
        self.history.note(loan, "+", self.staff)
        self.open_loans[item.pk] = loan
        facts.open_loans += 1
        facts.of_type[item.item_type_id] += 1
        self._set_status(item, Item.Status.ON_LOAN, now)
        self.counts["checkout"] += 1
        return loan

    def checkin(self, *, item: Item, now: datetime | None = None) -> lending.CheckinResult:
        """Take ``item`` back as ``lending.checkin`` does; raise its refusals."""
        now, today = moment(now)
        require(self.staff, "circulation.change_loan", self.desk, on=today)
        item = self._item(item)
        if item.status == Item.Status.WITHDRAWN:
            raise CheckinRefused(barcode=item.barcode, reason=_("it is withdrawn from the collection."),
                                 field="item_barcode")
        loan = self.open_loans.get(item.pk)
        if (item.status not in (Item.Status.ON_LOAN, Item.Status.AVAILABLE)  # a transit or hold to settle
                or item.record_id in self.held_records  # a waiting hold may take it
                or item.branch_id != self.desk.pk  # it goes home in transit
                or (loan is not None and (loan.claims_returned_at is not None
                                          or (today > loan.due_on and loan.fine_per_day > 0)))):  # a fine
            return self._single(lending.checkin, item=item, now=now)
        result = lending.CheckinResult(item=item, previous_status=item.status)
        if loan is not None:
            loan.item = item
            loan.returned_at, loan.end_reason = now, Loan.EndReason.RETURNED
            loan.returned_branch, loan.returned_by = self.desk, self.staff
            self.history.note(loan, "~", self.staff)
            if loan.pk is not None and loan not in self.ended_loans:
                self.ended_loans.append(loan)
            del self.open_loans[item.pk]
            if facts := self.facts.get(loan.patron_id):
                facts.open_loans -= 1
                facts.of_type[loan.item_type_id] -= 1
            result.loan = loan
        if item.status != Item.Status.AVAILABLE:
            self._set_status(item, Item.Status.AVAILABLE, now)
        self.counts["checkin"] += 1
        return result

    def _set_status(self, item: Item, status: str, now: datetime) -> None:
        """``catalog.services.set_item_status`` without its write and reindex, which wait for the flush."""
        item.status, item.status_changed_at = status, now
        self.history.note(item, "~", self.staff, _("status: {status}").format(status=Item.Status(status).label))
        self.changed_items[item.pk] = item
        self.touched[item.pk] = item

    def _single(self, verb, *, item: Item, now: datetime, **kwargs):
        """Do one action with the single verb, in a savepoint, on the flushed state; then read back what it changed."""
        self.flush()
        self.verb_records.add(item.record_id)
        patron_ids = {p.pk for p in kwargs.values() if isinstance(p, Patron)}
        if loan := self.open_loans.get(item.pk):
            patron_ids.add(loan.patron_id)
        try:
            with transaction.atomic():
                return verb(item=item, staff=self.staff, desk=self.desk, now=now, **kwargs)
        finally:
            # Read back the item, its open loan and the patrons' standing (the verb changed them, or not).
            self.items.pop(item.pk, None)
            self.open_loans.pop(item.pk, None)
            for pk in patron_ids:
                self.facts.pop(pk, None)
            self._load([item.pk], ())
            self.facts.update(_facts_of(pk for pk in patron_ids if pk and pk not in self.facts))

    # --- writing, in bulk --------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what the actions so far changed: new and ended loans, item statuses, history rows."""
        baselines = self.history.baselines()
        if self.ended_loans:  # all returned here, now, by this staff member: only the time differs
            _update_each(Loan, self.ended_loans, ("returned_at",), end_reason=Loan.EndReason.RETURNED,
                         returned_branch=self.desk.pk, returned_by=self.staff.pk)
        if self.new_loans:  # after the loans they follow are closed (one open loan per item)
            bulk.insert_rows(Loan, self.new_loans, returning=True)  # the keys are set on the loans
        if self.changed_items:
            stamp = timezone.now()  # as ``save()`` stamps ``updated_at``
            items = list(self.changed_items.values())
            _update_each(Item, items, ("status", "status_changed_at"), updated_at=stamp)
            for item in items:
                item.updated_at = stamp
        self.history.write(baselines)
        self.new_loans, self.ended_loans, self.changed_items = [], [], {}

    def finish(self) -> None:
        """Flush, refresh the search documents of the records whose items changed (once), count the transactions."""
        self.flush()
        # A record's document is built from its MARC and its items' branches and statuses: one whose items
        # end where they started (lent and back within the batch) has the document it had, unless the
        # single verb reindexed it meanwhile (with the statuses of that moment).
        records = {item.record_id for pk, item in self.touched.items()
                   if self.items.get(pk, item).status != self.first_status[pk] or item.record_id in self.verb_records}
        if records:
            indexing.reindex(records)
        self.touched = {}
        counts = dict(self.counts)

        def count():
            for action, n in counts.items():
                for _n in range(n):
                    metrics.circulation_transaction(action)

        transaction.on_commit(count)


@contextlib.contextmanager
def lending_batch(*, staff, desk, items=(), patrons=()):
    """Give a ``LendingBatch`` at ``desk`` in one transaction; at the end, write it and reindex once.

    ``items`` and ``patrons`` (objects or keys) are read and locked up front; others are read when
    first used. An exception out of the block undoes the whole batch; a refusal caught inside it
    undoes nothing (the batch raises before it changes anything).
    """
    with transaction.atomic():
        batch = LendingBatch(staff=staff, desk=desk, items=items, patrons=patrons)
        yield batch
        batch.finish()
