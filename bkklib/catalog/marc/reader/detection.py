"""Format detection and the one entry point that reads a file in any format (``open_records``)."""
import io
from collections.abc import Iterator

from .. import encoding as enc
from ..messages import Message as _
from .common import FILLER, FORMATS, ReadResult, UnsupportedFile, checked
from .iso2709 import read_iso2709
from .marcjson import read_json
from .marcxml import read_marcxml
from .mrk import read_mrk


def detect_format(head: bytes, name: str = "") -> str:
    """Return ``iso2709``, ``marcxml``, ``json`` or ``mrk`` from the first bytes of a file."""
    text = head.lstrip(FILLER)
    if text.startswith(b"<"):
        return "marcxml"
    if text[:1] in (b"{", b"["):
        return "json"
    if text.startswith(b"=LDR") or text.startswith(b"=00"):
        return "mrk"
    if text[:5].isdigit() or b"\x1e" in head and b"\x1f" in head:
        return "iso2709"
    raise UnsupportedFile(
        _("the file is not MARC 21 in a format bkklib reads (ISO 2709, MARCXML, MARC-in-JSON or MarcMaker .mrk)")
    )


def prepare_stream(stream, *, format: str = "auto", encoding: str = "auto", name: str = ""):
    """Return ``(stream, format, encoding)``: a peekable stream, its format (detected when ``auto``) and the
    charset forced on ISO 2709 (None: detected per record). Raise UnsupportedFile for an unknown format."""
    if format not in FORMATS:
        raise UnsupportedFile(_("unknown format “{format}”: use one of {formats}", format=format,
                                formats=", ".join(FORMATS)))
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream) if hasattr(stream, "readinto") else io.BytesIO(stream.read())
    head = stream.peek(4096)[:4096]
    if format == "auto":
        format = detect_format(head, name)
    return stream, format, None if encoding in (None, "", "auto") else enc.canonical(encoding)


def open_records(stream, *, format: str = "auto", encoding: str = "auto", name: str = "") -> Iterator[ReadResult]:
    """Yield ReadResults from a binary stream in ``format`` (detected when ``auto``).

    ``encoding`` applies to ISO 2709 (``auto`` detects it per record). Raise UnsupportedFile when the
    format is unknown or the file is UNIMARC.
    """
    stream, format, forced = prepare_stream(stream, format=format, encoding=encoding, name=name)
    if format == "iso2709":
        yield from read_iso2709(stream, encoding=forced)  # each record checked as it is read
        return
    if format == "marcxml":
        results = read_marcxml(stream)
    elif format == "json":
        results = read_json(stream)
    else:
        results = read_mrk(stream)
    for result in results:
        yield checked(result)
