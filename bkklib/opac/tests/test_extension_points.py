"""Higher apps add menu links, home sections and account sections to the public website (core/public.py)."""
import pytest
from django.template import engines

from bkklib.core import public
from bkklib.opac.tests.conftest import PIN

# A section's template sees what its context function returned as ``data``.
SECTION = engines["django"].from_string('<p class="from-app">{{ data.text }}</p>')


class Declared:
    """What a higher app's ``menu`` module would declare."""

    def __init__(self):
        self.by_name = {
            "PUBLIC_LINKS": [public.PublicLink("อีบุ๊ก", "opac:news", order=10)],
            "HOME_SECTIONS": [public.Section("featured", SECTION,
                                             "bkklib.opac.tests.test_extension_points.home_context")],
            "ACCOUNT_SECTIONS": [
                public.Section("eloans", SECTION,
                               "bkklib.opac.tests.test_extension_points.account_context"),
                public.Section("nothing", SECTION,
                               "bkklib.opac.tests.test_extension_points.nothing"),
            ],
        }

    def __call__(self, name):
        return iter(self.by_name.get(name, []))


def home_context(today):
    return {"text": f"หนังสือแนะนำ {today:%Y}"}


def account_context(patron, today):
    return {"text": f"อีบุ๊กของ {patron.first_name_th}"}


def nothing(*args):
    return None


@pytest.fixture
def declared(monkeypatch):
    monkeypatch.setattr(public, "_declared", Declared())


def test_main_menu_home_and_account_show_what_higher_apps_declare(client, library, declared):
    home = client.get("/").content.decode()
    assert '<a href="/news/">อีบุ๊ก</a>' in home
    assert 'id="featured"' in home and "หนังสือแนะนำ 2025" in home
    client.post("/account/", {"card": library["alice"].card_number, "pin": PIN})
    account = client.get("/account/").content.decode()
    assert "อีบุ๊กของ อลิสา" in account
    assert 'id="nothing"' not in account  # a section with nothing to show is left out
    news = client.get("/news/").content.decode()
    assert 'aria-current="page">อีบุ๊ก</a>' in news


def test_without_declarations_pages_are_unchanged(client, library):
    assert public.public_links() == [] or all(link["url"] for link in public.public_links())
    assert client.get("/").status_code == 200


calls = []


def counted_context(today):
    calls.append(today)
    return {"text": f"เทศกาล {len(calls)}"}


def test_a_cached_home_section_is_computed_once_per_day_and_language(client, db, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    calls.clear()
    cached = public.Section("festival", SECTION, "bkklib.opac.tests.test_extension_points.counted_context",
                            cache_seconds=60)
    monkeypatch.setattr(public, "_declared", lambda name: iter([cached] if name == "HOME_SECTIONS" else []))
    first = client.get("/").content.decode()
    second = client.get("/").content.decode()
    assert "เทศกาล 1" in first and "เทศกาล 1" in second and len(calls) == 1
    client.cookies["bkklib_language"] = "en"
    assert "เทศกาล 2" in client.get("/").content.decode()  # English has its own copy
