"""The library card through the one PDF path: a Thai name with stacked marks, lines apart, inside the card.

The card is rasterised to var/screenshots/pdf-library-card.png for review.
"""
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bkklib.circulation import cards
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core.tests.test_pdf import rasterise
from bkklib.network.tests.factories import BranchFactory

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
DPI = 300
PX_PER_MM = DPI / 25.4

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (poppler-utils)")


@pytest.mark.django_db
def test_the_card_shows_a_thai_name_with_its_marks_and_keeps_clear_of_the_edges(tmp_path):
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้ชุมชนเฉลิมพระเกียรติ")
    patron = PatronFactory(first_name_th="ปั้นหยี่", last_name_th="ญี่ปุ่นเลี้ยงฤๅษี", first_name_en="Panyee",
                           last_name_en="Yipunliang", home_branch=branch)
    data = cards.card_pdf(patron)
    [page] = rasterise(data, tmp_path, dpi=DPI)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    [in_colour] = rasterise(data, tmp_path, name="colour", dpi=DPI, colour=True)
    Image.fromarray(in_colour).save(SCREENSHOTS / "pdf-library-card.png")

    band = round(cards.BAND / 72 * DPI)
    body = page[band:] < 160  # below the full-bleed band, every mark stays 2 mm inside the card
    rows, cols = np.flatnonzero(body.any(axis=1)), np.flatnonzero(body.any(axis=0))
    assert min(cols[0], body.shape[1] - 1 - cols[-1], body.shape[0] - 1 - rows[-1]) / PX_PER_MM >= 2
    # Lines of text below the band are separate bands of ink (no two lines touch), name to barcode.
    blank = ~body.any(axis=1)
    bands = np.count_nonzero(np.diff(blank.astype(int)) == -1) + (not blank[0])
    assert bands >= 6, "name, English name, category, expiry, bars and number: each its own band"

    source = tmp_path / "card.pdf"
    source.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(source), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "ปั้นหยี่ญี่ปุ่นเลี้ยงฤๅษี" in text.replace(" ", "") and patron.card_number in text
