"""``bkklib patron_export CARD``: print everything held about a patron as JSON (PDPA right of access)."""
import json

from django.core.management.base import BaseCommand, CommandError

from bkklib.circulation import queries, services
from bkklib.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Print as JSON everything the library holds about the patron with card number CARD (PDPA)."

    def add_arguments(self, parser):
        parser.add_argument("card", help="the patron's card number")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, card, output=None, **options):
        try:
            patron = queries.patron_by_card(card)
        except DomainError as exc:
            raise CommandError(exc.text) from None
        data = services.export_patron_data(patron)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            self.stderr.write(f"written to {output}")
        else:
            self.stdout.write(text)
