"""Licences: add or change one by hand, or take the terms a vendor sends as CSV (all lines or none)."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import history
from bkklib.core.exceptions import InvalidInput

from ..exceptions import BadLicenceFile
from ..models import Licence, Title
from . import lending

CSV_COLUMNS = ("reference", "isbn", "kind", "copies", "loans", "starts_on", "expires_on", "price")


def _validated(licence: Licence) -> None:
    try:
        licence.full_clean()
    except ValidationError as error:
        raise InvalidInput("; ".join(error.messages), code="invalid_licence")


def save_licence(licence: Licence, *, user=None, reason: str = "", now: datetime | None = None) -> Licence:
    """Store a new or changed licence; readers waiting for its title get the copies it frees."""
    now = now or timezone.now()
    _validated(licence)
    with transaction.atomic():
        title = Title.objects.select_for_update().get(pk=licence.title_id)
        history.audit(licence, user, reason or _("licence saved"))
        licence.save()
        lending.promote(title, now=now)
    return licence


def _date(value: str, line: int, column: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadLicenceFile(line=line, reason=_("{column} “{value}” is not a date (YYYY-MM-DD).").format(
            column=column, value=value))
    return day.replace(year=day.year - 543) if day.year > 2400 else day


def _int(value: str, line: int, column: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise BadLicenceFile(line=line, reason=_("{column} “{value}” is not a whole number.").format(
            column=column, value=value))
    return int(value)


def import_csv(data: bytes, *, vendor: str, user=None, now: datetime | None = None) -> dict:
    """Create or update (by the vendor's reference) the licences of a vendor's CSV; return counts.

    Columns: reference, isbn, kind (perpetual/metered/concurrent/open), copies, loans, starts_on,
    expires_on, price. One bad line refuses the whole file (BadLicenceFile names the line).
    """
    now = now or timezone.now()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadLicenceFile(line=1, reason=_("the file is not UTF-8 text (save it as CSV UTF-8)."))
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadLicenceFile(line=1, reason=_("columns missing: {columns}.").format(columns=", ".join(missing)))
    created = updated = 0
    with transaction.atomic():
        for number, row in enumerate(reader, start=2):
            isbn = (row["isbn"] or "").replace("-", "").strip()
            title = Title.objects.filter(isbn=isbn).first() if isbn else None
            if title is None:
                raise BadLicenceFile(line=number, reason=_("no e-book has the ISBN “{isbn}”.").format(isbn=isbn))
            kind = (row["kind"] or "").strip().lower()
            if kind not in Licence.Kind.values:
                raise BadLicenceFile(line=number, reason=_("the licence model “{kind}” is not one of {kinds}.").format(
                    kind=kind, kinds=", ".join(Licence.Kind.values)))
            try:
                price = Decimal((row["price"] or "0").replace(",", "").strip() or "0")
            except InvalidOperation:
                raise BadLicenceFile(line=number, reason=_("the price “{value}” is not a number.").format(
                    value=row["price"]))
            reference = (row["reference"] or "").strip()[:100]
            licence = Licence.objects.filter(vendor=vendor, reference=reference).first() if reference else None
            is_new = licence is None
            licence = licence or Licence(vendor=vendor[:200], reference=reference)
            licence.title, licence.kind, licence.price = title, kind, price
            licence.copies = None if kind == "open" else (_int(row["copies"], number, "copies") or 1)
            licence.loans_total = _int(row["loans"], number, "loans")
            licence.starts_on = _date(row["starts_on"], number, "starts_on") or timezone.localdate(now)
            licence.expires_on = _date(row["expires_on"], number, "expires_on")
            try:
                licence.full_clean()
            except ValidationError as error:
                raise BadLicenceFile(line=number, reason="; ".join(error.messages))
            save_licence(licence, user=user, reason=_("imported from the vendor's file"), now=now)
            created, updated = created + is_new, updated + (not is_new)
    return {"created": created, "updated": updated}
