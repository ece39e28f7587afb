"""The one PDF path of bkklib: Thai text shaped by HarfBuzz, broken into lines at Thai word boundaries.

Every printed thing (spine and barcode labels, library cards, and later certificates, purchase orders,
reports, posters, receipts) draws its text through this module, on a reportlab canvas:

* ``draw_text(c, x, y, text, size=…, width=…)`` — one line at a baseline, left/centre/right aligned,
  shrunk or cut with "…" (at a character-cluster boundary) when it does not fit ``width``;
* ``draw_paragraph(c, x, top, text, width=…, size=…)`` — a paragraph broken into lines at Thai word
  boundaries (ICU), with a line height that leaves room for stacked marks (ปั้น ญี่ปุ่น);
* ``Document`` — A4 pages with margins that paragraphs flow over, page after page.

Why shaping: Thai puts vowel and tone marks above and below the consonant, and a font such as Sarabun
moves them with OpenType rules (GSUB/GPOS: a tone mark above an upper vowel is raised, over a tall
consonant it moves left). reportlab draws one glyph per character at its default place unless the text
is shaped first; then ่ falls inside ี and ้ onto ั. reportlab (4.x) shapes with HarfBuzz (uharfbuzz)
when asked, and positions each glyph from the shaper's offsets; this module always asks.

Sarabun (SIL Open Font License, see ``static/bkklib/fonts/OFL.txt``) is shipped once, with the core
app's static files, so the web pages and the PDFs show the same letters on every machine.
"""
import io
import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import icu
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, shapeStr
from reportlab.pdfgen import canvas as rl_canvas

FONT_DIR = Path(__file__).resolve().parent / "static" / "bkklib" / "fonts"
REGULAR = "Sarabun"
BOLD = "Sarabun-Bold"
FONT_FILES = {REGULAR: "Sarabun-Regular.ttf", BOLD: "Sarabun-Bold.ttf"}

# Text whose marks reach highest and lowest in Thai (and accented Latin): the line height leaves room for them.
STACKS = "ปั้ปื้ฟิ์ปี่ป๋ฎูฏุญูฤๅÁÉjgy"
LINE_GAP = 0.08  # extra space between lines, in em, on top of the stacked marks' extent


class ShapedTTFont(TTFont):
    """A TrueType font that reportlab shapes with HarfBuzz, and whose extra glyphs still copy as text.

    Shaping brings in glyphs that no character maps to (Sarabun's ``uni0E48.small``, a tone mark raised
    over an upper vowel; ``uni0E240E45``, ฤๅ as one glyph). reportlab gives each such glyph a private-use
    code (U+E000…); left so, copying the text from the PDF (and pdftotext, and screen readers) would lose
    the marks. The PDF's ToUnicode map here gives each of those glyphs the characters it stands for.
    """

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state else []
        super().addObjects(doc)
        private = self._private_text()
        for n, subset in enumerate(subsets):
            if any(code in private for code in subset):
                base_name = (SUBSETN(n) + b"+" + self.face.name + self.face.subfontNameX).decode("pdfdoc")
                stream = doc.idToObject["toUnicodeCMap:" + base_name]
                stream.content = _to_unicode_cmap(stream.content, subset, private)

    def _private_text(self) -> dict[int, str]:
        """Return {private-use code reportlab gave a glyph: the text that glyph shows}."""
        codes = {}
        face = self.face
        for code, gid in face.charToGlyph.items():
            if 0xE000 <= code <= 0xF8FF and code not in _font_cmap(self.fontName):
                text = _glyph_text(self, gid)
                if text:
                    codes[code] = text
        return codes


def _to_unicode_cmap(content: str, subset: list[int], private: dict[int, str]) -> str:
    lines = {f"<{i:02X}> <{v:04X}>": f"<{i:02X}> <{private[v].encode('utf-16-be').hex().upper()}>"
             for i, v in enumerate(subset) if v in private}
    return "\n".join(lines.get(line, line) for line in content.split("\n"))


@lru_cache(maxsize=8)
def _font_cmap(font_name: str) -> frozenset[int]:
    """The characters the font file itself maps (before reportlab adds private codes)."""
    import uharfbuzz

    face = uharfbuzz.Face(uharfbuzz.Blob((FONT_DIR / FONT_FILES[font_name]).read_bytes()))
    return frozenset(face.unicodes)


def _glyph_text(font: TTFont, gid: int) -> str:
    """The characters a glyph without a character of its own shows, from its name (Sarabun's names follow
    the AGL conventions: ``uni0E48.small`` is U+0E48, ``uni0E240E45`` is ฤๅ, ``yoYingthai.less`` is a form of
    the glyph named ``yoYingthai``)."""
    hb_font = font.hbFont(10)
    name = hb_font.glyph_to_string(gid)
    base = name.split(".")[0]
    if re.fullmatch(r"uni(?:[0-9A-F]{4})+", base):
        return "".join(chr(int(base[i:i + 4], 16)) for i in range(3, len(base), 4))
    if re.fullmatch(r"u[0-9A-F]{4,6}", base):
        return chr(int(base[1:], 16))
    plain = hb_font.get_glyph_from_name(base)
    if plain is not None and plain != gid:
        chars = [c for c in font.face.glyphToChar.get(plain, []) if c in _font_cmap(font.fontName)]
        if chars:
            return chr(chars[0])
    return ""


def thai_fonts() -> tuple[str, str]:
    """Register the Sarabun TrueType fonts (shaped) with reportlab once per process; return (regular, bold)."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        for name, file in FONT_FILES.items():
            pdfmetrics.registerFont(ShapedTTFont(name, str(FONT_DIR / file), shapable=True))
    font = pdfmetrics.getFont(REGULAR)
    # Refuse rather than print Thai with marks on top of each other: without uharfbuzz, or when the Sarabun
    # face was registered under another name first (reportlab then reuses that font object for this name).
    if not font.shapable:
        raise RuntimeError("Thai PDFs need HarfBuzz shaping: pip install uharfbuzz")
    if not isinstance(font, ShapedTTFont):
        raise RuntimeError("Sarabun was registered with reportlab outside bkklib.core.pdf.thai_fonts()")
    return REGULAR, BOLD


# ---------------------------------------------------------------------------------------------- measuring

def shaped(text: str, font: str = REGULAR, size: float = 10):
    """Return ``text`` shaped for ``font`` at ``size`` (a string reportlab draws glyph by glyph)."""
    return _shape(text, font, size)[0]


def text_width(text: str, font: str = REGULAR, size: float = 10) -> float:
    """The advance width of ``text`` as drawn (shaped), in points."""
    return _shape(text, font, size)[1]


@lru_cache(maxsize=4096)
def _shape(text: str, font: str, size: float):
    """(shaped text, width): label sheets and lists measure and draw the same strings many times."""
    thai_fonts()
    if not text:
        return text, 0.0
    run = shapeStr(text, font, size)
    data = getattr(run, "__shapeData__", None)
    if data is None:
        return run, pdfmetrics.stringWidth(text, font, size)
    return run, sum(glyph.x_advance for glyph in data) * size / 1000


@dataclass(frozen=True)
class LineMetrics:
    """Vertical room one line of text needs, in points: above the baseline, below it, baseline to baseline."""

    ascent: float
    descent: float
    leading: float


@lru_cache(maxsize=256)
def line_metrics(font: str = REGULAR, size: float = 10, text: str | None = None) -> LineMetrics:
    """Room for a line of ``font`` at ``size``: the font's ascent and descent, or further where the marks of
    ``text`` reach (without ``text``: the highest and lowest stacks Thai has, ปั้ ฎู), plus a small gap, so
    lines never touch. Give ``text`` (e.g. a call number) to pack known short lines tighter."""
    import uharfbuzz

    thai_fonts()
    hb_font = pdfmetrics.getFont(font).hbFont(size)
    upem = hb_font.face.upem
    extents = hb_font.get_font_extents("ltr")
    top, bottom = extents.ascender, extents.descender
    buffer = uharfbuzz.Buffer()
    buffer.add_str(STACKS if text is None else text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, {})
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        glyph = hb_font.get_glyph_extents(info.codepoint)
        if glyph is None:
            continue
        top = max(top, glyph.y_bearing + position.y_offset)
        bottom = min(bottom, glyph.y_bearing + glyph.height + position.y_offset)
    ascent, descent = top * size / upem, -bottom * size / upem
    return LineMetrics(ascent, descent, ascent + descent + LINE_GAP * size)


# ---------------------------------------------------------------------------------------------- breaking

def clusters(text: str) -> list[str]:
    """Split ``text`` into user-perceived characters (a consonant with its marks stays whole)."""
    breaker = icu.BreakIterator.createCharacterInstance(icu.Locale("th"))
    breaker.setText(text)
    cuts = [0, *breaker]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def truncate(text: str, font: str, size: float, width: float, ellipsis: str = "…") -> str:
    """Return ``text``, or as many whole character clusters of it as fit ``width`` followed by "…"."""
    if text_width(text, font, size) <= width:
        return text
    parts = clusters(text)
    low, high = 0, len(parts)
    while low < high:  # the longest prefix that fits, by bisection (shaping is the costly step)
        middle = (low + high + 1) // 2
        if text_width("".join(parts[:middle]).rstrip() + ellipsis, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return "".join(parts[:low]).rstrip() + ellipsis


def fit_size(text: str, font: str, size: float, width: float, minimum: float = 5) -> float:
    """The largest size up to ``size`` (in half points, at least ``minimum``) at which ``text`` fits ``width``."""
    measured = text_width(text, font, size)
    if measured <= width:
        return size
    fitted = max(minimum, math.floor(size * width / measured * 2) / 2)
    while fitted > minimum and text_width(text, font, fitted) > width:
        fitted -= 0.5
    return fitted


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``: at Thai word boundaries and spaces (ICU's line
    breaker, with its Thai dictionary), at character clusters inside a word longer than a whole line."""
    lines: list[str] = []
    for paragraph_line in text.split("\n"):
        breaker = icu.BreakIterator.createLineInstance(icu.Locale("th"))
        breaker.setText(paragraph_line)
        cuts = [0, *breaker]
        pieces = [paragraph_line[a:b] for a, b in itertools.pairwise(cuts)]
        current = ""
        for piece in pieces:
            candidate = current + piece
            if text_width(candidate.rstrip(), font, size) <= width or not current.strip():
                current = candidate
            else:
                lines.append(current.rstrip())
                current = piece
            while text_width(current.rstrip(), font, size) > width and len(clusters(current.rstrip())) > 1:
                head, current = _split_long(current, font, size, width)
                lines.append(head)
        lines.append(current.rstrip())
    return lines


def _split_long(text: str, font: str, size: float, width: float) -> tuple[str, str]:
    parts = clusters(text)
    count = 1
    while count < len(parts) and text_width("".join(parts[:count + 1]), font, size) <= width:
        count += 1
    return "".join(parts[:count]), "".join(parts[count:])


# ---------------------------------------------------------------------------------------------- drawing

def draw_text(c, x: float, y: float, text: str, *, font: str = REGULAR, size: float = 10, width: float | None = None,
              align: str = "left", overflow: str = "truncate", minimum: float = 5) -> float:
    """Draw one line of shaped text with its baseline at ``y``; return the size used.

    ``x`` is the left edge of a box ``width`` wide (or, without a width, the left end / centre / right end of
    the text for ``align`` left / centre / right). Text too wide for the box is cut with "…" (``overflow=
    "truncate"``) or drawn smaller down to ``minimum`` points and then cut (``overflow="shrink"``).
    """
    thai_fonts()
    if width is not None:
        if overflow == "shrink":
            size = fit_size(text, font, size, width, minimum)
        text = truncate(text, font, size, width)
    run = shaped(text, font, size)
    advance = text_width(text, font, size)
    if width is None:
        left = {"left": x, "centre": x - advance / 2, "right": x - advance}[align]
    else:
        left = {"left": x, "centre": x + (width - advance) / 2, "right": x + width - advance}[align]
    c.saveState()
    c.setFont(font, size)
    c.drawString(left, y, run)
    c.restoreState()
    return size


def layout_paragraph(text: str, *, top: float, width: float, font: str = REGULAR, size: float = 10,
                     leading: float | None = None) -> list[tuple[str, float]]:
    """Return the lines of ``text`` within ``width`` and the baseline of each, the first line's top at ``top``."""
    metrics = line_metrics(font, size)
    leading = leading or metrics.leading
    first = top - metrics.ascent
    return [(line, first - number * leading) for number, line in enumerate(break_lines(text, font, size, width))]


def draw_paragraph(c, x: float, top: float, text: str, *, width: float, font: str = REGULAR, size: float = 10,
                   align: str = "left", leading: float | None = None) -> float:
    """Draw ``text`` broken into lines within ``width``, its first line's top at ``top``; return the y of the
    bottom of the last line (where the next block may start)."""
    lines = layout_paragraph(text, top=top, width=width, font=font, size=size, leading=leading)
    for line, baseline in lines:
        draw_text(c, x, baseline, line, font=font, size=size, width=width, align=align)
    return lines[-1][1] - line_metrics(font, size).descent


def paragraph_height(text: str, *, width: float, font: str = REGULAR, size: float = 10,
                     leading: float | None = None) -> float:
    """How tall ``draw_paragraph`` draws ``text``."""
    metrics = line_metrics(font, size)
    lines = len(break_lines(text, font, size, width))
    return metrics.ascent + (lines - 1) * (leading or metrics.leading) + metrics.descent


def new_canvas(buffer, *, pagesize=A4, title: str = "", **kwargs):
    """A reportlab canvas for a bkklib PDF (Thai fonts registered, title and creator set)."""
    thai_fonts()
    c = rl_canvas.Canvas(buffer, pagesize=pagesize, pageCompression=1, **kwargs)
    if title:
        c.setTitle(title)
    c.setCreator("bkklib")
    return c


class Document:
    """A flowing document on A4 (or ``pagesize``): headings and paragraphs from the top margin down, a new
    page when the next line would cross the bottom margin.

        doc = Document(title="ใบรับรอง")
        doc.heading("หนังสือรับรองการเป็นสมาชิก")
        doc.paragraph("ห้องสมุด … ขอรับรองว่า …")
        pdf_bytes = doc.finish()

    ``doc.canvas`` is the reportlab canvas, for barcodes, QR codes, lines and images between paragraphs;
    ``doc.y`` is where the next block starts (points from the bottom of the page).
    """

    def __init__(self, *, title: str = "", pagesize=A4, margin: float = 20 * mm):
        self._buffer = io.BytesIO()
        self.canvas = new_canvas(self._buffer, pagesize=pagesize, title=title)
        self.pagesize, self.margin = pagesize, margin
        self.width = pagesize[0] - 2 * margin
        self.y = pagesize[1] - margin

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = self.pagesize[1] - self.margin

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit above the bottom margin."""
        if self.y - height < self.margin and self.y < self.pagesize[1] - self.margin:
            self.new_page()

    def paragraph(self, text: str, *, font: str = REGULAR, size: float = 11, align: str = "left",
                  space_after: float = 0.5) -> None:
        """Flow ``text`` over as many lines (and pages) as it takes; ``space_after`` is in lines."""
        metrics = line_metrics(font, size)
        for line in break_lines(text, font, size, self.width):
            self.need(metrics.ascent + metrics.descent)
            draw_text(self.canvas, self.margin, self.y - metrics.ascent, line, font=font, size=size,
                      width=self.width, align=align)
            self.y -= metrics.leading
        self.y -= space_after * metrics.leading

    def heading(self, text: str, *, size: float = 16) -> None:
        self.paragraph(text, font=BOLD, size=size, space_after=0.3)

    def space(self, height: float) -> None:
        self.y -= height

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()
