"""WSGI entry point (gunicorn bkklib.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
application = get_wsgi_application()
