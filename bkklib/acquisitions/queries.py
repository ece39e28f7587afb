"""The read side of acquisitions: scoped lists, to-do counts and the monthly follow-up figures."""
from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from bkklib.catalog.models import Item
from bkklib.core.calendar import fiscal_year_bounds
from bkklib.network import access
from bkklib.network.models import Branch

from .models import Donation, FiscalYear, Fund, Order, OrderCopy, Request, Vendor

PROCESSING_STATUS = Item.Status.IN_PROCESSING  # services.PROCESSING_STATUS


# --- lists --------------------------------------------------------------------------------------------

def funds(user, year: int | None = None):
    qs = Fund.objects.select_related("fiscal_year", "branch").order_by("-fiscal_year__year", "branch__name_th",
                                                                       "code")
    if year:
        qs = qs.filter(fiscal_year__year=year)
    return access.scope(qs, user, "acquisitions.view_fund")


def vendors(active_only: bool = False):
    qs = Vendor.objects.order_by("name")
    return qs.filter(is_active=True) if active_only else qs


def orders(user, *, status: str = "", year: int | None = None):
    qs = (Order.objects.select_related("vendor", "branch", "fiscal_year")
          .annotate(n_lines=Count("lines", distinct=True)).order_by("-created_at", "-pk"))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(fiscal_year__year=year)
    return access.scope(qs, user, "acquisitions.view_order")


def order_for(user, pk: int) -> Order | None:
    return orders(user).filter(pk=pk).first()


def requests(user, *, status: str = ""):
    qs = Request.objects.select_related("branch", "patron").order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return access.scope(qs, user, "acquisitions.view_request")


def requests_of(patron):
    return Request.objects.filter(patron=patron).select_related("branch").order_by("-created_at", "-pk")


def donations(user):
    return access.scope(Donation.objects.select_related("branch").annotate(added=Count("copies")),
                        user, "acquisitions.view_donation")


def years() -> list[int]:
    return list(FiscalYear.objects.order_by("-year").values_list("year", flat=True))


def open_years() -> list[int]:
    return list(FiscalYear.objects.filter(is_closed=False).order_by("-year").values_list("year", flat=True))


def late_copies(today: date):
    """Copies still on order after their order's due date."""
    return OrderCopy.objects.filter(status=OrderCopy.Status.ORDERED, line__order__expected_by__lt=today)


def waiting_to_shelve(user):
    return access.scope(OrderCopy.objects.filter(status=OrderCopy.Status.RECEIVED, item__status=PROCESSING_STATUS)
                        .select_related("item", "line__record", "branch", "line__order"),
                        user, "acquisitions.receive_order")


# --- to-dos (core/menus.py) ---------------------------------------------------------------------------

def count_new_requests(*, user, branch, today) -> int:
    """Suggestions waiting for a decision at the desk's branch."""
    return Request.objects.filter(status=Request.Status.NEW, branch=branch).count()


def count_to_approve(*, user, branch, today) -> int:
    """Selection lists of the desk's branch with titles, waiting for approval."""
    return Order.objects.filter(status=Order.Status.SELECTION, branch=branch, lines__isnull=False).distinct().count()


def count_late_orders(*, user, branch, today) -> int:
    """Orders of the desk's branch past their due date with copies still outstanding."""
    return (Order.objects.filter(status=Order.Status.ORDERED, branch=branch, expected_by__lt=today,
                                 lines__copies__status=OrderCopy.Status.ORDERED).distinct().count())


# --- the follow-up report -----------------------------------------------------------------------------

@dataclass
class FollowUpRow:
    branch: Branch | None
    requested: int = 0
    requested_month: int = 0
    ordered: int = 0
    ordered_month: int = 0
    received: int = 0
    received_month: int = 0
    on_shelf: int = 0
    cancelled: int = 0
    late: int = 0
    donated: int = 0
    budget: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def free(self) -> Decimal:
        return self.budget - self.committed - self.spent

    @property
    def used_pct(self) -> Decimal:
        return (Decimal(100) * (self.committed + self.spent) / self.budget).quantize(Decimal("0.1")) \
            if self.budget else Decimal(0)


@dataclass
class FollowUp:
    year: int
    month: date  # the first day of the month reported on
    today: date
    rows: list[FollowUpRow] = field(default_factory=list)
    total: FollowUpRow = field(default_factory=lambda: FollowUpRow(None))
    late_orders: list = field(default_factory=list)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    last = pycalendar.monthrange(month.year, month.month)[1]
    return (datetime.combine(month.replace(day=1), time.min, tz),
            datetime.combine(month.replace(day=last), time.max, tz))


def follow_up(*, year: int, month: date | None = None, today: date, branches=None) -> FollowUp:
    """The meeting's monthly view: per branch, requested / ordered / received / on shelf / cancelled copies
    (this month and the fiscal year to date), money committed and spent against budget, late deliveries."""
    first, last = fiscal_year_bounds(year)
    month = (month or today).replace(day=1)
    m_start, m_end = month_bounds(month)
    y_start = datetime.combine(first, time.min, timezone.get_current_timezone())
    y_end = datetime.combine(last, time.max, timezone.get_current_timezone())
    if branches is None:
        branches = Branch.objects.all()
    branch_list = list(branches.order_by("name_th"))
    ids = [b.pk for b in branch_list]
    rows = {b.pk: FollowUpRow(b) for b in branch_list}

    def by_branch(qs, key="branch", **aggregates):
        return {r[key]: r for r in qs.values(key).annotate(**aggregates)}

    req = by_branch(Request.objects.filter(branch__in=ids, created_at__range=(y_start, y_end)),
                    n=Count("pk"), m=Count("pk", filter=Q(created_at__range=(m_start, m_end))))
    copies = OrderCopy.objects.filter(branch__in=ids, line__order__fiscal_year__year=year)
    cop = by_branch(copies, n_ordered=Count("pk", filter=~Q(status=OrderCopy.Status.PLANNED)),
                    m_ordered=Count("pk", filter=~Q(status=OrderCopy.Status.PLANNED)
                                    & Q(line__order__ordered_on__range=(m_start.date(), m_end.date()))),
                    n_received=Count("pk", filter=Q(status=OrderCopy.Status.RECEIVED)),
                    m_received=Count("pk", filter=Q(received_at__range=(m_start, m_end))),
                    n_shelf=Count("pk", filter=Q(status=OrderCopy.Status.RECEIVED)
                                  & ~Q(item__status=PROCESSING_STATUS)),
                    n_cancelled=Count("pk", filter=Q(status=OrderCopy.Status.CANCELLED)),
                    n_late=Count("pk", filter=Q(status=OrderCopy.Status.ORDERED, line__order__expected_by__lt=today)))
    money = by_branch(Fund.objects.filter(branch__in=ids, fiscal_year__year=year),
                      budget=Sum("budget"), committed=Sum("committed"), spent=Sum("spent"))
    donated = by_branch(Donation.objects.filter(branch__in=ids, received_on__range=(first, last)),
                        n=Sum("accepted_count"))
    for pk, row in rows.items():
        r = req.get(pk, {})
        row.requested, row.requested_month = r.get("n", 0), r.get("m", 0)
        c = cop.get(pk, {})
        row.ordered, row.ordered_month = c.get("n_ordered", 0), c.get("m_ordered", 0)
        row.received, row.received_month = c.get("n_received", 0), c.get("m_received", 0)
        row.on_shelf, row.cancelled, row.late = c.get("n_shelf", 0), c.get("n_cancelled", 0), c.get("n_late", 0)
        f = money.get(pk, {})
        row.budget, row.committed, row.spent = (f.get("budget") or Decimal(0), f.get("committed") or Decimal(0),
                                                f.get("spent") or Decimal(0))
        row.donated = donated.get(pk, {}).get("n") or 0
    report = FollowUp(year=year, month=month, today=today,
                      rows=[r for r in rows.values() if any((r.requested, r.ordered, r.budget, r.donated))])
    for name in ("requested", "requested_month", "ordered", "ordered_month", "received", "received_month",
                 "on_shelf", "cancelled", "late", "donated", "budget", "committed", "spent"):
        setattr(report.total, name, sum((getattr(r, name) for r in report.rows), 0))
    late = dict(OrderCopy.objects.filter(status=OrderCopy.Status.ORDERED, branch__in=ids,
                                         line__order__fiscal_year__year=year, line__order__expected_by__lt=today)
                .values_list("line__order").annotate(n=Count("pk")).order_by())
    report.late_orders = list(Order.objects.filter(pk__in=list(late)).select_related("vendor", "branch")
                              .order_by("expected_by", "pk"))
    for order in report.late_orders:
        order.outstanding = late[order.pk]
    return report
