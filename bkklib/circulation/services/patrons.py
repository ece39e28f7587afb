"""Membership verbs: register (at a desk or online), approve, change, renew, replace the card, block, PIN, consent."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from stdnum import luhn

from bkklib.core import thaiid
from bkklib.network.models import Branch

from .. import queries, rules
from ..exceptions import DuplicatePatron, InvalidPatronData, PatronNotFound
from ..models import Consent, FeeTier, Fine, Patron, PatronBlock, PatronCategory
from ..models.patrons import card_validator
from .common import audit, moment, require
from .lending import thai_date

EDITABLE_FIELDS = (
    "first_name_th", "last_name_th", "first_name_en", "last_name_en", "id_type", "national_id", "passport_number",
    "passport_country", "other_document", "birth_date", "phone", "email", "line_user_id", "address", "district",
    "category", "home_branch", "guardian", "language", "notice_channels", "note",
)
NOTICE_CHANNELS = ("email", "line", "sms")


def luhn_digit(digits: str) -> str:
    """Return the Luhn check digit of ``digits`` (catches a mistyped or misread card number)."""
    return luhn.calc_check_digit(digits)


def card_number_for(pk: int) -> str:
    """Return the card number the network issues to patron ``pk``: ``2`` + 11 digits + a Luhn digit."""
    body = f"2{pk:011d}"
    return body + luhn_digit(body)


def _clean(fields: dict, *, patron: Patron | None = None, today: date) -> dict:
    """Validate and normalise patron fields; raise InvalidPatronData naming the field."""
    data = dict(fields)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown patron fields: {sorted(unknown)}")

    def get(name, default=""):
        if name in data:
            return data[name]
        return getattr(patron, name, default) if patron is not None else default

    id_type = get("id_type", Patron.IdType.THAI_ID) or Patron.IdType.THAI_ID
    data["id_type"] = id_type
    for name in ("first_name_th", "last_name_th", "first_name_en", "last_name_en", "passport_number", "phone",
                 "email", "line_user_id", "national_id", "passport_country", "other_document"):
        if name in data and data[name] is not None:
            data[name] = " ".join(str(data[name]).split())
    if id_type == Patron.IdType.THAI_ID:
        raw = get("national_id")
        if not raw:
            raise InvalidPatronData(reason=_("a Thai national ID (13 digits) is required."), field="national_id")
        try:
            data["national_id"] = thaiid.normalise_thai_id(raw)
        except ValidationError as exc:
            raise InvalidPatronData(reason=exc.messages[0], field="national_id") from None
    elif id_type == Patron.IdType.PASSPORT:
        if not get("passport_number"):
            raise InvalidPatronData(reason=_("a passport number is required for a foreign patron."),
                                    field="passport_number")
        country = (get("passport_country") or "").upper()
        if len(country) != 3 or not country.isalpha():
            raise InvalidPatronData(reason=_("give the passport's country as a 3-letter code, e.g. JPN."),
                                    field="passport_country")
        data["passport_country"] = country
        data["passport_number"] = get("passport_number").upper().replace(" ", "")
        data["national_id"] = ""
    else:
        data["national_id"] = ""
        if not get("other_document"):
            raise InvalidPatronData(reason=_("describe the document that was checked."), field="other_document")
    if not (get("first_name_th") or get("first_name_en")):
        raise InvalidPatronData(reason=_("a first name (Thai or English) is required."), field="first_name_th")
    birth = get("birth_date", None)
    if isinstance(birth, str) and birth:
        try:
            birth = data["birth_date"] = date.fromisoformat(birth)
        except ValueError:
            raise InvalidPatronData(reason=_("the birth date must be a date (YYYY-MM-DD)."), field="birth_date") from None
    if birth and birth > today:
        raise InvalidPatronData(reason=_("the birth date cannot be in the future."), field="birth_date")
    category = get("category", None)
    if category is None:
        raise InvalidPatronData(reason=_("choose a patron category."), field="category")
    if not category.is_institution and birth is None:
        raise InvalidPatronData(reason=_("the birth date is required."), field="birth_date")
    guardian = get("guardian", None)
    if category.requires_guardian:
        if guardian is None:
            raise InvalidPatronData(
                reason=_("a member of the category {category} needs a guardian with a library card.").format(
                    category=category.name_th), field="guardian")
        if guardian.category.requires_guardian or guardian.status != Patron.Status.ACTIVE:
            raise InvalidPatronData(reason=_("the guardian must be an active adult member."), field="guardian")
    if patron is not None and guardian is not None and guardian.pk == patron.pk:
        raise InvalidPatronData(reason=_("a patron cannot be their own guardian."), field="guardian")
    channels = get("notice_channels", []) or []
    if any(c not in NOTICE_CHANNELS for c in channels):
        raise InvalidPatronData(reason=_("notice channels are email, line or sms."), field="notice_channels")
    email = get("email")
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise InvalidPatronData(reason=_("“{email}” is not an email address.").format(email=email),
                                    field="email") from None
    return data


def _check_unique_identity(data: dict, *, exclude_pk: int | None = None) -> None:
    others = Patron.objects.exclude(pk=exclude_pk) if exclude_pk else Patron.objects.all()
    if data.get("national_id"):
        other = others.filter(national_id=data["national_id"]).first()
        if other:
            raise DuplicatePatron(what=_("This national ID"), card=other.card_number, field="national_id")
    if data.get("passport_number"):
        other = others.filter(passport_number=data["passport_number"],
                              passport_country=data.get("passport_country", "")).first()
        if other:
            raise DuplicatePatron(what=_("This passport"), card=other.card_number, field="passport_number")


def _create(data: dict, *, card_number: str | None, status: str, today: date, user, reason: str) -> Patron:
    _check_unique_identity(data)
    category = data["category"]
    patron = Patron(status=status, card_expires_on=rules.card_expiry(today, category.card_valid_years), **data)
    if card_number:
        try:
            card_validator(card_number)
        except ValidationError:
            raise InvalidPatronData(reason=_("“{card}” is not a valid card number.").format(card=card_number),
                                    field="card_number") from None
        if Patron.objects.filter(card_number=card_number).exists():
            raise DuplicatePatron(what=_("This card number"), card=card_number, field="card_number")
        patron.card_number = card_number
    else:
        patron.card_number = f"new-{secrets.token_hex(8)}"  # replaced by the issued number below
    audit(patron, user, reason)
    try:
        with transaction.atomic():
            patron.save()
    except IntegrityError:  # a concurrent registration took the ID or card between the check and the insert
        raise DuplicatePatron(what=_("This identity document or card"), card="—") from None
    if not card_number:
        patron.card_number = card_number_for(patron.pk)
        patron.save(update_fields=["card_number"])
    return patron


def record_consent(patron: Patron, *, purposes: list[str], channel: str, guardian: Patron | None = None, staff=None,
                   now: datetime | None = None) -> Consent:
    """Record the PDPA purposes ``patron`` (or their guardian) agrees to; return the new consent row.

    Membership is the lawful basis of lending and is always included; ``loan_history`` decides
    whether returned loans keep their link to the patron.
    """
    now, _today = moment(now)
    unknown = set(purposes) - set(Consent.Purpose.values)
    if unknown:
        raise InvalidPatronData(reason=_("unknown consent purposes: {p}").format(p=", ".join(sorted(unknown))),
                                field="purposes")
    if channel not in Consent.Channel.values:
        raise InvalidPatronData(reason=_("unknown consent channel {c}.").format(c=channel), field="channel")
    if patron.category.requires_guardian and guardian is None:
        guardian = patron.guardian
        if guardian is None:
            raise InvalidPatronData(reason=_("a child's consent is given by the guardian."), field="guardian")
    wanted = [Consent.Purpose.MEMBERSHIP.value] + sorted(set(purposes) - {Consent.Purpose.MEMBERSHIP.value})
    consent = Consent.objects.create(patron=patron, purposes=wanted, channel=channel, given_at=now,
                                     given_by_guardian=guardian if patron.category.requires_guardian else None,
                                     recorded_by=staff if getattr(staff, "is_authenticated", False) else None)
    keeps = Consent.Purpose.LOAN_HISTORY in wanted
    if patron.keeps_loan_history != keeps:
        patron.keeps_loan_history = keeps
        audit(patron, staff, _("consent changed"))
        patron.save(update_fields=["keeps_loan_history", "updated_at"])
    return consent


def update_consent(patron: Patron, *, purposes: list[str], channel: str = Consent.Channel.ONLINE,
                   guardian: Patron | None = None, staff=None, now: datetime | None = None) -> Consent:
    """Change the purposes a patron consents to (public site or desk); an alias kept for the OPAC."""
    with transaction.atomic():
        return record_consent(patron, purposes=purposes, channel=channel, guardian=guardian, staff=staff, now=now)


@transaction.atomic
def register_patron(*, staff, desk: Branch, consent_purposes: list[str], card_number: str | None = None,
                    pin: str | None = None, consent_channel: str = Consent.Channel.DESK, charge_fee: bool = True,
                    now: datetime | None = None, **fields) -> Patron:
    """Register a patron at a desk after checking the ID document; return the active patron.

    The card is valid for the category's years; the annual fee of the patron's age tier is charged
    (paid at the desk like any fee). Raise InvalidPatronData, DuplicatePatron or NotPermitted.
    """
    now, today = moment(now)
    require(staff, "circulation.add_patron", desk)
    data = _clean(fields, today=today)
    data.setdefault("home_branch", desk)
    patron = _create(data, card_number=card_number, status=Patron.Status.ACTIVE, today=today, user=staff,
                     reason=_("registered at {desk}").format(desk=desk.name_th))
    patron.approved_at, patron.approved_by = now, staff
    patron.save(update_fields=["approved_at", "approved_by"])
    if pin:
        set_pin(patron, pin)
    record_consent(patron, purposes=consent_purposes, channel=consent_channel, staff=staff, now=now)
    if charge_fee:
        _charge_membership(patron, staff=staff, desk=desk, today=today, now=now)
    return patron


@transaction.atomic
def register_pending_patron(*, home_branch: Branch, consent_purposes: list[str], pin: str | None = None,
                            guardian_card: str = "", now: datetime | None = None, **fields) -> Patron:
    """Create a patron from the public site's self-registration form, pending a desk ID check.

    ``fields`` are the patron's details (names, identity document, birth date, category,
    contacts); a child names a guardian by card. The patron cannot borrow until staff approve it
    with ``approve_patron``. Raise InvalidPatronData or DuplicatePatron.
    """
    now, today = moment(now)
    if guardian_card:
        try:
            fields["guardian"] = queries.patron_by_card(guardian_card)
        except PatronNotFound:
            raise InvalidPatronData(reason=_("no patron has the guardian's card number {card}.").format(
                card=guardian_card), field="guardian_card") from None
    data = _clean(fields, today=today)
    data["home_branch"] = home_branch
    patron = _create(data, card_number=None, status=Patron.Status.PENDING, today=today, user=None,
                     reason=_("registered online"))
    patron.registered_online = True
    patron.save(update_fields=["registered_online"])
    if pin:
        set_pin(patron, pin)
    record_consent(patron, purposes=consent_purposes, channel=Consent.Channel.ONLINE, now=now)
    return patron


@transaction.atomic
def approve_patron(patron: Patron, *, staff, desk: Branch, document_checked: str, charge_fee: bool = True,
                   now: datetime | None = None) -> Patron:
    """Activate a pending patron after the ID document was seen at the desk; start the card's validity."""
    now, today = moment(now)
    require(staff, "circulation.approve_patron", desk)
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    if patron.status != Patron.Status.PENDING:
        raise InvalidPatronData(reason=_("card {card} is not waiting for approval.").format(card=patron.card_number))
    if not document_checked.strip():
        raise InvalidPatronData(reason=_("say which document was checked."), field="document_checked")
    patron.status = Patron.Status.ACTIVE
    patron.approved_at, patron.approved_by = now, staff
    patron.card_expires_on = rules.card_expiry(today, patron.category.card_valid_years)
    audit(patron, staff, _("approved after checking {doc}").format(doc=document_checked.strip()))
    patron.save()
    if charge_fee:
        _charge_membership(patron, staff=staff, desk=desk, today=today, now=now)
    return patron


@transaction.atomic
def update_patron(patron: Patron, *, staff, desk: Branch, reason: str = "", **changes) -> Patron:
    """Change a patron's details at a desk (any desk of the network: one card for every library)."""
    _now, today = moment(None)
    require(staff, "circulation.change_patron", desk)
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    data = _clean(changes, patron=patron, today=today)
    _check_unique_identity({k: data.get(k, getattr(patron, k)) for k in ("national_id", "passport_number",
                                                                         "passport_country")}, exclude_pk=patron.pk)
    for name, value in data.items():
        setattr(patron, name, value)
    audit(patron, staff, reason)
    patron.save()
    return patron


def _charge_membership(patron: Patron, *, staff, desk: Branch, today: date, now: datetime) -> Fine | None:
    tiers = [rules.FeeTier(t.min_age, t.max_age, t.annual_fee, t.category_id) for t in FeeTier.objects.all()]
    fee = rules.membership_fee(tiers, age=rules.age_on(patron.birth_date, today), category_id=patron.category_id)
    years = patron.category.card_valid_years
    total = fee * years
    if total <= 0:
        return None
    fine = Fine(patron=patron, kind=Fine.Kind.MEMBERSHIP, branch=desk, amount=total, created_at=now,
                created_by=staff, description=_("membership fee, {years} year(s) to {date}").format(
                    years=years, date=thai_date(patron.card_expires_on)))
    audit(fine, staff)
    fine.save()
    return fine


@transaction.atomic
def renew_membership(patron: Patron, *, staff, desk: Branch, now: datetime | None = None) -> Patron:
    """Extend the card by the category's years from today (or from its expiry if still valid); charge the fee."""
    now, today = moment(now)
    require(staff, "circulation.change_patron", desk)
    patron = Patron.objects.select_for_update(of=("self",)).select_related("category").get(pk=patron.pk)
    start = max(today, patron.card_expires_on)
    patron.card_expires_on = rules.card_expiry(start, patron.category.card_valid_years)
    audit(patron, staff, _("membership renewed"))
    patron.save()
    _charge_membership(patron, staff=staff, desk=desk, today=today, now=now)
    return patron


@transaction.atomic
def replace_card(patron: Patron, *, staff, desk: Branch, new_card_number: str | None = None, charge_fee: bool = True,
                 now: datetime | None = None) -> Patron:
    """Give the patron a new card number (lost or worn card); the old number stops working at once."""
    now, _today = moment(now)
    require(staff, "circulation.change_patron", desk)
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    old = patron.card_number
    if new_card_number:
        try:
            card_validator(new_card_number)
        except ValidationError:
            raise InvalidPatronData(reason=_("“{card}” is not a valid card number.").format(card=new_card_number),
                                    field="card_number") from None
        if Patron.objects.filter(card_number=new_card_number).exists():
            raise DuplicatePatron(what=_("This card number"), card=new_card_number, field="card_number")
        patron.card_number = new_card_number
    else:
        # A new number derived from the pk would repeat the old one: add the replacement count.
        count = patron.history.filter(history_change_reason__startswith="card replaced").count() + 1
        body = f"2{patron.pk:09d}{count % 100:02d}"
        patron.card_number = body + luhn_digit(body)
    audit(patron, staff, f"card replaced ({old})")
    patron.save()
    if charge_fee:
        fee = queries.settings().card_replacement_fee
        if fee > 0:
            fine = Fine(patron=patron, kind=Fine.Kind.CARD_REPLACEMENT, branch=desk, amount=fee, created_at=now,
                        created_by=staff, description=_("replacement of card {card}").format(card=old))
            audit(fine, staff)
            fine.save()
    return patron


@transaction.atomic
def block_patron(patron: Patron, *, staff, desk: Branch, reason: str, now: datetime | None = None) -> PatronBlock:
    """Block a patron's card by hand, with a reason shown at every desk."""
    now, _today = moment(now)
    require(staff, "circulation.block_patron", desk)
    if not reason.strip():
        raise InvalidPatronData(reason=_("give the reason for the block."), field="reason")
    block = PatronBlock(patron=patron, reason=reason.strip()[:200], created_at=now, created_by=staff)
    audit(block, staff)
    block.save()
    return block


@transaction.atomic
def lift_blocks(patron: Patron, *, staff, desk: Branch, now: datetime | None = None) -> int:
    """Lift every manual block of the patron; return how many were lifted."""
    now, _today = moment(now)
    require(staff, "circulation.block_patron", desk)
    lifted = 0
    for block in PatronBlock.objects.select_for_update().filter(patron=patron, lifted_at__isnull=True):
        block.lifted_at, block.lifted_by = now, staff
        audit(block, staff)
        block.save()
        lifted += 1
    return lifted


def set_pin(patron: Patron, pin: str) -> None:
    """Set the PIN the patron signs in with on the public site, stored hashed.

    ``rules.normalise_pin`` decides the format (4 to 6 digits; Thai digits count as the same
    digits); raise InvalidPatronData otherwise.
    """
    value = rules.normalise_pin(pin)
    if value is None:
        raise InvalidPatronData(reason=_("the PIN must be 4 to 6 digits."), field="pin")
    patron.pin_hash = make_password(value)
    patron.save(update_fields=["pin_hash"])


def update_preferences(patron: Patron, *, notice_channels: list[str], language: str, staff=None) -> Patron:
    """Store how the patron wants notices (channels, language); recorded in the patron's history.

    The public site calls it for the patron's own choices (``staff`` None). Raise InvalidPatronData
    for an unknown channel or language, or a channel the patron has no address for.
    """
    unknown = set(notice_channels) - set(rules.NOTICE_CHANNELS)
    if unknown:
        raise InvalidPatronData(reason=_("unknown notice channels: {c}").format(c=", ".join(sorted(unknown))),
                                field="channels")
    if language not in ("th", "en"):
        raise InvalidPatronData(reason=_("unknown language {language}.").format(language=language), field="language")
    if missing := rules.channels_without_address(notice_channels, email=patron.email, phone=patron.phone,
                                                 line_user_id=patron.line_user_id):
        raise InvalidPatronData(reason=_("there is no address for {channels}.").format(channels=", ".join(missing)),
                                field="channels")
    patron.notice_channels, patron.language = list(notice_channels), language
    audit(patron, staff, _("notice preferences changed") if staff else _("notice preferences changed online by the patron"))
    patron.save(update_fields=["notice_channels", "language", "updated_at"])
    return patron


def card_holder(card: str) -> Patron | None:
    """Return the patron (active, pending, blocked or expired; not erased) holding ``card``, or None.

    Spaces typed or printed inside the number are ignored.
    """
    card = (card or "").strip().replace(" ", "")
    return Patron.objects.filter(card_number=card).exclude(status=Patron.Status.ERASED).first() if card else None


def pin_matches(patron: Patron | None, pin: str) -> bool:
    """Return True when ``pin`` is ``patron``'s PIN (read through ``rules.normalise_pin``).

    Takes the time of a real check even without a patron or a PIN, so that the answer does not
    reveal which cards exist or have a PIN.
    """
    value = rules.normalise_pin(pin)
    if patron is None or not patron.pin_hash or value is None:
        make_password(value or pin or "")
        return False
    return check_password(value, patron.pin_hash)


def categories() -> list[PatronCategory]:
    """Return the patron categories for registration forms."""
    return list(PatronCategory.objects.order_by("code"))
