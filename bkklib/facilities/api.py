"""REST API of facilities under /api/v1/facilities/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
