"""Tables of the reports app: the stored daily and monthly aggregates of every indicator, the log of
aggregation runs, and the people subscribed to the monthly report e-mails.

The aggregates hold figures only (counts, hours, baht per branch and day or month): no person is in
them, so the dashboard, the standard reports and the open data read them without touching any other
app's tables (core/indicators.py). ``dims`` is the canonical text of the extra dimensions of a figure
(``age_group=child|gender=female``; empty when there are none) so one unique constraint covers it.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bkklib.core.models import TimeStampedModel


def dims_key(dims) -> str:
    """Return the canonical text of ``dims`` (pairs or a mapping): ``a=1|b=2`` sorted by name."""
    pairs = dims.items() if hasattr(dims, "items") else dims
    return "|".join(f"{k}={v}" for k, v in sorted((str(k), str(v)) for k, v in pairs))


def parse_dims(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split("|") if part)


class DailyFigure(models.Model):
    """One indicator's value at one branch (or none: the e-library) on one Bangkok day, per dimensions."""

    indicator = models.CharField(_("indicator"), max_length=80)
    day = models.DateField(_("day"))
    branch = models.ForeignKey("network.Branch", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"))
    dims = models.CharField(_("dimensions"), max_length=200, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "day", "branch", "dims"], condition=Q(branch__isnull=False),
                                    name="reports_daily_one_per_branch",
                                    violation_error_message=_("This figure is already stored for the day.")),
            models.UniqueConstraint(fields=["indicator", "day", "dims"], condition=Q(branch__isnull=True),
                                    name="reports_daily_one_networkwide",
                                    violation_error_message=_("This figure is already stored for the day.")),
        ]
        indexes = [models.Index(fields=["indicator", "day"], name="reports_daily_ind_day")]

    def __str__(self):
        return f"{self.indicator} {self.day} {self.branch_id or '-'} {self.dims}: {self.value}"


class MonthlyFigure(models.Model):
    """An indicator's value over a calendar month at one branch, per dimensions, with its fiscal year.

    Built from the daily figures: the sum of the days for a flow, the last counted day for a stock.
    """

    indicator = models.CharField(_("indicator"), max_length=80)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    branch = models.ForeignKey("network.Branch", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"))
    dims = models.CharField(_("dimensions"), max_length=200, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month", "branch", "dims"], condition=Q(branch__isnull=False),
                                    name="reports_monthly_one_per_branch",
                                    violation_error_message=_("This figure is already stored for the month.")),
            models.UniqueConstraint(fields=["indicator", "month", "dims"], condition=Q(branch__isnull=True),
                                    name="reports_monthly_one_networkwide",
                                    violation_error_message=_("This figure is already stored for the month.")),
            models.CheckConstraint(condition=Q(month__day=1), name="reports_monthly_first_day",
                                   violation_error_message=_("A month is stored as its first day.")),
        ]
        indexes = [models.Index(fields=["fiscal_year", "indicator"], name="reports_monthly_fy_ind")]
        permissions = [
            ("view_dashboard", _("Can see the executive dashboard of the whole network")),
            ("view_reports", _("Can see the standard reports of their branches")),
            ("rebuild_figures", _("Can rebuild the stored figures of a past period")),
        ]

    def __str__(self):
        return f"{self.indicator} {self.month:%Y-%m} {self.branch_id or '-'} {self.dims}: {self.value}"


class AggregationRun(TimeStampedModel):
    """One pass of the aggregation over a period: nightly (yesterday) or a rebuild asked for by staff."""

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("nightly")
        REBUILD = "rebuild", _("rebuild on demand")

    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("figures stored"), default=0)
    seconds = models.FloatField(_("seconds taken"), default=0)
    errors = models.JSONField(_("indicators that failed"), default=list, blank=True)

    class Meta:
        verbose_name = _("aggregation run")
        verbose_name_plural = _("aggregation runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(first_day__lte=models.F("last_day")), name="reports_run_period",
                                   violation_error_message=_("The first day must not be after the last day.")),
        ]

    def __str__(self):
        return f"{self.get_trigger_display()} {self.first_day}–{self.last_day}"


class Subscription(TimeStampedModel):
    """A staff member who receives a standard report by e-mail each month (for one branch or the network)."""

    class Report(models.TextChoices):
        MONTHLY = "monthly", _("Monthly branch statistics")
        FISCAL_YEAR = "fiscal_year", _("Fiscal-year summary")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions",
                             verbose_name=_("staff member"))
    report = models.CharField(_("report"), max_length=20, choices=Report.choices)
    branch = models.ForeignKey("network.Branch", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("branch"), help_text=_("Empty: the whole network."))
    active = models.BooleanField(_("active"), default=True)
    last_sent_month = models.DateField(_("last sent for month"), null=True, blank=True)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "report", "branch"], condition=Q(branch__isnull=False),
                                    name="reports_sub_once_branch",
                                    violation_error_message=_("You are already subscribed to this report.")),
            models.UniqueConstraint(fields=["user", "report"], condition=Q(branch__isnull=True),
                                    name="reports_sub_once_network",
                                    violation_error_message=_("You are already subscribed to this report.")),
        ]

    def __str__(self):
        return f"{self.user} {self.report} {self.branch_id or '-'}"
