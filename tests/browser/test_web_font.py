"""Every page draws Thai in Sarabun from the one font folder (static/bkklib/fonts)."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["home", "staff-login"])
def test_pages_load_sarabun_from_the_fonts_folder(live_server, site_data, page, shoot, name):
    path = "/" if name == "home" else reverse(name)
    fonts = []
    page.on("response", lambda r: fonts.append((r.url, r.status)) if r.url.endswith(".woff2") else None)
    page.goto(live_server.url + path)
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('16px Sarabun', 'ห้องสมุด')")
    loaded = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Sarabun') && f.status === 'loaded')"
                           ".map(f => f.weight)")
    assert "400" in loaded
    assert fonts and all("/static/bkklib/fonts/sarabun-" in url and status == 200 for url, status in fonts), fonts
    shoot(page, f"web-font-{name}")
