"""/api/docs/ renders its operations with every other host blocked (a closed network)."""
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_operations_with_the_network_to_other_hosts_blocked(page, live_server, shoot):
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

    assert page.locator(".opblock").count() > 10
    assert page.get_by_text("/api/v1/branches/").first.is_visible()
    assert foreign == []
    shoot(page, "api-docs")
