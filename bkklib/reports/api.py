"""REST API of reports under /api/v1/reports/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
