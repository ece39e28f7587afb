"""REST API of volunteers under /api/v1/volunteers/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
