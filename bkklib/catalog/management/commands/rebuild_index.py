"""``bkklib rebuild_index``: rebuild the whole search index from the catalog, with a progress bar."""
from django.core.management.base import BaseCommand
from tqdm import tqdm

from bkklib.catalog.indexing import iter_all_documents
from bkklib.catalog.models import Record
from bkklib.search import index


class Command(BaseCommand):
    help = "Rebuild the search index from every catalog record (one transaction; searches see the old index until done)."

    def handle(self, *args, **options):
        total = Record.objects.count()
        with tqdm(total=total, unit="rec", desc="index", disable=options.get("verbosity", 1) == 0) as bar:
            done = index.rebuild(iter_all_documents(), total=total, progress=bar.update)
        self.stdout.write(f"{done} record(s) indexed")
