"""``bkklib circulation_notices``: send today's notices now (the huey task does it daily at 07:00)."""
from datetime import date

from django.core.management.base import BaseCommand

from bkklib.circulation import notices


class Command(BaseCommand):
    help = "Send the pre-due, overdue, hold-expiring and card-expiring notices of a day (today by default)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, day=None, **options):
        counts = notices.send_daily_notices(day)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
