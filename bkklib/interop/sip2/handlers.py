"""What the SIP2 server answers: one Session per connection, every action through circulation's services.

A terminal logs in (93) with its login and password (``CN``/``CO``); from then on every request is
answered for its branch, in its charset and date style. Loans, returns, renewals, payments and
holds call the same services as a desk (``circulation.services``), with the terminal's service
account as the staff member, so the same rules apply and the audit names the terminal. A
refusal is the protocol's own answer (ok = 0) with the service's Thai message as the screen
message (AF); a frame that cannot be read, or fails its checksum, is answered with 96
("please resend"); 97 repeats the last answer.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import OperationalError, close_old_connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bkklib.catalog import queries as catalog_queries
from bkklib.catalog.exceptions import ItemNotFound
from bkklib.catalog.models import Item
from bkklib.circulation import queries as circ_queries
from bkklib.circulation import rules as circ_rules
from bkklib.circulation.models import Hold, Loan, Patron
from bkklib.circulation.services import fines as fine_services
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import lending
from bkklib.circulation.services import patrons as patron_services
from bkklib.core.exceptions import DomainError

from .. import services
from ..models import Sip2Terminal
from . import codec, messages
from .codec import FrameError, Message

log = logging.getLogger("bkklib.sip2")

RESEND = b"96"
LOCK_RETRIES = 4  # a table locked by another terminal's write (SQLite): tried again up to four times

_STATUS_BY_ITEM = {
    Item.Status.AVAILABLE: messages.CIRC_AVAILABLE,
    Item.Status.ON_LOAN: messages.CIRC_CHARGED,
    Item.Status.IN_TRANSIT: messages.CIRC_IN_TRANSIT,
    Item.Status.ON_HOLD_SHELF: messages.CIRC_ON_HOLD_SHELF,
    Item.Status.LOST: messages.CIRC_LOST,
    Item.Status.MISSING: messages.CIRC_MISSING,
    Item.Status.IN_REPAIR: messages.CIRC_IN_PROCESS,
    Item.Status.IN_PROCESSING: messages.CIRC_IN_PROCESS,
}


def yn(value: bool) -> str:
    return "Y" if value else "N"


class Session:
    """One terminal connection: its login state, its last answer and its settings."""

    def __init__(self, *, peer: str = ""):
        self.peer = peer
        self.terminal: Sip2Terminal | None = None
        self.last_response: bytes | None = None
        # (patron id, PIN) pairs already verified on this connection: a self-check sends the PIN with
        # every message of a patron's session, and each check costs a password hash.
        self._verified: set[tuple[int, str]] = set()

    # --- framing -----------------------------------------------------------------------------

    @property
    def charset(self) -> str:
        return self.terminal.charset if self.terminal else "utf-8"

    @property
    def era(self) -> str:
        return self.terminal.date_style if self.terminal else "ce"

    @property
    def error_detection(self) -> bool:
        return self.terminal.error_detection if self.terminal else True

    def handle(self, frame: bytes, *, now: datetime | None = None) -> bytes:
        """Answer one frame (bytes without the CR)."""
        close_old_connections()
        frame = frame.strip(b"\r\n")
        if frame[:2] == b"97":
            return self.last_response or self._resend()
        try:
            message = codec.decode(frame, charset=self.charset)
        except FrameError as exc:
            log.info("sip2 %s: unreadable frame (%s)", self.peer, exc)
            return self._resend()
        if message.checksum_ok is False and self.error_detection:
            log.info("sip2 %s: checksum failed for %s", self.peer, message.command)
            return self._resend()
        handler = getattr(self, f"on_{messages.REQUESTS[message.command].name}")
        if self.terminal is None and message.command not in ("93", "99"):
            log.info("sip2 %s: %s before login", self.peer, message.command)
            return self._resend()
        with translation.override("th"):
            for attempt in range(LOCK_RETRIES + 1):
                try:
                    answer = handler(message, now or timezone.now())
                    break
                except Exception as exc:  # noqa: BLE001 - one bad request must not end the terminal's session
                    # SQLite answers "database table is locked" at once while another terminal's thread writes
                    # (the verbs are atomic: nothing of this request was kept): wait a moment and do it again.
                    if isinstance(exc, OperationalError) and "locked" in str(exc) and attempt < LOCK_RETRIES:
                        time.sleep(0.05 * (attempt + 1))
                        continue
                    log.exception("sip2 %s: %s failed", self.peer, message.command)
                    return self._resend()
        self.last_response = answer
        return answer

    def _resend(self) -> bytes:
        return RESEND + codec.CR

    def reply(self, command: str, fixed: list[str], fields: list[tuple[str, object]], request: Message) -> bytes:
        return codec.encode(command, fixed, fields, charset=self.charset, sequence=request.sequence,
                            error_detection=self.error_detection and request.sequence is not None)

    def date(self, now: datetime) -> str:
        return codec.sip_datetime(now, era=self.era)

    @property
    def institution(self) -> str:
        return self.terminal.institution_id if self.terminal else ""

    # --- lookups ---------------------------------------------------------------------------

    def patron(self, message: Message) -> Patron | None:
        return patron_services.card_holder(message.get("AA"))

    def item(self, message: Message) -> Item | None:
        try:
            return catalog_queries.item_by_barcode(message.get("AB"))
        except ItemNotFound:
            return None

    def password_ok(self, patron: Patron | None, message: Message) -> bool | None:
        """Whether the patron password (AD, the PIN) is right; None when the terminal sent none."""
        if "AD" not in message.fields or message.get("AD") == "":
            return None
        pin = message.get("AD")
        if patron is not None and (patron.pk, pin) in self._verified:
            return True
        ok = patron_services.pin_matches(patron, pin)
        if ok:
            self._verified.add((patron.pk, pin))
        return ok

    def staff_and_desk(self):
        return self.terminal.user, self.terminal.branch

    # --- 93 / 99 ----------------------------------------------------------------------------

    def on_login(self, message: Message, now: datetime) -> bytes:
        terminal = services.authenticate(message.get("CN"), message.get("CO"))
        if terminal is not None:
            self.terminal = terminal
            services.seen(terminal, now=now)
            log.info("sip2 %s: terminal %s logged in", self.peer, terminal.login)
        else:
            log.info("sip2 %s: login refused for %r", self.peer, message.get("CN"))
        return codec.encode("94", ["1" if terminal is not None else "0"], [],
                            charset=self.charset, sequence=message.sequence,
                            error_detection=message.sequence is not None)

    def on_sc_status(self, message: Message, now: datetime) -> bytes:
        online = self.terminal is not None
        branch = self.terminal.branch if online else None
        return self.reply("98", [yn(online), yn(online), yn(online), yn(online), "N", "N", "030", "003",
                                 self.date(now), "2.00"], [
            ("AO", self.institution),
            ("AM", branch.name_th if branch else _("Bangkok public libraries")),
            ("BX", messages.SUPPORTED),
            ("AN", self.terminal.name if online else None),
        ], message)

    # --- patrons -----------------------------------------------------------------------------

    def _patron_status(self, patron: Patron | None, now: datetime) -> tuple[str, circ_queries.Standing | None]:
        if patron is None:
            return "Y" * 4 + " " * 10, None
        standing = circ_queries.standing(patron)
        refusal = circ_rules.patron_refusal(standing.borrower, today=timezone.localdate(now))
        denied = refusal is not None
        flags = [denied, denied, denied, denied, False, False, False, False, False, False,
                 refusal == "fines_due", False, False, False]
        return "".join("Y" if flag else " " for flag in flags), standing

    def _patron_fields(self, patron: Patron | None, message: Message, standing, now: datetime) -> list:
        password = self.password_ok(patron, message)
        refusal = (circ_rules.patron_refusal(standing.borrower, today=timezone.localdate(now))
                   if standing is not None else None)
        if patron is None:
            screen = _("Card {card} is not known. Please ask at the desk.").format(card=message.get("AA") or "—")
        elif refusal:
            screen = _refusal_text(refusal)
        else:
            screen = _("Welcome, {name}").format(name=patron.full_name)
        return [
            ("AO", self.institution), ("AA", message.get("AA")),
            ("AE", patron.full_name if patron else ""),
            ("BL", yn(patron is not None)),
            ("CQ", yn(bool(password)) if password is not None else None),
            ("BH", "THB"),
            ("BV", f"{standing.borrower.fines_due:.2f}" if standing else "0.00"),
            ("AF", screen),
        ]

    def on_patron_status(self, message: Message, now: datetime) -> bytes:
        patron = self.patron(message)
        status, standing = self._patron_status(patron, now)
        return self.reply("24", [status, "000", self.date(now)],
                          self._patron_fields(patron, message, standing, now), message)

    def on_patron_information(self, message: Message, now: datetime) -> bytes:
        patron = self.patron(message)
        status, standing = self._patron_status(patron, now)
        today = timezone.localdate(now)
        loans = list(circ_queries.loans_of(patron).select_related("item__record").order_by("due_on")) if patron else []
        overdue = list(circ_queries.overdue_of(loans, today=today).keys())
        overdue = [loan for loan in loans if loan.pk in overdue]
        holds = list(circ_queries.holds_of(patron).select_related("record")) if patron else []
        ready = [h for h in holds if h.status == Hold.Status.READY]
        fines = list(circ_queries.fines_of(patron)) if patron else []
        summary = message.fixed.get("summary", "")
        counts = [len(ready), len(overdue), len(loans), len(fines), 0, len(holds) - len(ready)]
        fields = self._patron_fields(patron, message, standing, now)
        # The summary field asks for one list: hold items, overdue, charged, fine items, recall, unavailable holds.
        if summary[:1] == "Y":
            fields.append(("AS", [h.record.title for h in ready]))
        if summary[1:2] == "Y":
            fields.append(("AT", [loan.item.barcode for loan in overdue]))
        if summary[2:3] == "Y":
            fields.append(("AU", [loan.item.barcode for loan in loans]))
        if summary[3:4] == "Y":
            fields.append(("AV", [f"{f.balance:.2f} {f.get_kind_display()}" for f in fines]))
        if summary[5:6] == "Y":
            fields.append(("CD", [h.record.title for h in holds if h.status != Hold.Status.READY]))
        if patron is not None:
            fields += [("BE", patron.email or None), ("BF", patron.phone or None)]
        return self.reply("64", [status, "000", self.date(now), *(f"{min(n, 9999):04d}" for n in counts)],
                          fields, message)

    def on_end_session(self, message: Message, now: datetime) -> bytes:
        return self.reply("36", ["Y", self.date(now)], [("AO", self.institution), ("AA", message.get("AA"))], message)

    # --- items -------------------------------------------------------------------------------

    def on_item_information(self, message: Message, now: datetime) -> bytes:
        item = self.item(message)
        if item is None:
            return self.reply("18", [messages.CIRC_OTHER, "00", "01", self.date(now)], [
                ("AB", message.get("AB")), ("AJ", ""),
                ("AF", _("Item {barcode} is not in the catalogue.").format(barcode=message.get("AB") or "—")),
            ], message)
        loan = circ_queries.open_loan_of(item)
        queue = circ_queries.queue_of(item.record).count()
        return self.reply("18", [_STATUS_BY_ITEM.get(item.status, messages.CIRC_OTHER), "00", "01", self.date(now)], [
            ("CF", str(queue) if queue else None),
            ("AH", codec.sip_date(loan.due_on, era=self.era) if loan else None),
            ("AB", item.barcode), ("AJ", item.record.title),
            ("AQ", item.branch.code), ("AP", item.branch.code),
            ("CK", "001"),
        ], message)

    def on_checkout(self, message: Message, now: datetime) -> bytes:
        patron, item = self.patron(message), self.item(message)
        staff, desk = self.staff_and_desk()
        title = item.record.title if item else ""
        screen, loan = "", None
        if patron is None:
            screen = _("Card {card} is not known. Please ask at the desk.").format(card=message.get("AA") or "—")
        elif item is None:
            screen = _("Item {barcode} is not in the catalogue.").format(barcode=message.get("AB") or "—")
        elif self.password_ok(patron, message) is False:
            screen = _("The PIN is not right.")
        else:
            try:
                loan = lending.checkout(item=item, patron=patron, staff=staff, desk=desk, now=now)
            except DomainError as exc:
                screen = exc.text
        ok = loan is not None
        if ok:
            screen = _("Due back {date}").format(date=lending.thai_date(loan.due_on))
        return self.reply("12", ["1" if ok else "0", "N", "U", yn(ok), self.date(now)], [
            ("AO", self.institution), ("AA", message.get("AA")), ("AB", message.get("AB")), ("AJ", title),
            ("AH", codec.sip_date(loan.due_on, era=self.era) if ok else ""),
            ("AF", screen),
        ], message)

    def on_checkin(self, message: Message, now: datetime) -> bytes:
        item = self.item(message)
        staff, desk = self.staff_and_desk()
        if item is None:
            return self.reply("10", ["0", "N", "U", "N", self.date(now)], [
                ("AO", self.institution), ("AB", message.get("AB")), ("AQ", ""),
                ("AF", _("Item {barcode} is not in the catalogue.").format(barcode=message.get("AB") or "—")),
            ], message)
        try:
            result = lending.checkin(item=item, staff=staff, desk=desk, now=now)
        except DomainError as exc:
            return self.reply("10", ["0", "N", "U", "N", self.date(now)], [
                ("AO", self.institution), ("AB", item.barcode), ("AQ", item.branch.code), ("AJ", item.record.title),
                ("AF", exc.text),
            ], message)
        alert = result.hold is not None or result.transit is not None
        screen = " ".join(str(m) for m in result.messages) or _("Thank you. The item is returned.")
        return self.reply("10", ["1", "Y", "U", yn(alert), self.date(now)], [
            ("AO", self.institution), ("AB", item.barcode), ("AQ", item.branch.code), ("AJ", item.record.title),
            ("AA", result.loan.patron.card_number if result.loan and result.loan.patron else None),
            ("CL", "2" if alert else None),
            ("AF", screen),
        ], message)

    def on_renew(self, message: Message, now: datetime) -> bytes:
        patron, item = self.patron(message), self.item(message)
        staff, desk = self.staff_and_desk()
        loan, screen = None, ""
        open_loan = circ_queries.open_loan_of(item) if item else None
        if patron is None or open_loan is None or open_loan.patron_id != patron.pk:
            screen = _("This item is not on loan to this card.")
        elif self.password_ok(patron, message) is False:
            screen = _("The PIN is not right.")
        else:
            try:
                loan = lending.renew(loan=open_loan, staff=staff, desk=desk, now=now)
            except DomainError as exc:
                screen = exc.text
        ok = loan is not None
        if ok:
            screen = _("Renewed: due back {date}").format(date=lending.thai_date(loan.due_on))
        return self.reply("30", ["1" if ok else "0", yn(ok), "U", "N", self.date(now)], [
            ("AO", self.institution), ("AA", message.get("AA")), ("AB", message.get("AB")),
            ("AJ", item.record.title if item else ""),
            ("AH", codec.sip_date(loan.due_on, era=self.era) if ok else ""),
            ("AF", screen),
        ], message)

    def on_renew_all(self, message: Message, now: datetime) -> bytes:
        patron = self.patron(message)
        staff, desk = self.staff_and_desk()
        renewed, unrenewed = [], []
        if patron is not None and self.password_ok(patron, message) is not False:
            for loan in Loan.objects.open().filter(patron=patron).select_related("item"):
                try:
                    lending.renew(loan=loan, staff=staff, desk=desk, now=now)
                    renewed.append(loan.item.barcode)
                except DomainError:
                    unrenewed.append(loan.item.barcode)
        ok = patron is not None
        return self.reply("66", ["1" if ok else "0", f"{len(renewed):04d}", f"{len(unrenewed):04d}", self.date(now)], [
            ("AO", self.institution), ("BM", renewed), ("BN", unrenewed),
            ("AF", _("Renewed {done}, not renewed {left}.").format(done=len(renewed), left=len(unrenewed))
             if ok else _("Card {card} is not known. Please ask at the desk.").format(card=message.get("AA") or "—")),
        ], message)

    # --- money and holds ---------------------------------------------------------------------

    def on_fee_paid(self, message: Message, now: datetime) -> bytes:
        patron = self.patron(message)
        staff, desk = self.staff_and_desk()
        receipt, screen = None, ""
        try:
            amount = Decimal(message.get("BV").replace(",", "").strip() or "x")
        except InvalidOperation:
            amount = None
        if patron is None:
            screen = _("Card {card} is not known. Please ask at the desk.").format(card=message.get("AA") or "—")
        elif amount is None:
            screen = _("The amount {amount} is not a number.").format(amount=message.get("BV") or "—")
        else:
            method = "card" if message.fixed.get("payment_type") == "02" else "cash"
            try:
                receipt = fine_services.pay(patron=patron, amount=amount, staff=staff, desk=desk, method=method, now=now)
            except DomainError as exc:
                screen = exc.text
        ok = receipt is not None
        return self.reply("38", [yn(ok), self.date(now)], [
            ("AO", self.institution), ("AA", message.get("AA")),
            ("BK", receipt.label if ok else message.get("BK") or None),
            ("AF", _("Paid. Receipt {number}.").format(number=receipt.label) if ok else screen),
        ], message)

    def on_hold(self, message: Message, now: datetime) -> bytes:
        patron = self.patron(message)
        staff, desk = self.staff_and_desk()
        item = self.item(message) if message.get("AB") else None
        mode = message.fixed.get("mode", "+")
        hold, screen = None, ""
        if patron is None:
            screen = _("Card {card} is not known. Please ask at the desk.").format(card=message.get("AA") or "—")
        elif item is None:
            screen = _("Item {barcode} is not in the catalogue.").format(barcode=message.get("AB") or "—")
        else:
            try:
                if mode == "-":
                    hold = (circ_queries.holds_of(patron).filter(record_id=item.record_id).first())
                    if hold is None:
                        screen = _("There is no reservation of this title on this card.")
                    else:
                        hold_services.cancel_hold(hold, staff=staff, desk=desk, reason=_("cancelled at a self-check"),
                                                  now=now)
                else:
                    hold = hold_services.place_hold(record=item.record, patron=patron, pickup_branch=desk,
                                                    staff=staff, desk=desk, now=now)
            except DomainError as exc:
                hold, screen = None, exc.text
        ok = hold is not None
        rank = circ_queries.queue_rank(hold) if ok and mode != "-" and hold.status == Hold.Status.WAITING else None
        return self.reply("16", ["1" if ok else "0", yn(ok and hold.status == Hold.Status.READY), self.date(now)], [
            ("BR", str(rank) if rank else None),
            ("BS", desk.code if ok and mode != "-" else None),
            ("AO", self.institution), ("AA", message.get("AA")), ("AB", message.get("AB") or None),
            ("AJ", item.record.title if item else None),
            ("AF", screen or (_("Reservation cancelled.") if mode == "-" else _("Reserved: number {rank} in the queue.")
                              .format(rank=rank or 1))),
        ], message)


def _refusal_text(reason: str) -> str:
    texts = {
        "patron_pending": _("This card is waiting for approval. Please ask at the desk."),
        "patron_inactive": _("This card cannot borrow. Please ask at the desk."),
        "card_expired": _("This card has expired. Please renew it at the desk."),
        "patron_blocked": _("This card is blocked. Please ask at the desk."),
        "fines_due": _("Please pay your fines at the desk before borrowing."),
    }
    return texts.get(reason, _("This card cannot borrow now. Please ask at the desk."))
