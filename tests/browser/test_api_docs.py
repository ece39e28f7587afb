"""/api/docs/ renders its operations with every other host blocked (a closed network)."""
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def open_docs(page, live_server) -> list[str]:
    """Open /api/docs/ with every other host blocked; return the foreign addresses it asked for."""
    own = urlparse(live_server.url).netloc
    foreign: list[str] = []

    def only_own_host(route):
        if urlparse(route.request.url).netloc in (own, ""):
            return route.continue_()
        foreign.append(route.request.url)
        return route.abort()

    page.route("**/*", only_own_host)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    return foreign


def test_api_docs_render_operations_with_the_network_to_other_hosts_blocked(page, live_server, shoot):
    foreign = open_docs(page, live_server)
    assert page.locator(".opblock").count() > 10
    assert page.get_by_text("/api/v1/acquisitions/funds/").first.is_visible()
    assert foreign == []
    shoot(page, "api-docs")


@pytest.mark.xfail(strict=False, reason="known defect: since the outreach set-up endpoints joined the schema "
                   "(merge 18a39d9), Swagger UI lists only the first 13 operations (acquisitions), with no "
                   "console error; the schema validates (spectacular --validate); cause not found yet")
def test_api_docs_list_every_resource(page, live_server):
    open_docs(page, live_server)
    page.get_by_text("/api/v1/branches/").first.wait_for(state="visible", timeout=20_000)
