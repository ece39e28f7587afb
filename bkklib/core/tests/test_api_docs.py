"""/api/docs/ is served from the product's own static files, so it works on a closed network."""
import re
from urllib.parse import urlparse

from django.contrib.staticfiles import finders

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def test_the_api_docs_page_loads_swagger_ui_only_from_local_static_files(client):
    page = client.get("/api/docs/").content.decode()

    assets = ASSET.findall(page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert not urlparse(asset).netloc, f"{asset} comes from another host"
        if asset.startswith("/api/docs/?"):  # the start-up script, a file of its own under the CSP (issue 30)
            assert client.get(asset)["Content-Type"].startswith("application/javascript")
            continue
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file of the product"
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


def test_the_swagger_ui_bundle_is_served(client):
    page = client.get("/api/docs/").content.decode()
    bundle = next(a for a in ASSET.findall(page) if a.endswith("swagger-ui-bundle.js"))

    response = client.get(bundle)

    assert response.status_code == 200
    assert b"SwaggerUI" in b"".join(response.streaming_content if response.streaming else [response.content])
