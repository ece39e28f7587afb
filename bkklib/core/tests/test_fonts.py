"""Sarabun is in the repository once: one folder holds every file of it, and everything uses that folder."""
import hashlib
import re
from pathlib import Path

from bkklib.core import pdf

BKKLIB = Path(__file__).resolve().parents[2]
FONTS = BKKLIB / "core" / "static" / "bkklib" / "fonts"
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


def test_every_font_file_is_in_the_one_fonts_folder_once():
    files = [p for p in BKKLIB.rglob("*") if p.suffix.lower() in FONT_SUFFIXES]
    assert files and {p.parent for p in files} == {FONTS}
    digests = [hashlib.md5(p.read_bytes()).hexdigest() for p in files]
    assert len(set(digests)) == len(digests)  # no two files with the same content
    assert (FONTS / "OFL.txt").exists()


def test_the_web_font_and_the_pdf_font_come_from_that_folder():
    css = (BKKLIB / "core" / "static" / "bkklib" / "css" / "base.css").read_text(encoding="utf-8")
    urls = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert len(urls) == 4
    for url in urls:
        assert (BKKLIB / "core" / "static" / "bkklib" / "css" / url).resolve().parent == FONTS
    assert pdf.FONT_DIR.resolve() == FONTS
    assert all((FONTS / name).exists() for name in pdf.FONT_FILES.values())
