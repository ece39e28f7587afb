"""Copy cataloguing: search another catalogue by SRU or Z39.50 and read its records as MARC-in-JSON.

SRU targets are asked with ``searchRetrieve`` (CQL, MARCXML records) over HTTP; Z39.50 targets
through YAZ's ``yaz-client`` (Debian package yaz), which saves the records it shows as ISO 2709
(``set_marcdump``); both are read by the catalog's own tolerant readers, so a TIS-620 record
from a Thai system comes in as Thai. Targets are data (``CopyTarget``).
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.utils.translation import gettext as _

from bkklib.catalog.marc import reader
from bkklib.catalog.marc.extract import extract

from .exceptions import CopySearchFailed
from .models import CopyTarget

TIMEOUT = 20
MAX_CANDIDATES = 20
CQL_INDEX = {"title": "dc.title", "author": "dc.creator", "isbn": "bath.isbn", "subject": "dc.subject",
             "any": "cql.anywhere"}
BIB1_USE = {"title": 4, "author": 1003, "isbn": 7, "subject": 21, "any": 1016}


@dataclass
class Candidate:
    marc: dict
    title: str = ""
    author: str = ""
    year: int | None = None
    isbns: list[str] = field(default_factory=list)
    publisher: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, marc: dict, notes=()) -> Candidate:
        ex = extract(marc)
        authors = [a if isinstance(a, str) else a.get("name", "") for a in ex.authors]
        return cls(marc, ex.title, "; ".join(authors), ex.year, list(ex.isbns), ex.publisher, list(notes))


def _quote(term: str) -> str:
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_sru(target: CopyTarget, index: str, terms: str) -> list[Candidate]:
    params = {"version": target.sru_version or "1.2", "operation": "searchRetrieve",
              "query": f"{CQL_INDEX[index]}={_quote(terms)}", "maximumRecords": str(MAX_CANDIDATES),
              "recordSchema": target.record_schema or "marcxml"}
    if params["version"].startswith("2"):
        params.pop("operation")
    try:
        answer = requests.get(target.address, params=params, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise CopySearchFailed(target=target.name, reason=str(exc)) from None
    if answer.status_code != 200:
        raise CopySearchFailed(target=target.name, reason=f"HTTP {answer.status_code}")
    if b"diagnostic" in answer.content and b"<" in answer.content and b"recordData" not in answer.content:
        raise CopySearchFailed(target=target.name, reason=_diagnostic_text(answer.content))
    return [Candidate.of(r.record, r.notes) for r in reader.read_marcxml(io.BytesIO(answer.content)) if r.ok]


def _diagnostic_text(content: bytes) -> str:
    import re

    found = re.search(rb"<(?:\w+:)?message>(.*?)</(?:\w+:)?message>", content, re.S)
    return found.group(1).decode("utf-8", "replace") if found else _("the catalogue answered with an error.")


def search_z3950(target: CopyTarget, index: str, terms: str) -> list[Candidate]:
    if not shutil.which("yaz-client"):
        raise CopySearchFailed(target=target.name, reason=_("yaz-client is not installed on the server."))
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "records.mrc"
        term = terms.replace('"', " ").strip()
        script = (f"open tcp:{target.address}\nformat usmarc\nset_marcdump {dump}\n"
                  f'find @attr 1={BIB1_USE[index]} "{term}"\nshow 1+{MAX_CANDIDATES}\nquit\n')
        try:
            run = subprocess.run(["yaz-client"], input=script.encode("utf-8"), capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise CopySearchFailed(target=target.name, reason=_("no answer within {seconds} seconds.").format(
                seconds=TIMEOUT)) from None
        output = run.stdout.decode("utf-8", "replace")
        if "Connection accepted" not in output and "OK" not in output:
            raise CopySearchFailed(target=target.name, reason=_("could not connect."))
        if not dump.exists():
            return []
        encoding = None if (target.encoding or "utf-8") == "utf-8" else target.encoding
        with dump.open("rb") as stream:
            return [Candidate.of(r.record, r.notes) for r in reader.read_iso2709(stream, encoding=encoding) if r.ok]


def search(target: CopyTarget, index: str, terms: str) -> list[Candidate]:
    """Return up to MAX_CANDIDATES records of ``target`` matching ``terms`` in ``index``."""
    if index not in CQL_INDEX:
        raise CopySearchFailed(target=target.name, reason=_("unknown search field {index}.").format(index=index))
    if not terms.strip():
        raise CopySearchFailed(target=target.name, reason=_("type what to look for."))
    if target.kind == CopyTarget.Kind.Z3950:
        return search_z3950(target, index, terms)
    return search_sru(target, index, terms)
