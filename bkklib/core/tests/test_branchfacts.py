"""core.branchfacts: every app's sections about a branch, in app order then each section's order."""
from datetime import date

import pytest

from bkklib.core import branchfacts
from bkklib.core.branchfacts import Fact, Section


def _first(branch, *, today):
    return Section(key="core.second", title="Second", facts=[Fact("b", "2")], order=20)


def _second(branch, *, today):
    return Section(key="core.first", title="First", facts=[Fact("a", str(today.year))], order=10)


def _nothing(branch, *, today):
    return None


@pytest.fixture
def declared(monkeypatch):
    monkeypatch.setattr(branchfacts, "providers", lambda: [("core", _first), ("core", _nothing), ("network", _second)])


def test_sections_come_in_app_order_then_by_their_order_and_skip_none(declared):
    found = branchfacts.sections(object(), today=date(2026, 12, 7))
    assert [s.key for s in found] == ["core.second", "core.first"]
    assert [s.app for s in found] == ["core", "network"]
    assert found[1].facts[0].value == "2026"


def test_only_keeps_the_named_apps(declared):
    found = branchfacts.sections(object(), today=date(2026, 12, 7), only=["network"])
    assert [s.title for s in found] == ["First"]


def test_providers_finds_the_declared_modules_of_installed_apps():
    # Every declared provider is callable; apps without a branchfacts module are skipped silently.
    for label, function in branchfacts.providers():
        assert callable(function), label
