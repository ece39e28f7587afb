"""The project's URLs plus two views that crash, to see the 500 page of each part of the site."""
from django.urls import path

from bkklib.urls import handler400, handler403, handler404, handler500
from bkklib.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def crash(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("staff/crash/", crash), path("crash/", crash), *project_urlpatterns]
