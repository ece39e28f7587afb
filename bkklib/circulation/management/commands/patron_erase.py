"""``bkklib patron_erase CARD``: erase a patron's personal data, also from the audit history (PDPA)."""
from django.core.management.base import BaseCommand, CommandError

from bkklib.circulation import queries, services
from bkklib.core.exceptions import DomainError


class Command(BaseCommand):
    help = ("Erase the personal data of the patron with card number CARD, also from the audit history. Refused "
            "while the patron has items on loan or owes money.")

    def add_arguments(self, parser):
        parser.add_argument("card", help="the patron's card number")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, card, yes=False, **options):
        try:
            patron = queries.patron_by_card(card)
        except DomainError as exc:
            raise CommandError(exc.text) from None
        if not yes:
            answer = input(f"Erase every personal detail of {patron}? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("not erased")
        try:
            services.erase_patron(patron)
        except DomainError as exc:
            raise CommandError(exc.text) from None
        self.stdout.write(f"patron #{patron.pk} erased; loans, payments and audit entries kept without personal data")
