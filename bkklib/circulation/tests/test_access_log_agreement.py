"""Agreement test of the PDPA access log: every staff page and API call that shows a patron logs it one way.

``services.log_access`` is the one helper; the desk, the patron pages and the API all go through it,
so each look leaves one entry with the same subject, user and action, and the patron's own PDPA
export lists them all.
"""
import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bkklib.circulation import services
from bkklib.core.models import AccessLog
from bkklib.core.pdpa import subject_of
from bkklib.network import access

pytestmark = pytest.mark.django_db


def test_every_adapter_that_shows_a_patron_logs_the_same_entry(client, desk):
    patron, staff = desk.patron, desk.staff
    client.force_login(staff)
    session = client.session
    session[access.DESK_SESSION_KEY] = desk.branch.pk
    session.save()
    call_command("drf_create_token", staff.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=staff).key}")

    looks = [
        ("view", lambda: client.get(reverse("circulation:desk"), {"card": patron.card_number})),
        ("view", lambda: client.get(reverse("circulation:patron-detail", args=[patron.pk]))),
        ("change", lambda: client.get(reverse("circulation:patron-edit", args=[patron.pk]))),
        ("print_card", lambda: client.get(reverse("circulation:patron-card", args=[patron.pk]))),
        ("export", lambda: client.get(reverse("circulation:patron-export", args=[patron.pk]))),
        ("view", lambda: api.get("/api/v1/patrons/", {"card": patron.card_number})),
        ("view", lambda: api.get(f"/api/v1/patrons/{patron.pk}/")),
        ("view", lambda: api.get(f"/api/v1/patrons/{patron.pk}/loans/")),
    ]
    for action, look in looks:
        before = AccessLog.objects.count()
        assert look().status_code == 200
        entry = AccessLog.objects.order_by("-pk").first()
        assert AccessLog.objects.count() == before + 1, action
        assert (entry.subject, entry.user, entry.action) == (subject_of(patron), staff, action)

    exported = services.export_patron_data(patron)["accesses"]
    assert sorted(a["action"] for a in exported) == sorted(action for action, _look in looks)
