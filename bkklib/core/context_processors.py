"""Template context shared by every page."""
from django.conf import settings


def bkklib(request):
    """Add site-wide values (the site URL) to every template."""
    return {"SITE_URL": settings.BKKLIB["SITE_URL"]}
