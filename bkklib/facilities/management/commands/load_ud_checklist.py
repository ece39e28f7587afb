"""bkklib load_ud_checklist [--file PATH --checklist-version NAME]: store a UD checklist version and the species list."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bkklib.facilities import checklist
from bkklib.facilities.models import Checklist, ChecklistItem, Species


class Command(BaseCommand):
    help = "Load the Universal Design checklist (fixtures/ud_audit_checklist.json) and the tree species list."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=checklist.CHECKLIST_FILE,
                            help="a checklist JSON in the same format (default: the shipped one)")
        parser.add_argument("--checklist-version", dest="checklist_version", default=checklist.CHECKLIST_VERSION,
                            help="the version name; a changed file needs a new one")

    def handle(self, *args, **options):
        try:
            loaded = checklist.load_checklist(Checklist, ChecklistItem, path=options["file"],
                                              version=options["checklist_version"])
        except (ValueError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from None
        added = checklist.load_species(Species)
        self.stdout.write(f"checklist {loaded.version}: {loaded.items.count()} items; species added: {added}")
