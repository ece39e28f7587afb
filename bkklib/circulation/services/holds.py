"""Hold verbs: place (title or item), cancel, suspend, change pickup branch, expire the hold shelf.

Pickup places: besides a library (a pickup branch), a hold may be collected at a place another app
offers, e.g. a mobile library's stop (outreach). Circulation does not know those apps: they
register a provider here (``register_pickup_places``) and a place is an opaque ``key`` that names
its branch (whose collection serves it, e.g. the vehicle's mobile unit). The hold's
``pickup_branch`` is that branch, so trapping, transits and the hold shelf work unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bkklib.catalog.models import Item, Record
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch

from .. import queries, rules
from ..exceptions import HoldRefused
from ..models import Hold, Loan, Patron
from ..models.holds import ACTIVE_STATUSES
from .common import audit, moment, require
from .lending import make_ready, next_hold, refusal_params, send_item


@dataclass(frozen=True)
class PickupPlace:
    """A place outside the libraries where holds are handed over, served by ``branch``'s collection."""

    key: str  # stable and unique among providers, e.g. "stop:12"
    branch: Branch
    label: str
    group: str = ""  # a heading for lists of places (the district)
    provider: object = field(default=None, compare=False, repr=False)


class PickupPlaceProvider(Protocol):
    def places(self) -> list[PickupPlace]:
        """Every place open for pickups now."""

    def place(self, key: str) -> PickupPlace | None:
        """The place ``key`` if it is this provider's and open for pickups, else None."""

    def attach(self, hold: Hold, place: PickupPlace | None) -> None:
        """Record that ``hold`` is collected at ``place`` (None: not at one of this provider's places)."""

    def place_of(self, hold: Hold) -> PickupPlace | None:
        """Where ``hold`` is collected, if at one of this provider's places."""

    def places_of(self, hold_ids: list[int]) -> dict[int, PickupPlace]:
        """``place_of`` for many holds at once (a list page): hold id -> place, in a fixed number of queries."""

    def keep_until(self, hold: Hold) -> date | None:
        """The last day a ready ``hold`` waits for its patron at its place (the place's next visit), or None."""


_PROVIDERS: list[PickupPlaceProvider] = []


def register_pickup_places(provider: PickupPlaceProvider) -> None:
    """Add a provider of pickup places (an app's ``ready()``); registering twice is harmless."""
    if not any(type(p) is type(provider) for p in _PROVIDERS):
        _PROVIDERS.append(provider)


def pickup_places() -> list[PickupPlace]:
    """Every pickup place of every provider, for the patron's choice."""
    return [place for provider in _PROVIDERS for place in provider.places()]


def pickup_place(key: str) -> PickupPlace | None:
    """The pickup place ``key``, or None when no provider offers it (unknown, closed to pickups)."""
    for provider in _PROVIDERS:
        place = provider.place(key)
        if place is not None:
            return place
    return None


def pickup_place_of(hold: Hold) -> PickupPlace | None:
    """Where ``hold`` is collected when that is a pickup place, not a library."""
    for provider in _PROVIDERS:
        place = provider.place_of(hold)
        if place is not None:
            return place
    return None


def pickup_places_of(holds) -> dict[int, PickupPlace]:
    """``pickup_place_of`` for a page of holds: hold id -> place (holds collected at a library are absent)."""
    ids = [hold.pk for hold in holds]
    found: dict[int, PickupPlace] = {}
    for provider in _PROVIDERS:
        if ids:
            found.update(provider.places_of(ids))
    return found


def _resolve_pickup(pickup_branch: Branch | None, key: str) -> tuple[Branch, PickupPlace | None]:
    """Return the branch and the place of a pickup choice; refuse an unknown place or a closed branch."""
    if not key:
        if pickup_branch is None:
            raise HoldRefused("not_a_pickup_point", branch="—", field="pickup_branch")
        _check_pickup_point(pickup_branch)
        return pickup_branch, None
    place = pickup_place(key)
    if place is None:
        raise HoldRefused("not_a_pickup_point", branch=key, field="pickup_place")
    if place.branch.status != Branch.Status.OPEN:
        raise HoldRefused("pickup_not_open", branch=place.label, field="pickup_place")
    return place.branch, place


def _attach(hold: Hold, place: PickupPlace | None) -> None:
    for provider in _PROVIDERS:
        provider.attach(hold, place if place is not None and place.provider is provider else None)


def _check_pickup_point(branch: Branch) -> None:
    """Refuse a pickup branch that is closed or has no lending desk (an office, a mobile unit, a museum)."""
    if branch.status != Branch.Status.OPEN:
        raise HoldRefused("pickup_not_open", branch=branch.name_th, field="pickup_branch")
    if not network_queries.accepts_pickups(branch):
        raise HoldRefused("not_a_pickup_point", branch=branch.name_th, field="pickup_branch")


def place_hold(*, record: Record, patron: Patron, pickup_branch: Branch | None = None, item: Item | None = None,
               staff=None, desk: Branch | None = None, now: datetime | None = None, pickup_place: str = "") -> Hold:
    """Put ``patron`` at the end of the queue for ``record`` (or for one ``item`` of it); return the hold.

    At a desk pass ``staff`` and ``desk``; from the public site pass neither. The queue position
    is taken under a lock on the record row, and the database refuses two holds with one position,
    so two desks placing holds at the same moment still get a strict order.

    ``pickup_place`` (a registered place's key, e.g. a mobile library stop) replaces ``pickup_branch``
    by the place's branch. Raise HoldRefused with the reason code (hold limit, already held, blocked
    patron...).
    """
    now, today = moment(now)
    if staff is not None:
        require(staff, "circulation.add_hold", desk, on=today)
    pickup_branch, place = _resolve_pickup(pickup_branch, pickup_place)
    with transaction.atomic():
        record = Record.objects.select_for_update().get(pk=record.pk)
        patron = Patron.objects.select_for_update(of=("self",)).select_related("category").get(pk=patron.pk)
        if item is not None and item.record_id != record.pk:
            raise HoldRefused("hold_item_not_of_record", barcode=item.barcode, title=record.title, field="item")
        item_type_id = item.item_type_id if item is not None else (
            record.items.values_list("item_type_id", flat=True).first())
        policy = queries.policy_for(branch=pickup_branch, category_id=patron.category_id, item_type_id=item_type_id)
        standing = queries.standing(patron, item_type_id=item_type_id)
        reason = rules.hold_refusal(
            borrower=standing.borrower, policy=policy,
            already_holds_it=Hold.objects.filter(patron=patron, record=record, status__in=ACTIVE_STATUSES).exists(),
            has_it_on_loan=Loan.objects.open().filter(patron=patron, item__record=record).exists(),
            today=today,
        )
        if reason:
            params = refusal_params(reason, patron, standing, policy)
            params.update(title=record.title, category=patron.category.name_th)
            raise HoldRefused(reason, **params)
        last = Hold.objects.filter(record=record).aggregate(m=Max("position"))["m"] or 0
        hold = Hold(record=record, item=item, patron=patron, pickup_branch=pickup_branch, position=last + 1,
                    placed_at=now, placed_at_branch=desk, placed_by=staff if staff is not None else None)
        audit(hold, staff)
        try:
            with transaction.atomic():
                hold.save()
        except IntegrityError:
            # Only reachable if the record lock was bypassed; the queue stays strict either way.
            raise HoldRefused("already_held", patron=patron.full_name, title=record.title) from None
        if place is not None:
            _attach(hold, place)
    return hold


def _lock_active(hold: Hold) -> Hold:
    hold = Hold.objects.select_for_update(of=("self",)).select_related("record", "patron").get(pk=hold.pk)
    if hold.status not in ACTIVE_STATUSES:
        raise HoldRefused("hold_not_active", title=hold.record.title, status=hold.get_status_display())
    return hold


def _release_item(hold: Hold, *, staff, desk: Branch | None, now: datetime, today: date) -> None:
    """Give an item set aside for an ended hold to the next patron in line, or back to circulation."""
    from bkklib.catalog import services as catalog_services

    item = hold.trapped_item
    if item is None:
        return
    item = Item.objects.select_for_update().get(pk=item.pk)
    if hold.status in (Hold.Status.CANCELLED, Hold.Status.EXPIRED) and item.status == Item.Status.ON_HOLD_SHELF:
        here = hold.pickup_branch
        nxt = next_hold(item, today)
        if nxt is not None and nxt.pk != hold.pk:
            if nxt.pickup_branch_id == here.pk:
                make_ready(nxt, item, staff=staff, now=now, today=today)
                return
            nxt.status, nxt.trapped_item = Hold.Status.IN_TRANSIT, item
            audit(nxt, staff)
            nxt.save()
            send_item(item, to=nxt.pickup_branch, desk=here, reason="hold", hold=nxt, staff=staff, now=now)
            catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=staff, now=now)
        elif item.branch_id != here.pk:
            send_item(item, to=item.branch, desk=here, reason="return_home", hold=None, staff=staff, now=now)
            catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=staff, now=now)
        else:
            catalog_services.set_item_status(item, Item.Status.AVAILABLE, user=staff, now=now)


def cancel_hold(hold: Hold, *, staff=None, desk: Branch | None = None, patron: Patron | None = None, reason: str = "",
                now: datetime | None = None) -> Hold:
    """Cancel a hold (by staff at a desk, or by its patron online); an item set aside goes to the next in line."""
    now, today = moment(now)
    if staff is not None:
        require(staff, "circulation.change_hold", desk, on=today)
    with transaction.atomic():
        hold = _lock_active(hold)
        if patron is not None and hold.patron_id != patron.pk:
            raise HoldRefused("hold_not_active", title=hold.record.title, status=_("not yours"))
        hold.status, hold.ended_at = Hold.Status.CANCELLED, now
        hold.cancel_reason = reason[:200]
        audit(hold, staff, _("cancelled"))
        hold.save()
        _release_item(hold, staff=staff, desk=desk, now=now, today=today)
    return hold


def suspend_hold(hold: Hold, *, until: date | None, staff=None, desk: Branch | None = None,
                 patron: Patron | None = None) -> Hold:
    """Keep the hold's place but skip it until ``until`` (None: resume now); only a waiting hold."""
    _now, today = moment(None)
    if staff is not None:
        require(staff, "circulation.change_hold", desk, on=today)
    with transaction.atomic():
        hold = _lock_active(hold)
        if patron is not None and hold.patron_id != patron.pk:
            raise HoldRefused("hold_not_active", title=hold.record.title, status=_("not yours"))
        if hold.status != Hold.Status.WAITING:
            raise HoldRefused("hold_not_active", title=hold.record.title, status=hold.get_status_display())
        hold.suspended_until = until
        audit(hold, staff, _("suspended") if until else _("resumed"))
        hold.save()
    return hold


def change_pickup_branch(hold: Hold, *, pickup_branch: Branch | None = None, staff=None, desk: Branch | None = None,
                         patron: Patron | None = None, pickup_place: str = "") -> Hold:
    """Change where the patron collects a waiting hold (not once the item is on its way or on the shelf).

    ``pickup_place`` (a registered place's key) replaces ``pickup_branch`` as in ``place_hold``.
    """
    _now, today = moment(None)
    if staff is not None:
        require(staff, "circulation.change_hold", desk, on=today)
    pickup_branch, place = _resolve_pickup(pickup_branch, pickup_place)
    with transaction.atomic():
        hold = _lock_active(hold)
        if patron is not None and hold.patron_id != patron.pk:
            raise HoldRefused("hold_not_active", title=hold.record.title, status=_("not yours"))
        if hold.status != Hold.Status.WAITING:
            raise HoldRefused("hold_not_active", title=hold.record.title, status=hold.get_status_display())
        hold.pickup_branch = pickup_branch
        audit(hold, staff, _("pickup branch changed"))
        hold.save()
        _attach(hold, place)
    return hold


def expire_holds(*, today: date | None = None, now: datetime | None = None) -> int:
    """Expire holds left on the shelf past their last day; pass each item to the next in line. Return how many."""
    now, local_today = moment(now)
    today = today or local_today
    expired = 0
    for hold_id in Hold.objects.filter(status=Hold.Status.READY, expires_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            hold = Hold.objects.select_for_update(of=("self",)).select_related("pickup_branch", "patron").get(pk=hold_id)
            if hold.status != Hold.Status.READY:
                continue
            # At a pickup place (a mobile library stop) the hold waits for the place's next visit.
            place = pickup_place_of(hold) if _PROVIDERS else None
            keep = place.provider.keep_until(hold) if place is not None else None
            if keep is not None and keep >= today:
                hold.expires_on = keep
                audit(hold, None, _("on the hold shelf"))
                hold.save()
                continue
            hold.status, hold.ended_at = Hold.Status.EXPIRED, now
            audit(hold, None, _("not collected in time"))
            hold.save()
            _release_item(hold, staff=None, desk=hold.pickup_branch, now=now, today=today)
            expired += 1
    return expired
