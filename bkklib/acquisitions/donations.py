"""Donations: record the donated books, accept or decline them, add the accepted ones to the collection."""
from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Item, Record
from bkklib.core.history import audit
from bkklib.network import access

from ._common import (
    PROCESSING_STATUS,
    _clean_request_fields,
    _item_type,
    _now,
)
from .exceptions import BadInput
from .models import (
    DonatedCopy,
    Donation,
)
from .orders import brief_record


@transaction.atomic
def record_donation(*, branch, donor_name: str, count: int, received_on: date, condition: str = "good",
                    donor_contact: str = "", description: str = "", by=None) -> Donation:
    if by is not None:
        access.require(by, "acquisitions.add_donation", at=branch)
    donation = Donation(branch=branch, donor_name=(donor_name or "").strip(), count=count, received_on=received_on,
                        condition=condition, donor_contact=donor_contact, description=description)
    try:
        donation.full_clean(exclude=["branch"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BadInput(reason=" ".join(messages), field=field) from None
    audit(donation, by, "received")
    donation.save()
    return donation


@transaction.atomic
def decide_donation(*, donation: Donation, accepted_count: int, note: str = "", by=None) -> Donation:
    """Accept ``accepted_count`` of the donated books (0: decline them all, with a note)."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if by is not None:
        access.require(by, "acquisitions.change_donation", at=donation.branch)
    if not 0 <= int(accepted_count) <= donation.count:
        raise BadInput(reason=_("Between 0 and {count} books can be accepted.").format(count=donation.count),
                       field="accepted_count")
    if int(accepted_count) == 0 and not (note or "").strip():
        raise BadInput(reason=_("Say why the donation is declined."), field="note")
    donation.accepted_count = int(accepted_count)
    donation.status = Donation.Status.ACCEPTED if donation.accepted_count else Donation.Status.DECLINED
    donation.decision_note = (note or "").strip()[:300]
    audit(donation, by, donation.status)
    donation.save()
    return donation


@transaction.atomic
def add_donated_copies(*, donation: Donation, copies: int, record: Record | None = None, title: str = "",
                       author: str = "", isbn: str = "", shelving_location: str = "", by=None,
                       now: datetime | None = None) -> list[Item]:
    """Add accepted donated books to the collection (items in processing, no fund, no cost)."""
    now = _now(now)
    donation = Donation.objects.select_for_update().select_related("branch").get(pk=donation.pk)
    if by is not None:
        access.require(by, "acquisitions.change_donation", at=donation.branch)
    if donation.status != Donation.Status.ACCEPTED:
        raise BadInput(reason=_("Accept the donation before adding its books."), field="status")
    left = donation.accepted_count - donation.copies.count()
    if not 1 <= int(copies) <= left:
        raise BadInput(reason=_("{left} accepted books are left to add.").format(left=left), field="copies")
    if record is None:
        title, author, isbn = _clean_request_fields(title, author, isbn)
        record = brief_record(title=title, author=author, isbn=isbn, by=by)
    item_type = _item_type()
    items = []
    for _i in range(int(copies)):
        link = DonatedCopy(donation=donation)
        number = DonatedCopy.objects.count() + 1
        barcode = f"D{donation.pk:06d}{number:07d}"
        while Item.objects.filter(barcode=barcode).exists():
            number += 1
            barcode = f"D{donation.pk:06d}{number:07d}"
        item = catalog_services.add_item(record, barcode=barcode, branch=donation.branch, item_type=item_type,
                                         shelving_location=shelving_location, acquired_on=donation.received_on,
                                         notes=_("donated by {donor}").format(donor=donation.donor_name))
        catalog_services.set_item_status(item, PROCESSING_STATUS, user=by, now=now, note=_("donation, in processing"))
        link.item = item
        link.save()
        items.append(item)
    return items
