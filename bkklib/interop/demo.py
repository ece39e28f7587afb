"""Demo data of the standard protocols (idempotent): one SIP2 self-check terminal at the city library and
two copy-cataloguing targets (this catalogue's own /sru; the Library of Congress, switched off: it
needs the internet).

Log in from any SIP2 client to 127.0.0.1:6001 with ``selfcheck1`` / ``selfcheck-demo`` (``make run``
starts the server); demo cards and PIN: docs/admin/circulation.md.
"""
from bkklib.network.models import Branch

from . import services
from .models import Sip2Terminal

LOGIN, PASSWORD = "selfcheck1", "selfcheck-demo"


def run(*, stdout=None, scale: float = 1.0) -> None:
    from django.conf import settings

    from .models import CopyTarget

    CopyTarget.objects.get_or_create(name="bkklib (this catalogue, SRU)", defaults={
        "kind": CopyTarget.Kind.SRU, "address": f"{settings.BKKLIB['SITE_URL']}/sru", "order": 10})
    CopyTarget.objects.get_or_create(name="Library of Congress (SRU)", defaults={
        "kind": CopyTarget.Kind.SRU, "address": "http://lx2.loc.gov:210/LCDB", "sru_version": "1.1",
        "enabled": False, "order": 20})
    if Sip2Terminal.objects.filter(login=LOGIN).exists():
        return
    branch = (Branch.objects.filter(kind=Branch.Kind.CITY_LIBRARY).order_by("code").first()
              or Branch.objects.order_by("code").first())
    if branch is None:
        return
    services.create_terminal(login=LOGIN, password=PASSWORD, name="ตู้ยืมคืนด้วยตนเอง (ข้อมูลสาธิต)", branch=branch)
    if stdout:
        stdout.write(f"  interop: SIP2 terminal {LOGIN} at {branch.code}")
