"""Statistics of the e-library per title and month: loans, unique readers, turnaways, holds; cost per loan."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.xlsx import Sheet

from . import rules
from .models import EHold, ELoan, Licence, Title, Turnaway


@dataclass
class Row:
    title_id: int
    title: str
    month: str
    loans: int = 0
    readers: int = 0
    turnaways: int = 0
    holds: int = 0
    waiting: int = 0
    cost: Decimal = field(default_factory=lambda: Decimal("0"))
    all_loans: int = 0

    @property
    def cost_per_loan(self):
        return rules.cost_per_loan(self.cost, self.all_loans)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end, time.max), tz))


def _month(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m") if isinstance(value, datetime) else value.strftime("%Y-%m")


def per_title_month(start: date, end: date, *, limit: int = 2000) -> list[Row]:
    """Rows (title, month) with any activity between ``start`` and ``end`` (Bangkok days), busiest first."""
    lo, hi = _bounds(start, end)
    tz = timezone.get_current_timezone()
    rows: dict[tuple[int, str], Row] = {}

    def row(title_id, month):
        return rows.setdefault((title_id, month), Row(title_id, "", month))

    for r in (ELoan.objects.filter(started_at__range=(lo, hi)).annotate(m=TruncMonth("started_at", tzinfo=tz))
              .values("title_id", "m").annotate(n=Count("pk"), readers=Count("reader_key", distinct=True)).order_by()):
        target = row(r["title_id"], _month(r["m"]))
        target.loans, target.readers = r["n"], r["readers"]
    for r in (Turnaway.objects.filter(at__range=(lo, hi)).annotate(m=TruncMonth("at", tzinfo=tz))
              .values("title_id", "m").annotate(n=Count("pk")).order_by()):
        row(r["title_id"], _month(r["m"])).turnaways = r["n"]
    for r in (EHold.objects.filter(placed_at__range=(lo, hi)).annotate(m=TruncMonth("placed_at", tzinfo=tz))
              .values("title_id", "m").annotate(n=Count("pk")).order_by()):
        row(r["title_id"], _month(r["m"])).holds = r["n"]
    ids = {key[0] for key in rows}
    waiting = dict(EHold.objects.filter(title_id__in=ids, status=EHold.Status.WAITING).values_list("title_id")
                   .annotate(n=Count("pk")).order_by())
    cost = dict(Licence.objects.filter(title_id__in=ids).values_list("title_id").annotate(p=Sum("price")).order_by())
    used = dict(Licence.objects.filter(title_id__in=ids).values_list("title_id").annotate(n=Sum("loans_used")).order_by())
    names = dict(Title.objects.filter(pk__in=ids).values_list("pk", "title"))
    for (title_id, _m), target in rows.items():
        target.title = names.get(title_id, "")
        target.waiting = waiting.get(title_id, 0)
        target.cost = cost.get(title_id) or Decimal("0")
        target.all_loans = used.get(title_id) or 0
    return sorted(rows.values(), key=lambda r: (r.month, -r.loans, -r.turnaways, r.title))[:limit]


def totals(rows: list[Row]) -> dict:
    return {"loans": sum(r.loans for r in rows), "turnaways": sum(r.turnaways for r in rows),
            "holds": sum(r.holds for r in rows)}


def licence_renewal(today: date) -> list[dict]:
    """Per licence: what it cost, loans it gave, cost per loan, turnaways of its title, loans left, days left."""
    licences = Licence.objects.exclude(kind=Licence.Kind.OPEN).select_related("title").order_by("expires_on", "pk")
    turnaways = dict(Turnaway.objects.values_list("title_id").annotate(n=Count("pk")).order_by())
    found = []
    for lic in licences:
        found.append({"licence": lic, "cost_per_loan": rules.cost_per_loan(lic.price, lic.loans_used),
                      "turnaways": turnaways.get(lic.title_id, 0),
                      "loans_left": None if lic.loans_total is None else lic.loans_total - lic.loans_used,
                      "days_left": None if lic.expires_on is None else (lic.expires_on - today).days})
    return found


def sheets(rows: list[Row], renewal: list[dict]) -> list[Sheet]:
    per_month = Sheet(
        title=_("Per title and month"),
        headers=[_("Month"), _("Title"), _("Loans"), _("Unique readers"), _("Turnaways"), _("Holds placed"),
                 _("Waiting now"), _("Licence cost (baht)"), _("Cost per loan (baht)")],
        rows=[[r.month, r.title, r.loans, r.readers, r.turnaways, r.holds, r.waiting, r.cost, r.cost_per_loan]
              for r in rows],
        notes=[_("Turnaways: borrow attempts refused because no copy was free. Cost per loan: the price of the "
                 "title's licences divided by all the loans they gave.")],
    )
    licences = Sheet(
        title=_("Licences"),
        headers=[_("Title"), _("Licence model"), _("Vendor"), _("Starts"), _("Expires"), _("Price (baht)"),
                 _("Loans used"), _("Loans left"), _("Cost per loan (baht)"), _("Turnaways")],
        rows=[[x["licence"].title.title, x["licence"].get_kind_display(), x["licence"].vendor, x["licence"].starts_on,
               x["licence"].expires_on, x["licence"].price, x["licence"].loans_used, x["loans_left"],
               x["cost_per_loan"], x["turnaways"]] for x in renewal],
    )
    return [per_month, licences]
