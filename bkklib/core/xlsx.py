"""XLSX exports: the one way an app turns a table into a spreadsheet (docs/architecture.md,
Cross-cutting mechanisms).

A report builds ``Sheet``s (a title, column headings, rows of plain Python values) and hands them
to ``workbook_bytes`` or ``xlsx_response``. Headings are bold and frozen, columns get a width that
fits Thai text, numbers stay numbers (sums work in Excel and LibreOffice), dates are shown as Thai
Buddhist-Era text by default (``8 มิ.ย. 2565``, what a Thai office expects to read and print) or as
real date cells with ``dates="iso"``. The file carries a title and the time it was made.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .calendar import thai_date, thai_datetime

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass
class Sheet:
    """One worksheet: ``title`` (at most 31 characters are kept), ``headers`` and ``rows``.

    ``notes`` are lines written above the table (the report's period, filters, "how this is
    counted"); ``totals`` is an optional last row, written bold.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    notes: Sequence[str] = field(default_factory=tuple)
    totals: Sequence | None = None
    dates: str = "thai"  # "thai": BE text; "iso": real date cells shown as yyyy-mm-dd


def _cell_value(value, dates: str, lang: str):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        if dates == "iso":
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        return thai_datetime(value, lang=lang)
    if isinstance(value, date):
        return value if dates == "iso" else thai_date(value, lang=lang)
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _width(value) -> int:
    text = "" if value is None else str(value)
    # Thai combining marks take no width of their own.
    visible = sum(1 for ch in text if not ("\u0e31" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"))
    return min(60, max(8, visible + 2))


def workbook_bytes(sheets: Sequence[Sheet], *, title: str = "", lang: str = "th") -> bytes:
    """Return the XLSX file of ``sheets``."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title or (sheets[0].title if sheets else "")
    book.properties.creator = "bkklib"
    bold = Font(bold=True)
    used_titles: set[str] = set()
    for sheet in sheets:
        name = (str(sheet.title).translate(_BAD_SHEET_CHARS).strip() or "Sheet")[:31]
        base, n = name, 2
        while name in used_titles:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used_titles.add(name)
        ws = book.create_sheet(name)
        widths: dict[int, int] = {}
        for note in sheet.notes:
            ws.append([str(note)])
        header_row = ws.max_row + 1 if sheet.notes else 1
        ws.append([str(h) for h in sheet.headers])
        for col, header in enumerate(sheet.headers, start=1):
            cell = ws.cell(row=header_row, column=col)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[col] = _width(header)
        for row in sheet.rows:
            values = [_cell_value(v, sheet.dates, lang) for v in row]
            ws.append(values)
            for col, value in enumerate(values, start=1):
                widths[col] = max(widths.get(col, 8), _width(value))
                if isinstance(value, (date, datetime)):
                    ws.cell(row=ws.max_row, column=col).number_format = "yyyy-mm-dd"
                elif isinstance(value, str) and value.startswith("="):
                    # openpyxl would store user text starting with "=" as a formula: keep it text.
                    ws.cell(row=ws.max_row, column=col).data_type = "s"
        if sheet.totals is not None:
            ws.append([_cell_value(v, sheet.dates, lang) for v in sheet.totals])
            for col in range(1, len(sheet.totals) + 1):
                ws.cell(row=ws.max_row, column=col).font = bold
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if not sheets:
        book.create_sheet("Sheet")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet], *, title: str = "", lang: str = "th") -> HttpResponse:
    """Return an HTTP download of ``sheets`` as ``filename`` (``.xlsx`` is added when missing)."""
    if not filename.endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(workbook_bytes(sheets, title=title, lang=lang), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
