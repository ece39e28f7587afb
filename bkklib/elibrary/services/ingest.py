"""Adding e-books: read the file's metadata, store it by SHA-256, link or create its catalog record.

One title per call, in one transaction; when anything fails the stored file is removed again, so
there is never a file without its title row nor a title row without its file.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Record, RecordIdentifier
from bkklib.core import history

from .. import ebookfile, storage
from ..exceptions import BadFile, DuplicateFile
from ..models import Title, TitleSubject

EXTENSIONS = {".epub": "epub", ".pdf": "pdf", **dict.fromkeys(ebookfile.AUDIO_TYPES, "audio")}
MARC_LANGUAGES = {"th": "tha", "en": "eng", "zh": "chi", "ja": "jpn", "ko": "kor", "fr": "fre", "de": "ger",
                  "lo": "lao", "my": "bur", "km": "khm", "vi": "vie", "ms": "may"}


def max_bytes() -> int:
    return settings.ELIBRARY["MAX_UPLOAD_BYTES"]


def _size_of(source) -> int:
    if isinstance(source, str | Path):
        return os.stat(source).st_size
    if getattr(source, "size", None) is not None:
        return source.size
    position = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def check_size(size: int, filename: str) -> None:
    if size > max_bytes():
        raise BadFile(name=filename, reason=_("the file is {size}, larger than the limit of {limit}.").format(
            size=filesizeformat(size), limit=filesizeformat(max_bytes())))
    if size == 0:
        raise BadFile(name=filename, reason=_("the file is empty."))


def marc_for(meta: ebookfile.Metadata, *, url: str) -> dict:
    """Return MARC-in-JSON for a title with no print record: an electronic resource with an 856 link."""
    audio = meta.format in ("audio", "stream")
    leader = "00000n" + ("i" if audio else "m") + "m a2200000 i 4500"
    lang = MARC_LANGUAGES.get(meta.language.split("-")[0].lower(), "und") if meta.language else "und"
    year = f"{meta.year:04d}" if meta.year else "    "
    f008 = ("000000s" + year + "    th " + " " * 5 + "o" + " " * 11 + lang + " d")[:40].ljust(40)
    fields: list[dict] = [{"008": f008}]
    if meta.isbn:
        fields.append({"020": {"ind1": " ", "ind2": " ", "subfields": [{"a": meta.isbn}]}})
    if meta.authors:
        fields.append({"100": {"ind1": "0", "ind2": " ", "subfields": [{"a": meta.authors[0]}]}})
    fields.append({"245": {"ind1": "1" if meta.authors else "0", "ind2": "0",
                           "subfields": [{"a": meta.title}, {"h": "[electronic resource]"}]}})
    imprint = [{"b": meta.publisher}] if meta.publisher else []
    if meta.year:
        imprint.append({"c": str(meta.year)})
    if imprint:
        fields.append({"264": {"ind1": " ", "ind2": "1", "subfields": imprint}})
    if meta.description:
        fields.append({"520": {"ind1": " ", "ind2": " ", "subfields": [{"a": meta.description[:2000]}]}})
    for subject in meta.subjects[:20]:
        fields.append({"650": {"ind1": " ", "ind2": "4", "subfields": [{"a": subject}]}})
    for author in meta.authors[1:10]:
        fields.append({"700": {"ind1": "0", "ind2": " ", "subfields": [{"a": author}]}})
    fields.append({"856": {"ind1": "4", "ind2": "0", "subfields": [{"u": url}, {"y": "อ่านออนไลน์ (e-Library)"}]}})
    return {"leader": leader, "fields": fields}


def _record_for(meta: ebookfile.Metadata, *, sha256: str, user) -> Record:
    if meta.isbn:
        found = Record.objects.filter(identifiers__kind=RecordIdentifier.Kind.ISBN,
                                      identifiers__value=meta.isbn).order_by("pk").first()
        if found is not None:
            return found
    url = f"{settings.BKKLIB['SITE_URL']}/elibrary/file/{sha256}/"
    return catalog_services.save_record(marc_for(meta, url=url), user=user, reason=_("e-book added"))


def read_metadata(path: Path, *, filename: str, kind: str, title: str = "", authors=(), language: str = "") \
        -> ebookfile.Metadata:
    if kind == "epub":
        meta = ebookfile.read_epub(str(path), filename)
    elif kind == "pdf":
        meta = ebookfile.read_pdf(str(path), filename, title=title)
    else:
        if not title.strip():
            raise BadFile(name=filename, reason=_("an audiobook file needs a title typed in."))
        meta = ebookfile.Metadata(title=title.strip(), format="audio",
                                  media_type=ebookfile.AUDIO_TYPES[Path(filename).suffix.lower()])
    if title.strip():
        meta.title = title.strip()[:500]
    if authors:
        meta.authors = [a for a in authors if a]
    if language:
        meta.language = language
    return meta


def ingest(source, *, filename: str, user=None, now: datetime | None = None, title: str = "", authors=(),
           language: str = "", is_demo: bool = False) -> Title:
    """Add the e-book ``source`` (a path or an uploaded file) named ``filename``; return its new Title.

    Raise BadFile (too large, damaged, wrong kind, no title) or DuplicateFile; nothing is stored then.
    """
    now = now or timezone.now()
    filename = Path(filename).name or "file"
    kind = EXTENSIONS.get(Path(filename).suffix.lower())
    if kind is None:
        raise BadFile(name=filename, reason=_("only EPUB, PDF and audiobook files (MP3, M4A, M4B, OGG) can be added."))
    check_size(_size_of(source), filename)
    temp, sha256, size = storage.spool(source)
    stored, cover, created = "", "", False
    try:
        check_size(size, filename)
        meta = read_metadata(temp, filename=filename, kind=kind, title=title, authors=authors, language=language)
        if (existing := Title.objects.filter(sha256=sha256).first()) is not None:
            raise DuplicateFile(name=filename, title=existing.title)
        stored, created = storage.keep(temp, sha256, Path(filename).suffix.lower())
        if meta.cover:
            cover = storage.keep_bytes(meta.cover, f"{sha256}.{meta.cover_type.split('/')[-1][:5]}")
        with transaction.atomic():
            record = _record_for(meta, sha256=sha256, user=user)
            row = Title(record=record, title=meta.title[:500], authors=meta.authors[:20], language=meta.language,
                        identifier=meta.identifier[:200], isbn=meta.isbn, subjects=meta.subjects[:20],
                        description=meta.description, publisher=meta.publisher, year=meta.year, format=meta.format,
                        file_path=stored, sha256=sha256, size=size, media_type=meta.media_type, cover_path=cover,
                        cover_type=meta.cover_type if cover else "", created_at=now, is_demo=is_demo,
                        added_by=user if getattr(user, "is_authenticated", False) else None)
            history.audit(row, user, _("e-book added"))
            row.save()
            TitleSubject.objects.bulk_create([TitleSubject(title=row, name=name[:200])
                                              for name in dict.fromkeys(meta.subjects[:20])])
        return row
    except IntegrityError:
        _undo(temp, stored if created else "", cover)
        raise DuplicateFile(name=filename, title=title or filename)
    except BaseException:
        _undo(temp, stored if created else "", cover)
        raise


def _undo(temp: Path, stored: str, cover: str) -> None:
    temp.unlink(missing_ok=True)
    storage.remove(stored)
    storage.remove(cover)


def add_stream(*, title: str, stream_url: str, authors=(), language: str = "th", description: str = "", user=None,
               now: datetime | None = None, is_demo: bool = False) -> Title:
    """Add a streamed audiobook (a link, no file) with its record."""
    now = now or timezone.now()
    meta = ebookfile.Metadata(title=title.strip(), authors=list(authors), language=language, description=description,
                              format="stream", media_type="audio/mpeg")
    if not meta.title:
        raise BadFile(name=stream_url, reason=_("an audiobook needs a title."))
    with transaction.atomic():
        record = catalog_services.save_record(marc_for(meta, url=stream_url), user=user, reason=_("audiobook added"))
        row = Title(record=record, title=meta.title[:500], authors=meta.authors, language=language,
                    description=description, format=Title.Format.STREAM, stream_url=stream_url,
                    media_type="audio/mpeg", created_at=now, is_demo=is_demo)
        history.audit(row, user, _("audiobook added"))
        row.save()
    return row
