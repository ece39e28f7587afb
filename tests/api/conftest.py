"""Fixtures of the API-wide tests: a branch with a librarian, another branch, an executive, token clients."""
from dataclasses import dataclass

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with empty rate-limit counts: these tests send hundreds of searches a minute."""
    from django.core.cache import cache

    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@dataclass
class Network:
    branch: object
    other: object
    librarian: object
    executive: object
    admin: object
    item: object
    patron: object


@pytest.fixture
def net(db):
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    other = BranchFactory(name_th="ห้องสมุดประชาชนซอยพระนาง")
    return Network(
        branch=branch, other=other,
        librarian=staff_user(roles.BRANCH_LIBRARIAN, branch),
        executive=staff_user(roles.EXECUTIVE_VIEWER, branch),
        admin=staff_user(roles.NETWORK_ADMIN),
        item=ItemFactory(branch=branch),
        patron=PatronFactory(home_branch=branch),
    )
