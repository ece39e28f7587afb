"""Reading an e-book file: EPUB package documents and PDF metadata, checked before anything is stored.

Each reader returns ``Metadata`` or raises ``BadFile`` with a Thai reason: not a ZIP, no container,
no package document, no title, a PDF renamed .epub...
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from bkklib.catalog.marc.extract import normalise_isbn

from .exceptions import BadFile

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
EPUB_TYPE = "application/epub+zip"
PDF_TYPE = "application/pdf"
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".m4b": "audio/mp4", ".ogg": "audio/ogg"}
MAX_XML = 5 * 1024 * 1024  # a package document larger than this is not an e-book's


@dataclass
class Metadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    language: str = ""
    identifiers: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    description: str = ""
    publisher: str = ""
    year: int | None = None
    cover: bytes = b""
    cover_type: str = ""
    format: str = "epub"
    media_type: str = EPUB_TYPE
    version: str = ""

    @property
    def isbn(self) -> str:
        for value in self.identifiers:
            if (isbn := normalise_isbn(value.replace("urn:isbn:", ""))) is not None:
                return isbn
        return ""

    @property
    def identifier(self) -> str:
        return self.identifiers[0] if self.identifiers else ""


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _parse_xml(archive: zipfile.ZipFile, name: str, filename: str):
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise BadFile(name=filename, reason=_("the file {part} named in the EPUB is missing.").format(part=name))
    if info.file_size > MAX_XML:
        raise BadFile(name=filename, reason=_("its package document is too large."))
    try:
        # ElementTree does not fetch external entities; a billion-laughs document is refused by size above.
        return ElementTree.fromstring(archive.read(name))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        raise BadFile(name=filename, reason=_("the part {part} is damaged (not well-formed XML).").format(part=name))


def _year(value: str) -> int | None:
    digits = value[:4]
    if len(digits) == 4 and digits.isdigit():
        year = int(digits)
        year = year - 543 if year > 2400 else year
        return year if 1400 <= year <= 2100 else None
    return None


def read_epub(path, filename: str) -> Metadata:
    """Return the metadata of the EPUB at ``path`` (a file path or file object) or raise BadFile."""
    try:
        with open(path, "rb") if isinstance(path, str) else _nullcontext(path) as handle:
            head = handle.read(5)
            handle.seek(0)
            if head.startswith(b"%PDF"):
                raise BadFile(name=filename, reason=_("it is a PDF file with an .epub name. Add it as a PDF."))
            if not head.startswith(b"PK"):
                raise BadFile(name=filename, reason=_("it is not an EPUB file (an EPUB is a ZIP archive)."))
            with zipfile.ZipFile(handle) as archive:
                return _read_archive(archive, filename)
    except zipfile.BadZipFile:
        raise BadFile(name=filename, reason=_("the file is damaged: it cannot be opened as an EPUB (ZIP) archive."))


class _nullcontext:
    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self.handle

    def __exit__(self, *exc):
        return False


def _read_archive(archive: zipfile.ZipFile, filename: str) -> Metadata:
    names = set(archive.namelist())
    if archive.testzip() is not None:
        raise BadFile(name=filename, reason=_("the file is damaged: some of its parts cannot be read."))
    if "mimetype" in names and archive.read("mimetype").strip() != EPUB_TYPE.encode():
        raise BadFile(name=filename, reason=_("its mimetype part does not say application/epub+zip."))
    if "META-INF/container.xml" not in names:
        raise BadFile(name=filename, reason=_("it has no META-INF/container.xml, so it is not an EPUB."))
    container = _parse_xml(archive, "META-INF/container.xml", filename)
    rootfile = container.find(".//c:rootfile", NS)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path:
        raise BadFile(name=filename, reason=_("its container does not name a package document."))
    package = _parse_xml(archive, opf_path, filename)
    meta = package.find("opf:metadata", NS)
    if meta is None:
        raise BadFile(name=filename, reason=_("its package document has no metadata."))
    data = Metadata(version=package.get("version", ""))
    data.title = next((t for t in (_text(n) for n in meta.findall("dc:title", NS)) if t), "")
    if not data.title:
        raise BadFile(name=filename, reason=_("it has no title in its package document (dc:title)."))
    data.authors = [t for t in (_text(n) for n in meta.findall("dc:creator", NS)) if t]
    data.language = next((t for t in (_text(n) for n in meta.findall("dc:language", NS)) if t), "")[:16]
    data.identifiers = [t for t in (_text(n) for n in meta.findall("dc:identifier", NS)) if t]
    data.subjects = [t for t in (_text(n) for n in meta.findall("dc:subject", NS)) if t]
    data.description = _text(meta.find("dc:description", NS))
    data.publisher = _text(meta.find("dc:publisher", NS))[:300]
    data.year = _year(_text(meta.find("dc:date", NS)))
    data.cover, data.cover_type = _cover(archive, package, opf_path, names)
    return data


def _cover(archive, package, opf_path: str, names: set[str]) -> tuple[bytes, str]:
    manifest = package.find("opf:manifest", NS)
    if manifest is None:
        return b"", ""
    items = manifest.findall("opf:item", NS)
    chosen = next((i for i in items if "cover-image" in (i.get("properties") or "").split()), None)
    if chosen is None:  # EPUB 2: <meta name="cover" content="item-id">
        meta = package.find("opf:metadata/opf:meta[@name='cover']", NS)
        if meta is not None:
            chosen = next((i for i in items if i.get("id") == meta.get("content")), None)
    if chosen is None or not (chosen.get("media-type") or "").startswith("image/"):
        return b"", ""
    href = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), chosen.get("href", "")))
    if href not in names or archive.getinfo(href).file_size > 5 * 1024 * 1024:
        return b"", ""
    return archive.read(href), chosen.get("media-type")


def read_pdf(path, filename: str, *, title: str = "") -> Metadata:
    """Return the metadata of the PDF at ``path`` (title from the form, else the document information)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    with open(path, "rb") if isinstance(path, str) else _nullcontext(path) as handle:
        if not handle.read(5).startswith(b"%PDF"):
            raise BadFile(name=filename, reason=_("it is not a PDF file."))
        handle.seek(0)
        try:
            reader = PdfReader(handle)
            info = reader.metadata or {}
            pages = len(reader.pages)
        except (PyPdfError, ValueError, KeyError, OSError):
            raise BadFile(name=filename, reason=_("the PDF is damaged and cannot be read."))
    data = Metadata(format="pdf", media_type=PDF_TYPE)
    data.title = (title or str(info.get("/Title") or "")).strip()[:500]
    if not data.title:
        raise BadFile(name=filename, reason=_("it has no title: the PDF has none, so type one in."))
    if author := str(info.get("/Author") or "").strip():
        data.authors = [author]
    data.subjects = [s.strip() for s in str(info.get("/Keywords") or "").replace(";", ",").split(",") if s.strip()]
    data.description = str(info.get("/Subject") or "").strip()
    data.year = _year(str(info.get("/CreationDate") or "").removeprefix("D:"))
    data.version = str(pages)
    return data
