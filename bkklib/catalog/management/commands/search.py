"""``bkklib search "query"``: search the catalog from the command line (hits and facet counts)."""
import json

from django.core.management.base import BaseCommand, CommandError

from bkklib.catalog.models import Record
from bkklib.search import index
from bkklib.search.documents import FACETS


class Command(BaseCommand):
    help = "Search the catalog: print record id, title, authors, year and score for each hit."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--limit", type=int, default=20, help="hits to print (at most 500)")
        parser.add_argument("--facets", action="store_true", help="also print facet counts")
        parser.add_argument("--sort", choices=("relevance", "newest", "title"), default="relevance")

    def handle(self, *args, query, json: bool, limit, facets, sort, **options):
        if not 1 <= limit <= 500:
            raise CommandError("--limit must be between 1 and 500")
        result = index.search(query, facets=FACETS if facets else (), sort=sort, page_size=limit)
        records = Record.objects.in_bulk([h.id for h in result.hits])
        hits = []
        for hit in result.hits:
            record = records.get(hit.id)
            if record is None:
                continue
            hits.append({"id": hit.id, "title": record.title, "authors": record.authors, "year": record.year,
                         "score": round(hit.score, 4)})
        if json:
            out = {"query": query, "total": result.total, "hits": hits}
            if facets:
                out["facets"] = {name: [[value, count] for value, count in values]
                                 for name, values in result.facets.items()}
            if result.suggestions:
                out["suggestions"] = result.suggestions
            if result.query_error:
                out["query_error"] = result.query_error
            self.stdout.write(_json_dumps(out))
            return
        if result.query_error:
            raise CommandError(result.query_error)
        self.stdout.write(f"{result.total} record(s) found for {query!r}")
        for hit in hits:
            authors = "; ".join(hit["authors"][:3])
            self.stdout.write(f"{hit['id']:>8}  {hit['score']:>8.3f}  {hit['year'] or '':>4}  {hit['title']}"
                              + (f" — {authors}" if authors else ""))
        if result.suggestions:
            self.stdout.write("did you mean: " + ", ".join(result.suggestions))
        if facets:
            for name, values in result.facets.items():
                shown = ", ".join(f"{value} ({count})" for value, count in values[:15])
                self.stdout.write(f"{name}: {shown}")


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
