"""``bkklib import_marc FILE...``: import MARC records with a progress bar and a per-record report."""
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from bkklib.catalog.importer import POLICIES, import_marc
from bkklib.catalog.marc.messages import translated
from bkklib.catalog.marc.reader import FORMATS, detect_format
from bkklib.network.models import Branch

_XML_RECORD_END = re.compile(rb"</(?:[\w.-]+:)?record>")


def estimate_records(path: Path, format: str) -> int | None:
    """Return the number of records in ``path`` counted cheaply, or None when it cannot be known."""
    with open(path, "rb") as stream:
        head = stream.read(4096)
        kind = format if format != "auto" else _safe_format(head)
        stream.seek(0)
        count = 0
        for block in iter(lambda: stream.read(1 << 22), b""):
            if kind == "iso2709":
                count += block.count(b"\x1d")
            elif kind == "marcxml":
                count += len(_XML_RECORD_END.findall(block))
            elif kind == "json":
                count += block.count(b'"leader"')
            else:
                return None
    return count


def _safe_format(head: bytes) -> str:
    try:
        return detect_format(head)
    except ValueError:
        return "unknown"


class Command(BaseCommand):
    help = "Import MARC 21 records (ISO 2709, MARCXML, MARC-in-JSON, MarcMaker) into the catalog."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument("--encoding", default="auto",
                            help="auto (detect per record), utf-8, marc-8, tis-620 (windows-874), or any codec name")
        parser.add_argument("--branch", help="branch code for items of holdings fields (852/952)")
        parser.add_argument("--on-duplicate", choices=POLICIES, default="skip",
                            help="what to do with a record that matches one in the catalog (003+001, 035, ISBN)")
        parser.add_argument("--report", type=Path, help="also write the report to this file")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--quiet-report", action="store_true", help="print only the summary, not each record line")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="language of the report (default: Thai)")

    def execute(self, *args, **options):
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def handle(self, *args, files, format, encoding, branch, on_duplicate, report, batch_size, quiet_report, language,
               **options):
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        target = None
        if branch:
            target = Branch.objects.filter(code=branch).first()
            if target is None:
                raise CommandError(f"no branch has the code {branch!r}")
        estimates = [estimate_records(f, format) for f in files]
        total = sum(estimates) if all(e is not None for e in estimates) else None
        bar = tqdm(total=total, unit="rec", desc="import", disable=options.get("verbosity", 1) == 0)
        seen = {"n": 0}

        def progress(read, _bytes):
            bar.update(read - seen["n"])
            seen["n"] = read

        result = import_marc(files, format=format, encoding=encoding, branch=target, on_duplicate=on_duplicate,
                             batch_size=batch_size, progress=progress)
        bar.close()
        text = result.text()
        if report:
            report.write_text(text, encoding="utf-8")
        self.stdout.write(result.text(details=False) if quiet_report else text)
        if result.file_errors and not result.read:
            raise CommandError("; ".join(translated(e) for e in result.file_errors))
