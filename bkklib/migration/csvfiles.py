"""CSV exports as ULibM and Koha write them: UTF-8 with or without a BOM, or TIS-620 (Windows-874),
separated by commas, semicolons or tabs."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path


def decode(data: bytes) -> tuple[str, str]:
    """Return the text of an export and its encoding: UTF-8 (BOM or not), else TIS-620 (Windows-874)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp874", errors="replace"), "tis-620"


def rows(path: Path | str) -> tuple[str, list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return ``(encoding, headers, rows)``: each row as ``(line number, {header: value})``."""
    text, encoding = decode(Path(path).read_bytes())
    head = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(head.splitlines()[0] if head else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    headers = [h.strip() for h in next(reader, [])]

    def each():
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            yield reader.line_num, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(headers)}

    return encoding, headers, each()


def value(row: dict[str, str], columns: list[str], *, join: bool = False) -> str:
    """Return the first non-empty of ``columns`` in ``row`` (or all of them joined with a space)."""
    found = [row.get(c, "").strip() for c in columns if row.get(c, "").strip()]
    if join:
        return " ".join(found)
    return found[0] if found else ""
