"""REST API of outreach under /api/v1/outreach/ (wired by bkklib/api_urls.py)."""
urlpatterns = []
