"""Staff pages say who may open them one way: core's @perm_required."""
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from bkklib.core.decorators import perm_required

PACKAGE = Path(__file__).resolve().parents[2]


@perm_required("catalog.view_record")
def page(request):
    """A staff page."""
    return HttpResponse("ok")


def test_anyone_not_signed_in_is_sent_to_the_staff_log_in_and_back():
    request = RequestFactory().get("/staff/catalog/")
    request.user = AnonymousUser()
    answer = page(request)
    assert answer.status_code == 302 and "next=/staff/catalog/" in answer["Location"]
    assert page.__name__ == "page" and page.__doc__ == "A staff page."


@pytest.mark.django_db
def test_a_signed_in_user_needs_the_permission(django_user_model):
    user = django_user_model.objects.create_user("clerk")
    request = RequestFactory().get("/staff/catalog/")
    request.user = user
    with pytest.raises(PermissionDenied):
        page(request)
    user.user_permissions.add(Permission.objects.get(codename="view_record"))
    request.user = django_user_model.objects.get(pk=user.pk)  # permissions are read afresh
    assert page(request).status_code == 200


def test_no_view_uses_another_permission_decorator():
    others = [str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("**/*.py")
              if "tests" not in p.parts and re.search(r"@permission_required|permission_required\(", p.read_text("utf-8"))]
    assert others == []
