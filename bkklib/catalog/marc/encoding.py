"""Character sets of MARC records: detection, MARC-8 (via pymarc), TIS-620 and LC's NCR escapes.

Real files lie about their encoding: leader/09 blank on UTF-8 records, leader/09 'a' on
TIS-620 bytes from Thai systems. So the bytes decide, in this order: an ESC (0x1B) means MARC-8;
valid UTF-8 means UTF-8; otherwise Thai TIS-620/windows-874 or Cyrillic windows-1251 when the
text has their shape, else MARC-8 (what a blank leader/09 means).
"""
import codecs
import re
import threading

from pymarc import marc8 as _pymarc_marc8
from pymarc.marc8 import MARC8ToUnicode
from pymarc.marc8_mapping import CODESETS

from .messages import Message as _

UTF8 = "utf-8"
# UTF-8 with a few bytes that are not (a damaged record): read as UTF-8, those bytes become U+FFFD.
UTF8_DAMAGED = "utf-8-damaged"
MARC8 = "marc-8"
TIS620 = "tis-620"
CP1251 = "windows-1251"
ASCII = "ascii"

# Names people type for the same charsets -> bkklib's canonical name.
ALIASES = {
    "utf8": UTF8, "utf-8": UTF8, "unicode": UTF8,
    "marc8": MARC8, "marc-8": MARC8, "ansel": MARC8,
    "tis-620": TIS620, "tis620": TIS620, "windows-874": TIS620, "cp874": TIS620, "iso-8859-11": TIS620,
    "thai": TIS620,
}
LABELS = {UTF8: "UTF-8", UTF8_DAMAGED: _("UTF-8 with damaged bytes"), MARC8: "MARC-8", TIS620: "TIS-620 (windows-874)",
          CP1251: "windows-1251", ASCII: "ASCII"}

# LC's lossless MARC-8 convention for characters outside MARC-8: &#xHHHH%x; (e.g. Thai in MARC-8 records).
NCR = re.compile(r"&#x([0-9A-Fa-f]{1,6})%x;")

THAI_CONSONANT = re.compile(r"[\u0e01-\u0e2e]")
# Marks that must follow a consonant (or another mark): above/below vowels and tone marks.
THAI_FOLLOWING = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
THAI_LEADING = set("\u0e40\u0e41\u0e42\u0e43\u0e44")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_THAI_IN_LATIN_WORD = re.compile(r"[A-Za-z]([\u0e01-\u0e5b]+)(?=[A-Za-z])")


class EncodingError(ValueError):
    """Bytes that cannot be text in the record's character set."""


def canonical(name: str) -> str:
    """Return bkklib's name of an encoding given by a user (``utf8``, ``cp874``, ``latin-1``...).

    Raise LookupError for a name Python and MARC-8 do not know.
    """
    key = (name or "").strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    return codecs.lookup(key).name  # raises LookupError for unknown names


def decode_ncr(text: str) -> str:
    """Return ``text`` with LC numeric character references (``&#x0E25%x;``) replaced by the characters."""
    if "&#x" not in text:
        return text

    def char(match):
        code = int(match.group(1), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return NCR.sub(char, text)


def _thai_shape(text: str) -> float:
    """Return the share of high characters of ``text`` that are well-formed Thai (0..1)."""
    high = [c for c in text if ord(c) >= 0x80]
    if not high:
        return 0.0
    thai = 0
    bad = 0
    previous = " "
    for index, c in enumerate(text):
        if "\u0e01" <= c <= "\u0e5b":
            thai += 1
            if c in THAI_FOLLOWING and not ("\u0e01" <= previous <= "\u0e4e"):
                bad += 1
            if c in THAI_LEADING:
                following = text[index + 1:index + 2]
                if not THAI_CONSONANT.match(following):
                    bad += 1
        previous = c
    # A Thai run inside a Latin word ("franc๘ฟฟฟนise") is damaged bytes of another charset.
    bad += sum(len(m.group(1)) for m in _THAI_IN_LATIN_WORD.finditer(text))
    return max(0.0, (thai - 3 * bad) / len(high))


def _cyrillic_share(text: str) -> float:
    high = [c for c in text if ord(c) >= 0x80]
    return sum(1 for c in high if "\u0400" <= c <= "\u04ff") / len(high) if high else 0.0


# ANSEL (MARC-8's Latin set without escapes): spacing characters, and combining marks before their letter.
_ANSEL_SPACING = frozenset(range(0xA1, 0xC9)) - {0xAF, 0xBB, 0xBE, 0xBF, 0xC7}
_ANSEL_COMBINING = frozenset(range(0xE0, 0xFF)) - {0xFC, 0xFD, 0xFF}


def _ansel_shape(data: bytes) -> bool:
    """Return whether every high byte of ``data`` can be MARC-8's Latin (ANSEL): a spacing character, or a
    combining mark followed by a letter, digit or another mark."""
    for index, byte in enumerate(data):
        if byte < 0x80 or byte in _ANSEL_SPACING:
            continue
        if byte not in _ANSEL_COMBINING:
            return False
        following = data[index + 1:index + 2]
        if not (following.isalnum() or following and following[0] in _ANSEL_COMBINING):
            return False
    return True


def detect(data: bytes, declared: str = "") -> str:
    """Return the most likely encoding of a record's data bytes (see the module docstring); ``declared`` is
    leader/09 ("a": UTF-8).

    A UTF-8 record with a few bad bytes (a copy error, a cut multi-byte character) is still UTF-8
    (UTF8_DAMAGED): its other characters must not be read as MARC-8 or TIS-620.
    """
    if b"\x1b" in data:
        return MARC8
    if data.isascii():
        return ASCII
    try:
        data.decode("utf-8")
        return UTF8
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    whole = sum(1 for c in text if ord(c) >= 0x80) - damaged
    if whole >= 2 and whole >= 4 * damaged:
        return UTF8_DAMAGED
    runs = _HIGH_RUN.findall(data)
    mean_run = sum(map(len, runs)) / len(runs)
    if mean_run >= 1.5:  # words of letters, not single diacritics before ASCII letters (ANSEL)
        thai = data.decode("cp874", errors="replace")
        if "\ufffd" not in thai and _thai_shape(thai) >= 0.9:
            return TIS620
        if _cyrillic_share(data.decode("cp1251", errors="replace")) >= 0.9:
            return CP1251
    if declared == "a" and not _ansel_shape(data):
        return UTF8_DAMAGED  # the leader says UTF-8 and the bytes are no other charset's
    return MARC8


_VALID_FINALS = {chr(code) for code in CODESETS} | {"B", "E", "1", "2", "3", "4", "N", "Q", "S", "b", "g", "p", "s"}
_ESCAPE = re.compile(rb"\x1b(?:[gbps]|[(,)\-]!?[\x20-\x7e]|\$[,)\-]?[\x20-\x7e])")


def check_marc8_escapes(data: bytes) -> None:
    """Raise EncodingError when ``data`` holds an ESC that is not a MARC-8 escape sequence."""
    position = data.find(b"\x1b")
    while position != -1:
        match = _ESCAPE.match(data, position)
        if not match or match.group(0)[-1:].decode("latin-1") not in _VALID_FINALS:
            shown = data[position:position + 4].decode("latin-1").encode("unicode_escape").decode("ascii")
            raise EncodingError(_("invalid MARC-8 escape sequence {sequence} at byte {position}", sequence=shown,
                                  position=position))
        position = data.find(b"\x1b", match.end())


class _Marc8Complaints:
    """What pymarc's MARC-8 decoder says of bytes no character set maps (it reads each as a blank): counted
    per thread, so that the import can say which field lost text (a record's report line) instead of
    printing to the importing process's standard error.

    pymarc writes those complaints with ``sys.stderr.write`` from its ``marc8`` module: that module's
    ``sys`` is this object (only its ``stderr`` is used there).
    """

    def __init__(self):
        self._local = threading.local()
        self.stderr = self

    def write(self, text: str) -> int:
        if "character 0x20 " not in text:  # a space (no set maps it but ASCII's): read as a space, rightly
            self._local.count = getattr(self._local, "count", 0) + 1
        return len(text)

    def flush(self) -> None:
        pass

    def take(self) -> int:
        """Return the complaints of this thread since the last call, and forget them."""
        count = getattr(self._local, "count", 0)
        self._local.count = 0
        return count


_MARC8_COMPLAINTS = _Marc8Complaints()
_pymarc_marc8.sys = _MARC8_COMPLAINTS


class FieldDecoder:
    """Decode the byte strings of one field in one encoding (MARC-8 state persists across subfields)."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self._marc8 = MARC8ToUnicode(quiet=False) if encoding == MARC8 else None
        self._codec = None if encoding == MARC8 else ("utf-8" if encoding in (UTF8, UTF8_DAMAGED, ASCII) else
                                                       ("cp874" if encoding == TIS620 else encoding))
        self._errors = "replace" if encoding == UTF8_DAMAGED else "strict"
        self.replaced = 0  # damaged bytes replaced by U+FFFD (UTF8_DAMAGED), or MARC-8 ones read as blanks

    @property
    def codec(self) -> str | None:
        """The Python codec of a stateless charset (None for MARC-8, whose state spans subfields)."""
        return self._codec

    def __call__(self, data: bytes) -> str:
        """Return ``data`` as text; raise EncodingError when it is not valid in the encoding."""
        if self._marc8 is not None:
            if b"\x1b" in data:
                check_marc8_escapes(data)
            # ASCII bytes read as ASCII only while G0 is still Basic Latin (an earlier subfield may have switched it).
            if self._marc8.g0 == 0x42 and data.isascii() and b"\x1b" not in data:
                text = data.decode("ascii")
            else:
                _MARC8_COMPLAINTS.take()
                text = self._marc8.translate(data)
                self.replaced += _MARC8_COMPLAINTS.take()
        else:
            try:
                text = data.decode(self._codec, errors=self._errors)
                if self._errors == "replace" and "\ufffd" in text:
                    self.replaced += text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
            except UnicodeDecodeError as exc:
                bad = data[exc.start:exc.start + 1].hex().upper()
                raise EncodingError(_("byte 0x{byte} at {position} is not valid {charset}", byte=bad, position=exc.start,
                                      charset=LABELS.get(self.encoding, self.encoding)))
        return decode_ncr(text)
