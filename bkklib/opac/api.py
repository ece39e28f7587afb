"""REST API of the opac app (wired under /api/v1/ by bkklib/api_urls.py)."""

urlpatterns: list = []
