"""The standard reports, each built as a ``document.Report``: monthly branch statistics, circulation by
patron category and item type, the fiscal-year summary (all from the stored aggregates), and the live lists
that need the owning app's rows: top titles, overdue loans, the collection by class and age (through the
circulation and catalogue models, read only) and the branch fact sheet (core/branchfacts.py)."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from bkklib.catalog.models import Item, ItemType
from bkklib.circulation import queries as circulation_queries
from bkklib.circulation.models import Loan, PatronCategory
from bkklib.core.branchfacts import sections
from bkklib.core.calendar import fiscal_year, thai_date
from bkklib.core.indicators import RATIO
from bkklib.network.models import Branch

from . import queries, rules
from .document import Report, Table

MAIN = ("circulation.loans", "circulation.returns", "circulation.new_members", "circulation.active_members",
        "catalog.items_added", "events.participants", "spaces.bookings", "elibrary.eloans")


def month_label(month: date) -> str:
    return thai_date(month, long=True).split(" ", 1)[1]


def _per_branch_indicators():
    return [i for i in queries.indicators().values() if i.key != "circulation.loans_by_kind"]


def monthly(branch: Branch, month: date) -> Report:
    """One branch's month: each indicator this month, the same month a year before and the fiscal year to date."""
    month = rules.month_start(month)
    fy = fiscal_year(month)
    index = rules.fiscal_month_index(month)
    this = queries.cube(queries.Filter(fy, index, index, branch_id=branch.pk))
    before = queries.cube(queries.Filter(fy - 1, index, index, branch_id=branch.pk))
    to_date = queries.cube(queries.Filter(fy, 1, index, branch_id=branch.pk))
    rows = []
    for ind in _per_branch_indicators():
        now_v, then_v = this.value(ind.key), before.value(ind.key)
        if ind.kind == RATIO:
            now_v = _pct(now_v)
            then_v = _pct(then_v)
        rows.append([str(ind.name), now_v, then_v, _pct(to_date.value(ind.key)) if ind.kind == RATIO
                     else to_date.value(ind.key), str(ind.unit)])
    return Report(
        key="monthly", title=_("Monthly statistics: {branch}").format(branch=branch.name_th),
        subtitle=_("{month} · fiscal year {fy}").format(month=month_label(month), fy=fy),
        tables=[Table(_("Figures of the month"), [_("Indicator"), _("This month"), _("Same month last year"),
                                                 _("Fiscal year to date"), pgettext("indicator", "Unit")], rows)],
        notes=[_("Figures as stored by the nightly aggregation; see each indicator's definition.")],
        filename=f"monthly-{branch.code}-{month:%Y-%m}")


def _pct(value):
    return None if value is None else (value * 100).quantize(rules.Decimal("0.1"))


def circulation(flt: queries.Filter, branch: Branch | None) -> Report:
    """Loans of a fiscal year (a range of its months) by patron category and by item type."""
    key = "circulation.loans_by_kind"
    by_category = queries.by_dimension(key, flt, "patron_category")
    by_type = queries.by_dimension(key, flt, "item_type")
    categories = dict(PatronCategory.objects.values_list("code", "name_th"))
    types = dict(ItemType.objects.values_list("code", "name_th"))
    where = branch.name_th if branch else _("the whole network")
    return Report(
        key="circulation", title=_("Circulation by patron category and item type"),
        subtitle=_("{where} · fiscal year {fy}, {first} – {last}").format(
            where=where, fy=flt.fiscal_year, first=month_label(flt.months[0]), last=month_label(flt.months[-1])),
        tables=[
            Table(_("By patron category"), [_("Patron category"), _("Loans")],
                  [[categories.get(c, c or _("unknown")), v] for c, v in by_category.items()],
                  totals=[_("Total"), rules.total(by_category.values())], empty_text=_("No loans.")),
            Table(_("By item type"), [_("Item type"), _("Loans")],
                  [[types.get(t, t or _("unknown")), v] for t, v in by_type.items()],
                  totals=[_("Total"), rules.total(by_type.values())], empty_text=_("No loans.")),
        ],
        filename=f"circulation-{branch.code if branch else 'network'}-fy{flt.fiscal_year}")


def fiscal_year_summary(flt: queries.Filter) -> Report:
    """The network's fiscal year for the annual report: every indicator against the year before, and by month."""
    cube = queries.cube(flt)
    before = queries.cube(flt.previous())
    rows = []
    for ind in queries.indicators().values():
        now_v, then_v = cube.value(ind.key), before.value(ind.key)
        if ind.kind == RATIO:
            rows.append([str(ind.name), _pct(now_v), _pct(then_v), None, "%"])
        else:
            rows.append([str(ind.name), now_v, then_v, rules.change(now_v, then_v), str(ind.unit)])
    main = [k for k in MAIN if k in cube.catalogue][:5]
    by_month = {k: cube.value(k, by="month") for k in main}
    month_rows = [[month_label(m)] + [by_month[k].get(m, 0) for k in main] for m in flt.months]
    return Report(
        key="fiscal_year", title=_("Fiscal year {fy} summary").format(fy=flt.fiscal_year),
        subtitle=_("The network of Bangkok's public libraries, {first} – {last}").format(
            first=month_label(flt.months[0]), last=month_label(flt.months[-1])),
        tables=[Table(_("Indicators"), [_("Indicator"), _("This fiscal year"), _("Previous fiscal year"),
                                        _("Change (%)"), pgettext("indicator", "Unit")], rows),
                Table(_("By month"), [_("Month"), *[str(cube.catalogue[k].name) for k in main]], month_rows)],
        filename=f"fiscal-year-{flt.fiscal_year}")


def top_titles(branch: Branch | None, first: date, last: date, limit: int = 20) -> Report:
    """The titles lent most often between ``first`` and ``last`` (Bangkok days), at a branch or everywhere."""
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(first, time.min), tz)
    hi = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    loans = Loan.objects.filter(checked_out_at__gte=lo, checked_out_at__lt=hi)
    if branch is not None:
        loans = loans.filter(branch=branch)
    rows = (loans.values("item__record_id", "item__record__title").annotate(n=Count("pk"))
            .order_by("-n", "item__record__title")[:limit])
    where = branch.name_th if branch else _("the whole network")
    return Report(
        key="top_titles", title=_("Top titles"),
        subtitle=_("{where} · {first} – {last}").format(where=where, first=thai_date(first), last=thai_date(last)),
        tables=[Table(_("Most borrowed"), [_("Rank"), _("Title"), _("Loans")],
                      [[n, r["item__record__title"] or "–", r["n"]] for n, r in enumerate(rows, 1)],
                      numeric_from=2, empty_text=_("No loans."))],
        filename=f"top-titles-{branch.code if branch else 'network'}-{first:%Y%m%d}")


def overdue(branch: Branch, today: date) -> Report:
    """The branch's open loans past their due date, oldest first, with the borrower's card number."""
    loans = list(circulation_queries.overdue_loans(today=today, branch=branch)[:500])
    rows = [[loan.item.barcode, loan.item.record.title, loan.patron.card_number if loan.patron_id else "–",
             loan.due_on, (today - loan.due_on).days] for loan in loans]
    return Report(
        key="overdue", title=_("Overdue loans: {branch}").format(branch=branch.name_th),
        subtitle=_("As of {day}").format(day=thai_date(today)),
        facts=[(_("Overdue loans"), len(rows))],
        tables=[Table(_("Overdue loans"), [_("Barcode"), _("Title"), _("Card"), _("Due"), _("Days late")], rows,
                      numeric_from=4, empty_text=_("Nothing is overdue."))],
        filename=f"overdue-{branch.code}-{today:%Y%m%d}", people=[loan.patron for loan in loans if loan.patron_id])


def class_of(call_number: str) -> str:
    """The Dewey hundred of a call number ("895.913 ก123" → "800"), "อื่น ๆ" for anything else."""
    head = call_number.strip()[:3]
    return f"{head[0]}00" if len(head) == 3 and head.isdigit() else _("other")


def age_band(acquired_on: date | None, today: date) -> str:
    if acquired_on is None:
        return _("unknown")
    years = (today - acquired_on).days / 365.25
    return _("under 5 years") if years < 5 else _("5–9 years") if years < 10 else _("10 years or more")


def collection(branch: Branch, today: date) -> Report:
    """The branch's copies (withdrawn and lost ones left out) by Dewey class and by age since acquisition."""
    gone = (Item.Status.WITHDRAWN, Item.Status.LOST)
    by_class, by_age = Counter(), Counter()
    rows = (Item.objects.filter(branch=branch).exclude(status__in=gone)
            .values_list("call_number", "record__call_number", "acquired_on"))
    for own, record_call, acquired in rows.iterator(chunk_size=5000):
        by_class[class_of(own or record_call or "")] += 1
        by_age[age_band(acquired, today)] += 1
    return Report(
        key="collection", title=_("Collection by class and age: {branch}").format(branch=branch.name_th),
        subtitle=_("As of {day}").format(day=thai_date(today)),
        facts=[(_("Copies"), sum(by_class.values()))],
        tables=[Table(_("By class"), [_("Class"), _("Copies")], sorted(by_class.items()),
                      totals=[_("Total"), sum(by_class.values())]),
                Table(_("By age since acquisition"), [_("Age"), _("Copies")], sorted(by_age.items()),
                      totals=[_("Total"), sum(by_age.values())])],
        filename=f"collection-{branch.code}-{today:%Y%m%d}")


def factsheet(branch: Branch, today: date) -> Report:
    """The branch fact sheet for a field visit: every app's section about the branch (core/branchfacts.py)."""
    tables = []
    for section in sections(branch, today=today):
        if section.facts:
            tables.append(Table(section.title, [_("Fact"), _("Value")],
                                [[f.label, f"{f.value} {f.note}".strip()] for f in section.facts], numeric_from=9))
        if section.columns:
            tables.append(Table(section.title if not section.facts else "", list(section.columns),
                                [list(r) for r in section.rows], numeric_from=9))
        if not section.facts and not section.columns:
            tables.append(Table(section.title, [_("Fact")], [], empty_text=section.empty_text or "–"))
    return Report(key="factsheet", title=_("Fact sheet: {branch}").format(branch=branch.name_th),
                  subtitle=_("Prepared on {day}").format(day=thai_date(today)), tables=tables,
                  filename=f"factsheet-{branch.code}-{today:%Y%m%d}")


REPORTS = {
    "monthly": gettext_lazy("Monthly branch statistics"),
    "circulation": gettext_lazy("Circulation by patron category and item type"),
    "top-titles": gettext_lazy("Top titles"),
    "overdue": gettext_lazy("Overdue list"),
    "collection": gettext_lazy("Collection by class and age"),
    "factsheet": gettext_lazy("Branch fact sheet"),
    "fiscal-year": gettext_lazy("Fiscal-year summary"),
}
