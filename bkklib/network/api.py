"""REST API of the network app (wired under /api/v1/ by bkklib/api_urls.py)."""

urlpatterns: list = []
