"""The one PDF path (bkklib.core.pdf) draws Thai as HarfBuzz shapes it: marks stacked, lines apart.

Each hard string is drawn through the project's path, rasterised by poppler (pdftoppm) and compared with
HarfBuzz's own rendering of the same string and font (hb-view): same ink box, same ink (an overlap of two
marks loses ink), same pixels. Plain reportlab, unshaped, fails the same comparison (the negative cases).
"""
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.pdfgen import canvas as rl_canvas

from bkklib.core import pdf

HARD = ["ที่นี่", "ปั้น", "เลี้ยง", "ญี่ปุ่น", "ฤๅษี", "กำ"]
STACKED = ["ที่นี่", "ปั้น", "เลี้ยง", "ญี่ปุ่น"]  # where unshaped reportlab puts one mark on another
PARAGRAPH = ("ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานครเปิดให้บริการทุกวัน ผู้ที่เลี้ยงลูกด้วยนมแม่และผู้สูงอายุชาวญี่ปุ่น"
             "ก็ใช้บริการได้ ฤๅษีปั้นกำไลที่นี่ แล้วยืมหนังสือกลับไปอ่านที่บ้านได้ครั้งละห้าเล่ม")
SIZE = 40  # points; rasterised at 144 dpi, so 80 px to the em for both renderers
DPI = 144
PX = SIZE * DPI / 72
FONT_FILE = pdf.FONT_DIR / "Sarabun-Regular.ttf"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftoppm", "hb-view", "rsvg-convert")),
    reason="needs pdftoppm (poppler-utils), hb-view (libharfbuzz-bin), rsvg-convert (librsvg2-bin)")


def rasterise(data: bytes, tmp_path: Path, name: str = "page", dpi: int = DPI, colour: bool = False) -> list[np.ndarray]:
    """Return each page of a PDF as a grey image (0 = black), or an RGB one, rendered by poppler."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(dpi), *([] if colour else ["-gray"]), "-png", str(source),
                    str(tmp_path / name)], check=True, timeout=120)
    return [np.asarray(Image.open(page).convert("RGB" if colour else "L"))
            for page in sorted(tmp_path.glob(f"{name}-*.png"))]


def harfbuzz_image(text: str, tmp_path: Path) -> np.ndarray:
    """HarfBuzz's rendering of ``text`` (hb-view: HarfBuzz shapes, its outlines drawn by cairo), as a grey image.

    hb-view draws to SVG, rasterised by librsvg. cairo clips the run to glyph extents that, for Sarabun's raised
    tone marks (``uni0E48.small``), end below the mark, so hb-view's own PNG drops them; the clip is removed.
    """
    vector, out = tmp_path / "hb.svg", tmp_path / "hb.png"
    subprocess.run(["hb-view", f"--font-size={PX:g}", f"--font-extents={2 * PX:g},{PX:g}", "--margin=20", "-O", "svg",
                    "-o", str(vector), str(FONT_FILE), text], check=True, timeout=60)
    vector.write_text(re.sub(r' clip-path="url\(#clip\d+\)"', "", vector.read_text()))
    subprocess.run(["rsvg-convert", "-d", "72", "-p", "72", "-b", "white", "-o", str(out), str(vector)], check=True,
                   timeout=60)
    return np.asarray(Image.open(out).convert("L"))


def ink(image: np.ndarray) -> np.ndarray:
    """The inked pixels, cropped to their bounding box."""
    mask = image < 128
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    assert rows.size, "nothing was drawn"
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def near(mask: np.ndarray) -> np.ndarray:
    """The pixels within one pixel of ``mask`` (the two rasterisers round sub-pixel positions differently)."""
    out = mask.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            out |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return out


def differences(drawn: np.ndarray, reference: np.ndarray) -> list[str]:
    """What differs between a PDF's rendering of a string and HarfBuzz's (empty: they match).

    Both are cropped to their ink and laid one on the other. A mark drawn inside or onto another (ที่ with ่
    inside ี) leaves HarfBuzz's mark, one stack higher, with no ink of the PDF near it, loses the ink the two
    marks share, and makes the ink box lower.
    """
    a, b = ink(drawn), ink(reference)
    problems = []
    if abs(a.shape[0] - b.shape[0]) > 2 or abs(a.shape[1] - b.shape[1]) > 2:
        problems.append(f"ink box {a.shape} differs from HarfBuzz's {b.shape}")
    if a.sum() < 0.96 * b.sum():
        problems.append(f"{a.sum()} inked pixels, HarfBuzz has {b.sum()}: glyphs overlap")
    height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa, pb = np.zeros((height, width), bool), np.zeros((height, width), bool)
    pa[:a.shape[0], :a.shape[1]], pb[:b.shape[0], :b.shape[1]] = a, b
    missing = 1 - (pb & near(pa)).sum() / pb.sum()
    extra = 1 - (pa & near(pb)).sum() / pa.sum()
    if missing > 0.02 or extra > 0.02:
        problems.append(f"{missing:.1%} of HarfBuzz's ink has none of the PDF's near it, {extra:.1%} the other way")
    return problems


def through_project(text: str) -> bytes:
    buffer = io.BytesIO()
    c = pdf.new_canvas(buffer, pagesize=(SIZE * (len(text) + 2), SIZE * 3))
    pdf.draw_text(c, SIZE / 2, SIZE, text, size=SIZE)
    c.showPage()
    c.save()
    return buffer.getvalue()


def through_plain_reportlab(text: str) -> bytes:
    """What the project printed before: the same font, drawn glyph by glyph without shaping (reportlab shapes
    only a string shaped first, as ``draw_text`` does)."""
    regular, _ = pdf.thai_fonts()
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(SIZE * (len(text) + 2), SIZE * 3))
    c.setFont(regular, SIZE)
    c.drawString(SIZE / 2, SIZE, text)
    c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.mark.parametrize("text", HARD)
def test_hard_thai_strings_are_drawn_as_harfbuzz_draws_them(text, tmp_path):
    [page] = rasterise(through_project(text), tmp_path)
    assert differences(page, harfbuzz_image(text, tmp_path)) == []


@pytest.mark.parametrize("text", STACKED)
def test_the_comparison_fails_unshaped_reportlab(text, tmp_path):
    [page] = rasterise(through_plain_reportlab(text), tmp_path)
    assert differences(page, harfbuzz_image(text, tmp_path)) != []


def test_a_wrapped_paragraph_breaks_at_words_and_its_lines_neither_overlap_nor_differ(tmp_path):
    width = 9 * SIZE
    lines = pdf.layout_paragraph(PARAGRAPH, top=30 * SIZE, width=width, size=SIZE)
    assert len(lines) > 3 and "".join(line for line, _ in lines).replace(" ", "") == PARAGRAPH.replace(" ", "")
    words = set()
    for word in pdf.break_lines(PARAGRAPH, pdf.REGULAR, SIZE, 10 ** 6)[0].split():
        words.update(_icu_words(word))
    for line, _ in lines:  # every line starts and ends at a word boundary
        assert pdf.text_width(line, pdf.REGULAR, SIZE) <= width
        assert _icu_words(line.strip())[0] in words and _icu_words(line.strip())[-1] in words
    buffer = io.BytesIO()
    c = pdf.new_canvas(buffer, pagesize=(width + SIZE, 31 * SIZE))
    pdf.draw_paragraph(c, SIZE / 2, 30 * SIZE, PARAGRAPH, width=width, size=SIZE)
    c.showPage()
    for line, baseline in lines:  # then each line alone, where the paragraph put it
        pdf.draw_text(c, SIZE / 2, baseline, line, size=SIZE)
        c.showPage()
    c.save()
    whole, *alone = rasterise(buffer.getvalue(), tmp_path, dpi=72)
    assert np.array_equal(whole < 128, np.logical_or.reduce([page < 128 for page in alone]))
    boxes = [np.flatnonzero((page < 128).any(axis=1))[[0, -1]] for page in alone]
    for (_, bottom), (top, _) in zip(boxes, boxes[1:], strict=False):
        assert bottom < top - 2, "two lines of the paragraph touch"
    for number, (line, _) in enumerate(lines):
        hb_dir = tmp_path / f"line{number}"
        hb_dir.mkdir()
        [page] = rasterise(through_project(line), hb_dir)
        assert differences(page, harfbuzz_image(line, hb_dir)) == [], line


def _icu_words(text: str) -> list[str]:
    import icu

    breaker = icu.BreakIterator.createWordInstance(icu.Locale("th"))
    breaker.setText(text)
    cuts = [0, *breaker]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def test_text_copied_from_the_pdf_keeps_its_marks(tmp_path):
    source = tmp_path / "copy.pdf"
    source.write_bytes(through_project(" ".join(HARD)))
    text = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True, timeout=60).stdout
    for word in ["ที่", "ปั้น", "เลี้ยง", "ญี่ปุ่น", "ฤๅษี"]:
        assert word in text
    assert "\ue000" not in text and not any(0xE000 <= ord(ch) <= 0xF8FF for ch in text)


def test_a_long_thai_line_is_cut_between_clusters_never_inside_one():
    text = "ผู้ที่เลี้ยงลูกด้วยนมแม่" * 3
    cut = pdf.truncate(text, pdf.REGULAR, 10, 60)
    assert cut.endswith("…") and pdf.text_width(cut, pdf.REGULAR, 10) <= 60
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39" \
        "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"


def test_line_height_leaves_room_for_the_highest_and_lowest_marks():
    metrics = pdf.line_metrics(pdf.REGULAR, 10)
    assert metrics.ascent >= 12  # ปั้: 1.218 em above the baseline in Sarabun
    assert metrics.descent >= 5  # ฎู: 0.535 em below
    assert metrics.leading > metrics.ascent + metrics.descent


def test_a_document_flows_over_pages(tmp_path):
    doc = pdf.Document(title="ทดสอบ")
    doc.heading("หนังสือรับรองการเป็นสมาชิก")
    for _ in range(40):
        doc.paragraph(PARAGRAPH)
    pages = rasterise(doc.finish(), tmp_path, dpi=20)
    assert len(pages) > 2
