"""``bkklib load_holidays [--year 2026 ...] [--file F.json]``: Thai public holidays as network closures."""
from pathlib import Path

from django.core.management.base import BaseCommand

from bkklib.network import services


class Command(BaseCommand):
    help = "Load Thai public holidays as network-wide closures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="CE year (repeatable); default: all in the file")
        parser.add_argument("--file", type=Path, help="JSON file of the same shape as the shipped fixture")

    def handle(self, *args, year=None, file=None, **options):
        added = services.load_holidays(years=year, path=file)
        self.stdout.write(self.style.SUCCESS(f"{added} holiday closures added"))
