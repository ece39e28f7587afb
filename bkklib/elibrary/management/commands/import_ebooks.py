"""``bkklib import_ebooks DIR|ZIP``: add every EPUB, PDF and audiobook file found, with a progress bar and
a report of each file (added, or why not). Each file is its own transaction: one bad file stops nothing."""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bkklib.core.exceptions import DomainError

from ...services import ingest


class Command(BaseCommand):
    help = "Add e-books (EPUB, PDF, MP3/M4A/M4B/OGG) from a folder or a ZIP of files; prints one line per file."

    def add_arguments(self, parser):
        parser.add_argument("source", help="a folder (searched recursively) or a .zip of e-book files")
        parser.add_argument("--report", help="also write the per-file report to this CSV file")

    def handle(self, *args, source, report=None, **options):
        path = Path(source)
        if not path.exists():
            raise CommandError(f"{source}: no such file or folder")
        with tempfile.TemporaryDirectory() as scratch:
            if path.is_file() and path.suffix.lower() == ".zip" and not _is_epub(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.infolist():
                        target = Path(scratch, Path(member.filename).name)
                        if member.is_dir() or Path(member.filename).suffix.lower() not in ingest.EXTENSIONS:
                            continue
                        with archive.open(member) as src, open(target, "wb") as out:
                            while chunk := src.read(1 << 20):
                                out.write(chunk)
                files = sorted(Path(scratch).iterdir())
            elif path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ingest.EXTENSIONS)
            else:
                files = [path]
            lines, added = [], 0
            for file in tqdm(files, desc="e-books", unit="file", disable=not files, file=self.stderr):
                try:
                    title = ingest.ingest(str(file), filename=file.name)
                    lines.append((file.name, "added", f"{title.pk}: {title.title}"))
                    added += 1
                except DomainError as error:
                    lines.append((file.name, "refused", error.text))
        for name, outcome, detail in lines:
            self.stdout.write(f"{outcome:8} {name}: {detail}")
        self.stdout.write(f"{added} of {len(lines)} files added")
        if report:
            import csv

            with open(report, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows([("file", "outcome", "detail"), *lines])


def _is_epub(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "META-INF/container.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
