"""Public pages of the website."""
from django.shortcuts import render

from bkklib.network.models import Branch


def home(request):
    """The public home page: the library directory of the network."""
    branches = Branch.objects.select_related("district").order_by("kind", "name_th")
    return render(request, "opac/home.html", {"branches": branches})
