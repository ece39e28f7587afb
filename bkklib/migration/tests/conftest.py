"""Fixtures of the migration tests: two branches with the codes a Koha export names, and yaz-marcdump."""
import re
import shutil
import subprocess

import pytest
from django.utils import translation

from bkklib.network.tests.factories import BranchFactory


@pytest.fixture(autouse=True)
def _english_messages():
    """Reports are read in English here (the templates' language); test_report checks the Thai."""
    with translation.override("en"):
        yield


@pytest.fixture
def branches(db):
    """The bkklib branches a migration maps to: MAIN (the default) and BKN."""
    return {"MAIN": BranchFactory(code="MAIN"), "BKN": BranchFactory(code="BKN")}


@pytest.fixture
def yaz_count():
    """Return the number of records yaz-marcdump reads in a file (the reference count)."""
    if shutil.which("yaz-marcdump") is None:
        pytest.skip("yaz-marcdump is not installed (scripts/system-deps.sh)")

    def count(path, charset: str = "utf-8") -> int:
        out = subprocess.run(["yaz-marcdump", "-i", "marc", "-o", "line", "-f", charset, "-t", "utf-8", str(path)],
                             capture_output=True).stdout
        return len(re.findall(rb"^\d{5}[ a-z]{3}", out, flags=re.M))

    return count
