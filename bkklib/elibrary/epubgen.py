"""Build real EPUB 3 files (demo data, tests, benchmarks): mimetype first and stored, container, OPF, nav, XHTML.

The product never reads these at run time; they are how the demo and the tests get e-books that
any reader (epub.js, Thorium, EPUBCheck) opens.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class Book:
    title: str
    authors: list[str] = field(default_factory=list)
    language: str = "th"
    identifier: str = "urn:uuid:00000000-0000-4000-8000-000000000000"
    subjects: list[str] = field(default_factory=list)
    description: str = ""
    publisher: str = ""
    date: str = "2025-01-01"
    chapters: list[tuple[str, list[str]]] = field(default_factory=list)


def _opf(book: Book) -> str:
    meta = [f'<dc:identifier id="uid">{escape(book.identifier)}</dc:identifier>']
    if book.title:
        meta.append(f"<dc:title>{escape(book.title)}</dc:title>")
    meta += [f"<dc:creator>{escape(a)}</dc:creator>" for a in book.authors]
    meta.append(f"<dc:language>{escape(book.language)}</dc:language>")
    meta += [f"<dc:subject>{escape(s)}</dc:subject>" for s in book.subjects]
    if book.description:
        meta.append(f"<dc:description>{escape(book.description)}</dc:description>")
    if book.publisher:
        meta.append(f"<dc:publisher>{escape(book.publisher)}</dc:publisher>")
    meta.append(f"<dc:date>{escape(book.date)}</dc:date>")
    meta.append('<meta property="dcterms:modified">2025-01-01T00:00:00Z</meta>')
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>']
    items += [f'<item id="c{n}" href="c{n}.xhtml" media-type="application/xhtml+xml"/>'
              for n in range(1, len(book.chapters) + 1)]
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, len(book.chapters) + 1))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
            f'xml:lang="{escape(book.language)}"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            + "".join(meta) + "</metadata><manifest>" + "".join(items) + f"</manifest><spine>{spine}</spine></package>")


def _xhtml(language: str, title: str, body: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{language}" '
            f'xml:lang="{language}"><head><meta charset="utf-8"/><title>{escape(title)}</title></head>'
            f'<body>{body}</body></html>')


CONTAINER = ('<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')


def build(book: Book) -> bytes:
    """Return the bytes of an EPUB 3 file of ``book``."""
    chapters = book.chapters or [(book.title or "1", ["…"])]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        book.chapters = chapters
        archive.writestr("OEBPS/content.opf", _opf(book), compress_type=zipfile.ZIP_DEFLATED)
        toc = "".join(f'<li><a href="c{n}.xhtml">{escape(h)}</a></li>' for n, (h, _p) in enumerate(chapters, 1))
        archive.writestr("OEBPS/nav.xhtml", _xhtml(book.language, book.title or "toc",
                                                   f'<nav epub:type="toc" id="toc"><h1>สารบัญ</h1><ol>{toc}</ol></nav>'),
                         compress_type=zipfile.ZIP_DEFLATED)
        for n, (heading, paragraphs) in enumerate(chapters, 1):
            body = f"<h1>{escape(heading)}</h1>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            archive.writestr(f"OEBPS/c{n}.xhtml", _xhtml(book.language, heading, body),
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
