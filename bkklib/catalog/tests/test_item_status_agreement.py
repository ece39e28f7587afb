"""Statuses staff may set by hand: the item form, the API and the service agree, status by status."""
import pytest
from rest_framework.test import APIClient

from bkklib.catalog import services
from bkklib.catalog.exceptions import InvalidStatus
from bkklib.catalog.forms import ItemForm
from bkklib.catalog.models import Item
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ItemFactory

pytestmark = pytest.mark.django_db


def form_accepts(item, status, user) -> bool:
    data = {"barcode": item.barcode, "branch": item.branch_id, "shelving_location": item.shelving_location,
            "call_number": item.call_number, "item_type": item.item_type_id, "price": item.price or "",
            "acquired_on": "", "notes": item.notes, "status": status}
    return ItemForm(data=data, instance=item, user=user, perm="catalog.change_item").is_valid()


def api_accepts(item, status, user) -> bool:
    api = APIClient()
    api.force_authenticate(user)
    answer = api.patch(f"/api/v1/items/{item.pk}/", {"status": status}, format="json")
    assert answer.status_code in (200, 400), answer.content
    if answer.status_code == 400:
        assert answer.json()["code"] == "invalid_item_status"
    return answer.status_code == 200


def service_accepts(item, status, user) -> bool:
    try:
        services.set_item_status_by_hand(item, status, user=user)
    except InvalidStatus:
        return False
    return True


@pytest.mark.parametrize("status", Item.Status.values)
def test_form_api_and_service_agree_on_each_status(status):
    branch = BranchFactory()
    user = staff_user(roles.BRANCH_LIBRARIAN, branch)
    answers = {}
    for name, adapter in (("form", form_accepts), ("api", api_accepts), ("service", service_accepts)):
        item = ItemFactory(branch=branch, status=Item.Status.AVAILABLE)
        answers[name] = adapter(item, status, user)
    expected = status in services.STAFF_STATUSES
    assert answers == {"form": expected, "api": expected, "service": expected}
