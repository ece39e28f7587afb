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


def test_api_docs_list_every_operation_as_the_reader_scrolls(page, live_server):
    """Swagger UI renders only the operations near the viewport (a virtual list): every path of
    the schema must come into view as a reader scrolls to the end."""
    open_docs(page, live_server)
    schema = page.request.get(f"{live_server.url}/api/schema/?format=json").json()
    seen: set[str] = set()
    for _ in range(200):
        seen.update(page.locator(".opblock-summary-path").all_inner_texts())
        if page.evaluate("() => window.innerHeight + window.scrollY >= document.body.scrollHeight - 2"):
            break
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)
    assert set(schema["paths"]) - seen == set()
