"""Current loans from a CSV export (barcode, card number, issue date, due date).

Each row is one transaction: the loan, with the terms of the bkklib policy for its branch,
category and item type, and the item set on loan; a refused row stores nothing. An item has at
most one open loan (a database constraint), so a second run merges: the loan already there for
the same card is kept (its due date updated), and one for another card is refused.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Item, ItemType
from bkklib.circulation import queries as circulation_queries
from bkklib.circulation import rules as circulation_rules
from bkklib.circulation.models import Loan, Patron
from bkklib.core.history import audit

from . import csvfiles, rules
from .mappings import Mapping
from .patrons import SOURCE_NAMES, Refusal
from .report import MigrationReport

CLOSED_STATUSES = {Item.Status.WITHDRAWN, Item.Status.LOST, Item.Status.MISSING}


def migrate_loans(path: Path | str, *, mapping: Mapping, report: MigrationReport, user=None,
                  now: datetime) -> None:
    """Take every current loan of the export into bkklib; report each refusal."""
    name = Path(path).name
    report.files.append(name)
    _encoding, headers, rows = csvfiles.rows(path)
    columns = mapping.loan_columns
    missing = [key for key in ("barcode", "card_number", "due") if not any(c in headers for c in columns[key])]
    if missing:
        report.add("loan", "refused", 1, "", ", ".join(missing), gettext(
            "the file has no column for {fields} (give them in loan_columns of the mapping file): nothing taken"
        ).format(fields=", ".join(missing)), file=name, counted=False)
        return
    default_type = ItemType.objects.filter(code="book").values_list("pk", flat=True).first()
    for line, row in rows:
        report.read["loan"] += 1
        barcode = csvfiles.value(row, columns["barcode"])
        try:
            with transaction.atomic():
                outcome = _one(row, barcode, mapping=mapping, user=user, now=now, default_type=default_type)
        except Refusal as exc:
            report.add("loan", "refused", line, barcode, exc.field, exc.reason, file=name)
            continue
        report.count("loan", outcome)


def _one(row: dict, barcode: str, *, mapping: Mapping, user, now: datetime, default_type: int | None) -> str:
    columns = mapping.loan_columns
    card = rules.card_number(csvfiles.value(row, columns["card_number"]))
    if not barcode:
        raise Refusal("barcode", gettext("no barcode"))
    item = Item.objects.select_for_update(of=("self",)).select_related("branch").filter(barcode=barcode).first()
    if item is None:
        raise Refusal("barcode", gettext("no item has the barcode {barcode} in bkklib (was its record migrated with "
                                         "its items?)").format(barcode=barcode))
    patron = Patron.objects.filter(card_number=card).first() if card else None
    if patron is None:
        raise Refusal("card_number", gettext("no patron has the card {card} in bkklib (migrate the patrons "
                                             "first)").format(card=card or "—"))
    try:
        due = rules.parse_date(csvfiles.value(row, columns["due"]))
        issued = rules.parse_moment(csvfiles.value(row, columns["issued"]))
    except ValueError as exc:
        raise Refusal("date", gettext("“{value}” is not a date").format(value=exc.args[0])) from None
    if due is None:
        raise Refusal("due", gettext("no due date"))
    issued_at = timezone.make_aware(issued) if issued else now
    if issued_at > now:
        raise Refusal("issued", gettext("the issue date is in the future"))
    if issued and due < issued.date():
        raise Refusal("due", gettext("the due date is before the issue date"))
    reason = gettext("migrated from {source}").format(source=SOURCE_NAMES[mapping.source])
    open_loan = Loan.objects.select_for_update().filter(item=item, returned_at__isnull=True).first()
    if open_loan is not None:
        if open_loan.patron_id != patron.pk:
            raise Refusal("barcode", gettext("the item is already on loan to another card in bkklib"))
        if open_loan.due_on != due:
            open_loan.due_on = due
            audit(open_loan, user, reason)
            open_loan.save(update_fields=["due_on"])
        return "merged"
    if item.status in CLOSED_STATUSES:
        raise Refusal("barcode", gettext("the item is {status} in bkklib: not lent").format(
            status=Item.Status(item.status).label))
    item_type_id = item.item_type_id or default_type
    policy = circulation_queries.policy_for(branch=item.branch, category_id=patron.category_id,
                                            item_type_id=item_type_id)
    loan = Loan(
        item=item, patron=patron, branch=item.branch, checked_out_at=issued_at, checked_out_by=user, due_on=due,
        fine_per_day=policy.fine_per_day, max_fine=policy.max_fine, grace_days=policy.grace_days,
        item_type_id=item_type_id, patron_category_id=patron.category_id,
        age_band=circulation_rules.age_band(patron.birth_date, issued_at.date()),
    )
    audit(loan, user, reason)
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError as exc:
        raise Refusal("barcode", gettext("the database refused the loan: {problem}").format(
            problem=str(exc).splitlines()[0])) from None
    catalog_services.set_item_status(item, Item.Status.ON_LOAN, user=user, now=now, note=reason)
    return "created"
