"""REST API of comms under /api/v1/comms/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
