"""The monthly e-mail of subscribed reports: each subscriber gets a short Thai message with the report's
figures of the month just ended and the PDF attached; a subscription is marked sent for that month, so a
second run the same month sends nothing twice."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import document, queries, rules, standard
from .models import Subscription

log = logging.getLogger(__name__)


def report_for(subscription: Subscription, month: date) -> document.Report | None:
    if subscription.report == Subscription.Report.MONTHLY:
        return standard.monthly(subscription.branch, month) if subscription.branch_id else None
    fy = rules.current_fiscal_year(month)
    return standard.fiscal_year_summary(queries.Filter(fy, 1, rules.fiscal_month_index(month)))


def send_monthly(today: date | None = None) -> int:
    today = today or timezone.localdate()
    month = rules.month_start(rules.month_start(today) - timedelta(days=1))
    sent = 0
    for subscription in queries.subscriptions_due(month):
        address = subscription.user.email
        if not address:
            continue
        with translation.override("th"):
            report = report_for(subscription, month)
            if report is None:
                continue
            lines = [report.subtitle, ""]
            for table in report.tables[:1]:
                for row in table.shown_rows:
                    lines.append(" · ".join(row[:2]))
            body = "\n".join([*lines, "", _("The full report is attached as a PDF.")])
            message = EmailMessage(subject=report.title, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                                   to=[address])
            message.attach(f"{report.filename}.pdf", document.pdf_bytes(report), "application/pdf")
        try:
            message.send()
        except OSError:
            log.exception("monthly report to %s failed", address)
            continue
        Subscription.objects.filter(pk=subscription.pk).update(last_sent_month=month)
        sent += 1
    return sent
