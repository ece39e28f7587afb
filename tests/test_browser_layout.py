"""Browser tests live in tests/browser, where its conftest gives every test one chromium per worker.

A test module elsewhere that imports those fixtures defines a second session-scoped browser: the second
Playwright started in a worker finds the first one's event loop running, and every browser test after it
errors ("Sync API inside the asyncio loop")."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_test_outside_tests_browser_imports_the_browser_fixtures():
    strays = [str(p.relative_to(ROOT)) for p in (ROOT / "bkklib").rglob("test*.py")
              if "tests.browser.conftest import" in p.read_text("utf-8")]
    assert strays == []
