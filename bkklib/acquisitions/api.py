"""REST API of acquisitions under /api/v1/acquisitions/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
