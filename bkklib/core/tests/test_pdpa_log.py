"""PDPA access log: one helper writes it, for any kind of person, and nothing else does."""
import re
from pathlib import Path

import pytest

from bkklib.core import pdpa
from bkklib.core.models import AccessLog

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_subject_names_the_model_and_the_person_and_long_text_is_cut(django_user_model):
    staff = django_user_model.objects.create_user("librarian")
    person = django_user_model.objects.create_user("someone")
    entry = pdpa.log_access(staff, person, action="export", path="/x" * 400, purpose="ก" * 500)
    entry.refresh_from_db()
    assert entry.subject == f"{person._meta.label_lower}:{person.pk}" == pdpa.subject_of(person)
    assert entry.subject.endswith(f".user:{person.pk}")
    assert (entry.user, entry.action, len(entry.path), len(entry.purpose)) == (staff, "export", 300, 200)


@pytest.mark.django_db
def test_an_anonymous_caller_is_recorded_as_no_one(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    person = django_user_model.objects.create_user("someone")
    assert pdpa.log_access(AnonymousUser(), person).user is None
    assert AccessLog.objects.count() == 1


def test_no_module_writes_the_access_log_but_the_helper():
    writers = [str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("**/*.py")
               if "tests" not in p.parts and "migrations" not in p.parts and p.name != "pdpa.py"
               and re.search(r"AccessLog\.objects\.(create|bulk_create)", p.read_text("utf-8"))]
    assert writers == []
