"""The staff shell: same URLs after the move, and each app's header bar built from its menu module only."""
import pytest

from bkklib.core import menus, roles
from bkklib.network.menu import ITEMS as NETWORK_ITEMS
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db


def test_log_in_desk_and_home_answer_at_their_urls(client):
    assert client.get("/staff/login/").status_code == 200
    branch = BranchFactory(code="mine")
    client.force_login(staff_user(roles.BRANCH_LIBRARIAN, branch, username="lib"))
    home = client.get("/staff/")
    assert home.status_code == 200 and home.templates[0].name == "staff/home.html"
    assert client.get("/staff/desk/").status_code == 200


def test_the_header_bar_of_network_pages_is_the_network_menu_the_user_may_open(client):
    admin = staff_user(roles.NETWORK_ADMIN, username="netadmin")
    client.force_login(admin)
    page = client.get("/staff/network/coverage/")
    bar = page.context["staff_nav"]
    expected = [str(item.label) for item in NETWORK_ITEMS if item.nav and admin.has_perm(item.perm)]
    assert [str(item["label"]) for item in bar] == expected and expected
    html = page.content.decode()
    assert 'href="/staff/network/coverage/" aria-current="page"' in html
    assert menus.nav_for(admin, "network") == bar


def test_a_librarian_does_not_see_pages_they_may_not_open_in_the_bar(client):
    branch = BranchFactory(code="mine")
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch, username="lib")
    client.force_login(librarian)
    bar = client.get("/staff/network/branches/").context["staff_nav"]
    urls = {item["url"] for item in bar}
    assert "/staff/network/branches/" in urls
    assert "/staff/network/structure/" not in urls or librarian.has_perm("network.view_orgunit")
    for item in bar:
        assert item["app"] == "network"
