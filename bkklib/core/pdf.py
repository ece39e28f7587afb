"""The Thai fonts every PDF of bkklib uses (labels, library cards, receipts, reports).

Sarabun (SIL Open Font License, see ``static/bkklib/fonts/OFL.txt``) is shipped once, with the
core app's static files, so the web pages and the PDFs show the same letters on every machine.
"""
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "static" / "bkklib" / "fonts"
REGULAR = "Sarabun"
BOLD = "Sarabun-Bold"


def thai_fonts() -> tuple[str, str]:
    """Register the Sarabun TrueType fonts with reportlab once per process; return (regular, bold)."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "Sarabun-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "Sarabun-Bold.ttf")))
    return REGULAR, BOLD
