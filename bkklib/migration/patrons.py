"""Patrons from a ULibM or Koha member export (CSV): created, or merged into the patron with the same card.

One transaction per row: a refused row stores nothing. The card number is the key (unique in the
database), so a second run merges instead of duplicating. Migrated patrons carry no national ID
unless the export has one (``national_id`` column in the mapping): they are recorded with the
document "migrated from ..." and show their ID at the desk the next time they come.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from bkklib.circulation import rules as circulation_rules
from bkklib.circulation.models import Patron, PatronCategory
from bkklib.core.history import audit
from bkklib.core.thaiid import normalise_thai_id
from bkklib.network.models import Branch

from . import csvfiles, rules
from .mappings import Mapping
from .report import MigrationReport

SOURCE_NAMES = {"ulibm": "ULibM", "koha": "Koha"}


class Refusal(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def migrate_patrons(path: Path | str, *, mapping: Mapping, report: MigrationReport, user=None,
                    today: date) -> None:
    """Take every row of a patron export into bkklib; report each refusal and repair."""
    name = Path(path).name
    report.files.append(name)
    _encoding, headers, rows = csvfiles.rows(path)
    columns = mapping.patron_columns
    if not any(c in headers for c in columns["card_number"]):
        report.add("patron", "refused", 1, "", "card_number", gettext(
            "no card-number column ({columns}) in the file: nothing taken").format(
            columns=", ".join(columns["card_number"])), file=name, counted=False)
        return
    categories = {c.code: c for c in PatronCategory.objects.all()}
    branches = {b.code: b for b in Branch.objects.all()}
    for line, row in rows:
        report.read["patron"] += 1
        card = rules.card_number(csvfiles.value(row, columns["card_number"]))
        notes: list[tuple[str, str]] = []
        try:
            with transaction.atomic():
                outcome = _one(row, card, mapping=mapping, categories=categories, branches=branches, user=user,
                               today=today, notes=notes)
        except Refusal as exc:
            report.add("patron", "refused", line, card, exc.field, exc.reason, file=name)
            continue
        report.count("patron", outcome)
        for field, note in notes:
            report.add("patron", "repaired", line, card, field, note, file=name)


def _one(row: dict, card: str, *, mapping: Mapping, categories: dict, branches: dict, user, today: date,
         notes: list) -> str:
    columns = mapping.patron_columns

    def col(key: str, join: bool = False) -> str:
        return csvfiles.value(row, columns.get(key, []), join=join)

    if not card:
        raise Refusal("card_number", gettext("no card number"))
    try:
        Patron._meta.get_field("card_number").run_validators(card)
    except ValidationError as exc:
        raise Refusal("card_number", f"“{card}”: {exc.messages[0]}") from None
    first, last = col("first_name"), col("last_name")
    if not first and not last:
        first, last = rules.split_name(col("name"))
    if not first and last:
        first, last = last, ""
    if not first:
        raise Refusal("name", gettext("no name"))
    category_code = mapping.category(col("category"))
    if category_code is None:
        raise Refusal("category", gettext("patron category “{code}” is not mapped to a bkklib category (add it to "
                                          "patron_categories in the mapping file)").format(code=col("category")))
    branch_code = mapping.branch(col("branch"))
    if branch_code is None:
        raise Refusal("branch", gettext("branch “{code}” is not a bkklib branch (add it to branches in the mapping "
                                        "file, or give a default branch)").format(code=col("branch")))
    category, branch = categories[category_code], branches[branch_code]
    thai = rules.is_thai(f"{first}{last}")
    fields = {
        "first_name_th" if thai else "first_name_en": first[:100],
        "last_name_th" if thai else "last_name_en": last[:100],
        "category": category, "home_branch": branch,
        "phone": col("phone")[:32], "address": col("address", join=True),
    }
    if note := col("note"):
        fields["note"] = note
    email = col("email")
    if email:
        try:
            validate_email(email)
            fields["email"] = email
        except ValidationError:
            notes.append(("email", gettext("“{email}” is not an email address: left out").format(email=email)))
    order = "ydm" if mapping.source == "ulibm" else "ymd"
    for key, target in (("birth_date", "birth_date"), ("expires", "card_expires_on")):
        raw = col(key)
        try:
            value = rules.parse_date(raw, order=order if key == "expires" else "ymd")
        except ValueError:
            value = None
            notes.append((key, gettext("“{value}” is not a date: left out").format(value=raw)))
        if value is not None:
            fields[target] = value
    if fields.get("birth_date") and fields["birth_date"] > today:
        notes.append(("birth_date", gettext("the birth date is in the future: left out")))
        del fields["birth_date"]
    national_id = col("national_id")
    if national_id:
        try:
            fields["national_id"] = normalise_thai_id(national_id)
            fields["id_type"] = Patron.IdType.THAI_ID
        except ValidationError:
            notes.append(("national_id", gettext("“{value}” is not a Thai national ID: left out").format(
                value=national_id)))
    if fields.get("national_id") and Patron.objects.filter(national_id=fields["national_id"]).exclude(
            card_number=card).exists():
        notes.append(("national_id", gettext("another patron already has this national ID: left out")))
        del fields["national_id"], fields["id_type"]
    reason = gettext("migrated from {source}").format(source=SOURCE_NAMES[mapping.source])
    patron = Patron.objects.select_for_update().filter(card_number=card).first()
    if patron is not None:
        changed = {k: v for k, v in fields.items() if getattr(patron, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(patron, key, value)
            audit(patron, user, reason)
            _save(patron)
        return "merged"
    fields.setdefault("card_expires_on", circulation_rules.card_expiry(today, category.card_valid_years))
    if "id_type" not in fields:
        fields["id_type"] = Patron.IdType.OTHER
        source_id = col("source_id")
        fields["other_document"] = (f"{reason} ({source_id})" if source_id else reason)[:100]
    patron = Patron(card_number=card, status=Patron.Status.ACTIVE, **fields)
    audit(patron, user, reason)
    _save(patron)
    return "created"


def _save(patron: Patron) -> None:
    try:
        with transaction.atomic():
            patron.save()
    except IntegrityError as exc:
        raise Refusal("card_number", gettext("the database refused the patron: {problem}").format(
            problem=str(exc).splitlines()[0])) from None
