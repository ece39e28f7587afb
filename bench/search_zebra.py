"""Zebra (Koha's classic search engine) beside bkklib: its configuration, indexing and a ZOOM client.

Used by bench/search_vs_zebra.py. Nothing is installed here: the Debian packages ``idzebra-2.0``
and ``yaz`` must be there (scripts/system-deps.sh). Zebra reads the same ISO 2709 files bkklib
imports, through its DOM filter (MARC in, MARCXML out), with an index stylesheet like Koha's
(title, author, subject, ISBN and "any" word indexes, a title phrase index) and ICU chains whose
tokenizer is ICU's Thai word break (locale ``th``): Koha's ICU set-up with Thai as its locale.
Searches are relevance-ranked (``rank-1``, ``@attr 2=102``) and fetch their first 20 records as
MARCXML over Z39.50, with YAZ's ZOOM C API called through ctypes (no Python binding to install).
"""
from __future__ import annotations

import ctypes
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

MODULE_PATH = "/usr/lib/x86_64-linux-gnu/idzebra-2.0/modules"
PROFILE_PATH = "/usr/share/idzebra-2.0/tab"

ZEBRA_CFG = """\
profilePath: {dir}:{profile}
modulePath: {modules}
attset: bib1.att
attset: explain.att
recordType: dom.{dir}/dom.xml
register: {dir}/register:20G
lockDir: {dir}/lock
setTmpDir: {dir}/tmp
keyTmpDir: {dir}/tmp
storeData: 1
storeKeys: 0
rank: rank-1
memMax: 512M
encoding: UTF-8
"""

DOM_XML = """\
<dom xmlns="http://indexdata.com/zebra-2.0">
  <input syntax="iso2709">
    <marc inputcharset="utf-8"/>
  </input>
  <extract name="index">
    <xslt stylesheet="{dir}/index.xsl"/>
  </extract>
  <retrieve name="F"/>
</dom>
"""

# Koha-like index definitions (its biblio-koha-indexdefs): word indexes per field and "any", a
# complete-field title phrase index, ISBN as a key.
INDEX_XSL = """\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim" xmlns:z="http://indexdata.com/zebra-2.0">
  <xsl:output indent="no" method="xml" encoding="UTF-8"/>
  <xsl:template match="text()"/>
  <xsl:template match="/m:record">
    <z:record>
      <xsl:for-each select="m:datafield[@tag='245']">
        <z:index name="Title:w Title:p Any:w"><xsl:for-each select="m:subfield[@code='a' or @code='b']">
          <xsl:value-of select="."/><xsl:text> </xsl:text></xsl:for-each></z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='100' or @tag='700']/m:subfield[@code='a']">
        <z:index name="Author:w Author:p Any:w"><xsl:value-of select="."/></z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='650']/m:subfield[@code='a' or @code='x']">
        <z:index name="Subject-heading:w Any:w"><xsl:value-of select="."/></z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='a']">
        <z:index name="ISBN:0"><xsl:value-of select="translate(., '- ', '')"/></z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='264' or @tag='490' or @tag='500' or @tag='099']/m:subfield">
        <z:index name="Any:w"><xsl:value-of select="."/></z:index>
      </xsl:for-each>
    </z:record>
  </xsl:template>
</xsl:stylesheet>
"""

# Index types (Zebra's icu.idx with Thai chains): w words (ICU Thai word break), p whole field.
DEFAULT_IDX = """\
index w
completeness 0
position 1
alwaysmatches 1
firstinfield 1
icuchain words-icu.xml

index p
completeness 1
icuchain phrases-icu.xml

index 0
completeness 0
position 1
charmap @

sort s
completeness 1
charmap string.chr
"""

WORDS_ICU = """\
<icu_chain locale="th">
  <transform rule="[:Control:] Any-Remove"/>
  <tokenize rule="w"/>
  <transform rule="[[:WhiteSpace:][:Punctuation:]] Remove"/>
  <display/>
  <casemap rule="l"/>
</icu_chain>
"""

PHRASES_ICU = """\
<icu_chain locale="th">
  <transform rule="[:Control:] Any-Remove"/>
  <transform rule="[:Punctuation:] Remove"/>
  <casemap rule="l"/>
</icu_chain>
"""

FIELDS = {"title": 4, "ti": 4, "author": 1003, "au": 1003, "subject": 21, "su": 21, "isbn": 7, "issn": 7}


def missing_tools() -> list[str]:
    """Return what of Zebra and YAZ is not installed (empty when the bench can run)."""
    out = [tool for tool in ("zebraidx", "zebrasrv") if shutil.which(tool) is None]
    try:
        ctypes.CDLL("libyaz.so.5")
    except OSError:
        out.append("libyaz.so.5")
    return out


def write_config(directory: Path) -> Path:
    """Write the Zebra configuration into ``directory``; return the zebra.cfg path."""
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("register", "lock", "tmp"):
        (directory / sub).mkdir(exist_ok=True)
    values = {"dir": directory, "profile": PROFILE_PATH, "modules": MODULE_PATH}
    (directory / "dom.xml").write_text(DOM_XML.format(**values), "utf-8")
    (directory / "index.xsl").write_text(INDEX_XSL, "utf-8")
    (directory / "default.idx").write_text(DEFAULT_IDX, "utf-8")
    (directory / "words-icu.xml").write_text(WORDS_ICU, "utf-8")
    (directory / "phrases-icu.xml").write_text(PHRASES_ICU, "utf-8")
    cfg = directory / "zebra.cfg"
    cfg.write_text(ZEBRA_CFG.format(**values), "utf-8")
    return cfg


def index_files(directory: Path, files: list[Path], expected: int) -> dict:
    """Index ``files`` (ISO 2709) into a fresh Zebra register in ``directory``; return the figures.

    A register already holding ``expected`` records (marker file) is reused."""
    marker = directory / "indexed.txt"
    if marker.exists() and marker.read_text().strip() == str(expected):
        return {"reused": True, "records": expected}
    if directory.exists():
        shutil.rmtree(directory)
    cfg = write_config(directory)
    base = ["zebraidx", "-c", str(cfg), "-l", str(directory / "zebraidx.log")]
    subprocess.run([*base, "init"], check=True)
    started = time.perf_counter()
    subprocess.run([*base, "-t", "dom." + str(directory / "dom.xml"), "update", *map(str, files)], check=True)
    seconds = time.perf_counter() - started
    counts = re.findall(r"Records: +\d+ i/u/d (\d+)/", (directory / "zebraidx.log").read_text("utf-8", "replace"))
    inserted = int(counts[-1]) if counts else 0  # the last line is the total
    if inserted != expected:
        raise SystemExit(f"Zebra indexed {inserted} records of {expected}: see {directory / 'zebraidx.log'}")
    marker.write_text(str(expected))
    size = sum(p.stat().st_size for p in (directory / "register").iterdir())
    return {"reused": False, "records": expected, "index_seconds": round(seconds, 1),
            "index_rate_per_s": round(expected / seconds), "register_bytes": size}


def start_server(directory: Path, port: int) -> subprocess.Popen:
    """Start zebrasrv on 127.0.0.1:``port`` (threaded) and wait until it listens."""
    proc = subprocess.Popen(["zebrasrv", "-T", "-c", str(directory / "zebra.cfg"), "-l", str(directory / "zebrasrv.log"),
                             f"tcp:127.0.0.1:{port}"])
    wait_for_port(port, proc)
    return proc


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


def _term(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TOKENS = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')


def to_pqf(q: str) -> str:
    """Return the PQF of a bench query, the way Koha's Zebra search asks: relevance ranked
    (``@attr 2=102``); plain words as a word list over every field OR'ed with the whole query as the
    complete title phrase (Koha's weighted title boost); field prefixes, phrases, OR and NOT as such."""
    rank = "@attr 2=102 "
    clauses: list[tuple[str, str]] = []  # (operator before it: AND/OR/NOT, pqf)
    plain: list[str] = []
    pending = "AND"
    for m in _TOKENS.finditer(q):
        neg, field, phrase, word = m.groups()
        if word in ("OR", "AND", "NOT") and not neg and not field:
            pending = word
            continue
        op = "NOT" if neg else pending
        pending = "AND"
        attr = FIELDS.get((field or "").lower())
        if attr == 7:
            digits = re.sub(r"[^0-9Xx]", "", phrase or word or "")
            clauses.append((op, f"@attr 1=7 @attr 4=3 {_term(digits)}"))
        elif phrase is not None:
            clauses.append((op, f"{rank}@attr 1={attr or 1016} @attr 4=1 {_term(phrase)}"))
        elif attr:
            clauses.append((op, f"{rank}@attr 1={attr} @attr 4=6 {_term(word)}"))
        elif op == "AND" and not neg:
            plain.append(word)
        else:
            clauses.append((op, f"{rank}@attr 1=1016 @attr 4=6 {_term(word)}"))
    if plain:
        words = " ".join(plain)
        node = f"{rank}@attr 1=1016 @attr 4=6 {_term(words)}"
        if not clauses:
            node = f"@or {rank}@attr 1=4 @attr 4=1 @attr 6=3 {_term(words)} {node}"
        clauses.insert(0, ("AND", node))
    if not clauses:  # an empty query browses everything, as bkklib's list does
        return '@attr 1=_ALLRECORDS @attr 2=103 ""'
    operators = {"AND": "@and", "OR": "@or", "NOT": "@not"}
    pqf = ""
    for op, node in clauses:
        pqf = f"{operators[op]} {pqf} {node}" if pqf else node
    return pqf


class Zoom:
    """A Z39.50 connection through YAZ's ZOOM C API: search and fetch the first records as XML."""

    def __init__(self, port: int, fetch: int = 20):
        yaz = self.yaz = ctypes.CDLL("libyaz.so.5")
        vp, cp = ctypes.c_void_p, ctypes.c_char_p
        for name, res, args in (
            ("ZOOM_connection_create", vp, [vp]), ("ZOOM_connection_option_set", None, [vp, cp, cp]),
            ("ZOOM_connection_connect", None, [vp, cp, ctypes.c_int]),
            ("ZOOM_connection_error", ctypes.c_int, [vp, ctypes.POINTER(cp), ctypes.POINTER(cp)]),
            ("ZOOM_connection_search_pqf", vp, [vp, cp]), ("ZOOM_resultset_size", ctypes.c_size_t, [vp]),
            ("ZOOM_resultset_record", vp, [vp, ctypes.c_size_t]),
            ("ZOOM_record_get", cp, [vp, cp, ctypes.POINTER(ctypes.c_int)]), ("ZOOM_resultset_destroy", None, [vp]),
            ("ZOOM_connection_destroy", None, [vp]),
        ):
            fn = getattr(yaz, name)
            fn.restype, fn.argtypes = res, args
        self.fetch = fetch
        self.conn = yaz.ZOOM_connection_create(None)
        for key, value in (("preferredRecordSyntax", "xml"), ("elementSetName", "F"), ("count", str(fetch)),
                           ("presentChunk", str(fetch)), ("databaseName", "Default")):
            yaz.ZOOM_connection_option_set(self.conn, key.encode(), value.encode())
        yaz.ZOOM_connection_connect(self.conn, b"127.0.0.1", port)
        self._check()

    def _check(self) -> None:
        msg, info = ctypes.c_char_p(), ctypes.c_char_p()
        if self.yaz.ZOOM_connection_error(self.conn, ctypes.byref(msg), ctypes.byref(info)):
            raise RuntimeError(f"ZOOM: {msg.value!r} {info.value!r}")

    def search(self, pqf: str) -> tuple[int, int]:
        """Run ``pqf``; fetch the first records (MARCXML). Return (hits, bytes of the records fetched)."""
        yaz = self.yaz
        rs = yaz.ZOOM_connection_search_pqf(self.conn, pqf.encode())
        try:
            self._check()
            size = yaz.ZOOM_resultset_size(rs)
            length = ctypes.c_int()
            fetched = 0
            for i in range(min(size, self.fetch)):
                rec = yaz.ZOOM_resultset_record(rs, i)
                if rec:
                    yaz.ZOOM_record_get(rec, b"xml", ctypes.byref(length))
                    fetched += length.value
            self._check()
            return size, fetched
        finally:
            yaz.ZOOM_resultset_destroy(rs)

    def close(self) -> None:
        self.yaz.ZOOM_connection_destroy(self.conn)
