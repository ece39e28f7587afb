"""The digital membership card: a Code 128 barcode and a QR code of the card number, as compact SVG.

reportlab (already a dependency for the printed cards) does the encoding; the SVG is written here
from the bars and modules, a few hundred bytes to a few kilobytes instead of reportlab's
one-rectangle-per-module SVG, so the card page stays light on a phone. Desk scanners read Code 128;
phone cameras and most 2D scanners read the QR code.
"""
import itertools
from string import ascii_lowercase, ascii_uppercase

from django.utils.html import escape
from reportlab.graphics.barcode import code128, qr

QUIET_MODULES = 10  # Code 128 needs ten module widths of white on each side
QR_BORDER = 4  # the QR standard's quiet zone, in modules


def code128_svg(value: str, *, height: int = 60, label: str = "") -> str:
    """Return an SVG Code 128 barcode of ``value`` (one unit = one module width, scaled by CSS)."""
    symbol = code128.Code128(value)
    symbol.validate()
    symbol.encode()
    symbol.decompose()
    x = QUIET_MODULES
    bars = []
    for ch in symbol.decomposed:
        if ch in ascii_uppercase:
            width = ord(ch) - ord("A") + 1
            bars.append(f"M{x},0h{width}v{height}h-{width}z")
            x += width
        elif ch in ascii_lowercase:
            x += ord(ch) - ord("a") + 1
    total = x + QUIET_MODULES
    title = escape(label or value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {height}" role="img" '
        f'aria-label="{title}" shape-rendering="crispEdges" preserveAspectRatio="none" class="barcode">'
        f'<rect width="{total}" height="{height}" fill="#fff"/><path fill="#000" d="{"".join(bars)}"/></svg>'
    )


def qr_svg(value: str, *, label: str = "") -> str:
    """Return an SVG QR code (error correction M) of ``value``."""
    widget = qr.QrCodeWidget(value, barLevel="M")
    widget.qr.make()
    modules = widget.qr.modules
    size = len(modules) + 2 * QR_BORDER
    runs = []
    for r, row in enumerate(modules):
        c = 0
        for dark, group in itertools.groupby(bool(m) for m in row):
            count = len(list(group))
            if dark:
                runs.append(f"M{c + QR_BORDER},{r + QR_BORDER}h{count}v1h-{count}z")
            c += count
    title = escape(label or value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{title}" '
        f'shape-rendering="crispEdges" class="qrcode"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_matrix(value: str) -> list[list[bool]]:
    """Return the QR modules of ``value`` (True = dark), for tests and other renderers."""
    widget = qr.QrCodeWidget(value, barLevel="M")
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]
