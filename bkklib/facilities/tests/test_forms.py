"""The facilities model forms round-trip an unchanged instance (the check of tests/test_model_forms.py)."""
import pytest

from .form_cases import facilities_cases


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("key", sorted(facilities_cases()))
def test_model_form_round_trips_an_unchanged_instance(key, language, db, monkeypatch):
    from tests import test_model_forms

    monkeypatch.setattr(test_model_forms, "CASES", {**test_model_forms.CASES, **facilities_cases()})
    test_model_forms.test_model_form_round_trips_an_unchanged_instance(key, language)
