"""The catalog's tests read import reports and MARC messages in English, the language of their templates
(bkklib.catalog.marc.messages); test_report_language checks the Thai that librarians read by default."""
import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield
