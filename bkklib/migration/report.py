"""The report of a migration (or of its dry run): counts per kind and a line for every refusal and repair.

Every record, item, patron and loan of the exports is accounted for: created, merged (already in
bkklib: updated or left as it was), skipped (not bibliographic, or a copy of one already taken)
or refused with its number in the file, the field and the reason. The report is printed as text
and written as JSON or XLSX (``core.xlsx``) for the library to check before the real run.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from bkklib.catalog.marc.messages import translated
from bkklib.core.xlsx import Sheet, workbook_bytes

KINDS = {"record": gettext_lazy("records"), "item": gettext_lazy("items"), "patron": gettext_lazy("patrons"),
         "loan": gettext_lazy("loans")}
# The kind at the head of a report line, one of them.
KIND_OF_LINE = {"record": pgettext_lazy("migration line", "record"), "item": pgettext_lazy("migration line", "item"),
                "patron": pgettext_lazy("migration line", "patron"), "loan": pgettext_lazy("migration line", "loan")}
OUTCOMES = {"created": pgettext_lazy("migration", "created"), "merged": pgettext_lazy("migration", "merged"),
            "skipped": pgettext_lazy("migration", "skipped"), "refused": pgettext_lazy("migration", "refused"),
            "repaired": pgettext_lazy("migration", "repaired")}
COUNTED = ("created", "merged", "skipped", "refused")


@dataclass
class Line:
    """One refusal, skip or repair: what (kind), where (file, number, field), and why."""

    kind: str
    outcome: str
    number: int  # the record's position in the MARC file, or the CSV line
    identifier: str  # 001, barcode or card number
    field: str
    reason: str
    file: str = ""

    def text(self) -> str:
        ident = f" {self.identifier}" if self.identifier else ""
        where = f" [{self.field}]" if self.field else ""
        source = f" {self.file}" if self.file else ""
        return (f"{KIND_OF_LINE[self.kind]}{source} #{self.number}{ident}: {OUTCOMES[self.outcome]}{where}: "
                f"{translated(self.reason)}")


@dataclass
class MigrationReport:
    source: str
    dry_run: bool = False
    files: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {k: dict.fromkeys(COUNTED, 0) for k in KINDS})
    lines: list[Line] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))  # records/rows in the files
    seconds: float = 0.0
    marc_seconds: float = 0.0

    def ordered_lines(self) -> list[Line]:
        """The lines by kind (records, items, patrons, loans), then file and number in the file."""
        order = {kind: i for i, kind in enumerate(KINDS)}
        files = {name: i for i, name in enumerate(self.files)}
        return sorted(self.lines, key=lambda ln: (order[ln.kind], files.get(ln.file, -1), ln.number))

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[kind][outcome] += number

    def add(self, kind: str, outcome: str, number: int, identifier: str, field: str, reason, *, file: str = "",
            counted: bool = True) -> None:
        """Add a line; a refusal or skip also counts (unless ``counted`` is False: counted elsewhere)."""
        self.lines.append(Line(kind, outcome, number, identifier or "", field or "", reason, file))
        if counted and outcome in COUNTED:
            self.count(kind, outcome)

    @property
    def rate(self) -> float:
        """MARC records migrated per second."""
        return self.read["record"] / self.marc_seconds if self.marc_seconds else 0.0

    def accounted(self, kind: str) -> int:
        return sum(self.counts[kind][outcome] for outcome in COUNTED)

    def summary(self) -> list[str]:
        out = []
        for kind, label in KINDS.items():
            c = self.counts[kind]
            if not self.read[kind] and not any(c.values()):
                continue
            out.append(gettext("{kind}: in the files {read}, created {created}, merged {merged}, skipped {skipped}, "
                               "refused {refused}").format(kind=label, read=self.read[kind], **c))
        return out

    def text(self, *, details: bool = True) -> str:
        """The report as plain text in the active language."""
        title = gettext("bkklib migration from {source}").format(source=self.source)
        if self.dry_run:
            title += " — " + gettext("DRY RUN: nothing was stored")
        out = [title, gettext("files: {files}").format(files=", ".join(self.files))]
        if details:
            out += [line.text() for line in self.ordered_lines()]
        out += self.summary()
        if self.read["record"]:
            out.append(gettext("MARC: {seconds} s, {rate} records/s").format(
                seconds=f"{self.marc_seconds:.1f}", rate=f"{self.rate:,.0f}"))
        return "\n".join(out) + "\n"

    def as_dict(self) -> dict:
        lines = []
        for line in self.ordered_lines():
            item = asdict(line)
            item["reason"] = translated(line.reason)
            item["reason_en"] = str(line.reason)
            lines.append(item)
        return {"source": self.source, "dry_run": self.dry_run, "files": self.files, "read": self.read,
                "counts": self.counts, "lines": lines, "seconds": round(self.seconds, 3),
                "records_per_second": round(self.rate, 1)}

    def json_bytes(self) -> bytes:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        summary = Sheet(
            gettext("Summary"),
            [gettext("kind"), gettext("in the files"), *(str(OUTCOMES[o]) for o in COUNTED)],
            [[str(KINDS[k]), self.read[k], *(self.counts[k][o] for o in COUNTED)] for k in KINDS],
            notes=[self.text(details=False).splitlines()[0]],
        )
        lines = Sheet(
            gettext("Details"),
            [gettext("kind"), gettext("file"), gettext("number"), gettext("identifier"), gettext("outcome"),
             gettext("field"), gettext("reason")],
            [[str(KIND_OF_LINE[ln.kind]), ln.file, ln.number, ln.identifier, str(OUTCOMES[ln.outcome]), ln.field,
              translated(ln.reason)] for ln in self.ordered_lines()],
        )
        return workbook_bytes([summary, lines], title=gettext("bkklib migration report"))
