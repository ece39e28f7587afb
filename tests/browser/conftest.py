"""Shared fixtures of the browser tests: one headless Debian chromium per session, axe-core, screenshots.

Every browser test carries ``@pytest.mark.browser`` and uses pytest-django's ``live_server``
(the site runs in a thread of this process, so ``monkeypatch`` can fix the website's clock).

- ``browser``: one chromium for the whole session (``/usr/bin/chromium`` with the flags this
  closed network needs); ``page``: a fresh context per test (Thai, 1280×900 desktop).
- ``axe(page)``: run the vendored axe-core (WCAG 2.0/2.1 A and AA rules) on the page and fail on
  any serious or critical violation, listing them.
- ``shoot(page, name)``: save ``var/screenshots/<name>-desktop.png`` and ``<name>-phone.png``
  (390 px wide).
- ``site_data``: the rows data migrations load (districts, services, info pages), restored for
  each test, because ``live_server`` tests empty the database after each test.
"""
import importlib
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("BKKLIB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told this is intended (the test, not the loop, makes the calls).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    """Launch one headless chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (cookies, storage) per test: Thai, desktop size."""
    ctx = browser.new_context(viewport=DESKTOP, locale="th-TH", timezone_id="Asia/Bangkok")
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    """A page that fails its test when the Content-Security-Policy blocked anything on it (issue 30)."""
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


# Data migrations whose rows the tests need (flushed between live-server tests): module, function.
DATA_MIGRATIONS = [
    ("bkklib.network.migrations.0002_load_districts_and_services", "load"),
    ("bkklib.catalog.migrations.0002_default_item_types", "forwards"),
    ("bkklib.catalog.migrations.0008_default_shelving_locations", "forwards"),
    ("bkklib.circulation.migrations.0002_default_categories_policy", "forwards"),
    ("bkklib.opac.migrations.0002_default_info_pages", "create_pages"),
]


@pytest.fixture
def site_data(transactional_db):
    """Reload what data migrations put in the database (flushed between live-server tests)."""
    from django.apps import apps
    from django.core.cache import cache

    cache.clear()
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


def run_axe(page) -> list[dict]:
    """Run axe-core on the current page; return its violations of WCAG 2.1 A/AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as an inline <script>: the pages' CSP
        # allows no inline script (docs/admin/security.md), and axe must not need it to be weakened.
        page.evaluate("(source) => { (0, eval)(source); }", AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


@pytest.fixture
def axe():
    """Return a checker: ``axe(page)`` fails the test on serious or critical WCAG violations."""

    def check(page, *, label: str = ""):
        violations = run_axe(page)
        bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
        if bad:
            lines = [f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} nodes): "
                     + json.dumps([n["target"] for n in v["nodes"][:5]], ensure_ascii=False) for v in bad]
            pytest.fail(f"axe-core found serious/critical violations on {label or page.url}:\n" + "\n".join(lines))
        return violations

    return check


@pytest.fixture
def shoot():
    """Return ``shoot(page, name)``: PNG screenshots at desktop and 390 px phone width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        size = page.viewport_size or DESKTOP
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(size)

    return take


@pytest.fixture
def page_weight():
    """Return ``weigh(page, url)``: bytes of the HTML, CSS and JS the page loads (images and fonts aside)."""

    def weigh(page, url: str) -> int:
        sizes: dict[str, int] = {}

        def on_response(response):
            kind = response.request.resource_type
            if kind in ("document", "stylesheet", "script"):
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # a redirect or aborted response has no body
                    sizes[response.url] = 0

        page.on("response", on_response)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", on_response)
        return sum(sizes.values())

    return weigh
