"""REST API of cases under /api/v1/cases/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
