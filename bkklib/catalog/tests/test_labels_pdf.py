"""Label sheets through the one PDF path: Thai titles with stacked marks, call numbers clear of the edges.

The sheets are rasterised (var/screenshots/pdf-spine-labels.png, pdf-barcode-labels.png, for review) and every
label's ink is measured against its own edges.
"""
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from bkklib.catalog import labels
from bkklib.core.tests.test_pdf import rasterise

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
DPI = 150
PX_PER_MM = DPI / 25.4

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (poppler-utils)")

SAMPLES = [
    labels.Label("31000000000055", "895.913 ส649ม ล.2", "เลี้ยงลูกที่นี่ ญี่ปุ่นปั้นกำไลฤๅษี",
                 "ห้องสมุดเพื่อการเรียนรู้ปทุมวัน"),
    labels.Label("31000000000062", "ท 915.2 ป้ั ฉ.3", "ปั้นดินให้เป็นดาว", "ห้องสมุดเพื่อการเรียนรู้บางเขน"),
    labels.Label("31000000000079", "495.9184 ญ416ก 2565 ล.12 ฉ.2",
                 "ญี่ปุ่นที่ฉันรัก: เรื่องเล่าของคนไทยที่ไปเลี้ยงแมวในชนบทญี่ปุ่นนานสิบปีจนลืมทางกลับบ้าน",
                 "ห้องสมุดเพื่อการเรียนรู้ชุมชนเฉลิมพระเกียรติ ๘๐ พรรษา"),
    labels.Label("31000000000086", "", "ฤๅษีเลี้ยงลิง", ""),
]


def label_boxes(sheet: labels.Sheet, count: int):
    """The pixel box (top, left, bottom, right) of each of the first ``count`` labels of a page."""
    for index in range(count):
        x, y = sheet.origin(index)
        top = round((A4[1] - y - sheet.height) / 72 * DPI)
        left = round(x / 72 * DPI)
        yield top, left, top + round(sheet.height / 72 * DPI), left + round(sheet.width / 72 * DPI)


def check_margins(page: np.ndarray, sheet: labels.Sheet, count: int, margin_mm: float) -> None:
    ink = page < 160
    for top, left, bottom, right in label_boxes(sheet, count):
        box = ink[top:bottom, left:right]
        rows, cols = np.flatnonzero(box.any(axis=1)), np.flatnonzero(box.any(axis=0))
        assert rows.size, "an empty label"
        clear = min(rows[0], box.shape[0] - 1 - rows[-1], cols[0], box.shape[1] - 1 - cols[-1]) / PX_PER_MM
        assert clear >= margin_mm, f"ink {clear:.1f} mm from the label's edge"


def save(page: np.ndarray, name: str, sheet: labels.Sheet, rows: int) -> None:
    """Save the first ``rows`` rows of labels, each outlined in grey where the sheet is die-cut, for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(page).convert("RGB")
    draw = ImageDraw.Draw(image)
    for top, left, bottom, right in label_boxes(sheet, rows * sheet.columns):
        draw.rectangle((left, top, right, bottom), outline=(170, 170, 170))
    bottom = round((sheet.top + rows * (sheet.height + sheet.gap_y)) / 72 * DPI) + 10
    image.crop((0, 0, image.width, bottom)).save(SCREENSHOTS / name)


def test_spine_labels_keep_thai_call_numbers_clear_of_the_edges(tmp_path):
    data = labels.spine_labels_pdf(SAMPLES * 2)
    [page] = rasterise(data, tmp_path, dpi=DPI)
    check_margins(page, labels.SPINE_SHEET, len(SAMPLES) * 2, 1.5)
    save(page, "pdf-spine-labels.png", labels.SPINE_SHEET, 2)
    text = _text(data, tmp_path)
    assert "ส649ม" in text and "ญ416ก" in text and "ป้ั" in text


def test_barcode_labels_show_thai_titles_with_their_marks_inside_the_label(tmp_path):
    data = labels.barcode_labels_pdf(SAMPLES)
    [page] = rasterise(data, tmp_path, dpi=DPI)
    check_margins(page, labels.BARCODE_SHEET, len(SAMPLES), 2.5)
    save(page, "pdf-barcode-labels.png", labels.BARCODE_SHEET, 2)
    text = _text(data, tmp_path)
    assert "เลี้ยงลูกที่นี่ญี่ปุ่นปั้นกำไลฤๅษี" in text and "ปั้นดินให้เป็นดาว" in text and "895.913ส649มล.2" in text


def test_a_spine_label_uses_the_space_it_has(tmp_path):
    """Three call number lines print large enough to read on a shelf (not shrunk to leave room for marks
    that a call number does not have)."""
    size, leading = labels._spine_layout(["895.913", "ส649ม", "ล.2"], "ห้องสมุดเพื่อการเรียนรู้ปทุมวัน",
                                         labels.SPINE_SHEET.height, labels.SPINE_SHEET.width - 5 * mm)
    assert size >= 9 and leading > size


def _text(data: bytes, tmp_path: Path) -> str:
    source = tmp_path / "labels.pdf"
    source.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(source), "-"], capture_output=True, text=True, timeout=60).stdout
    # pdftotext reads a gap after a mark drawn left of its advance as a space, and ำ as its two glyphs (ํ า).
    return text.replace(" ", "").replace("\n", "").replace("\u0e4d\u0e32", "\u0e33")
