"""Demo data of the standard protocols: one SIP2 self-check terminal at the city library (idempotent).

Log in from any SIP2 client to 127.0.0.1:6001 with ``selfcheck1`` / ``selfcheck-demo`` (``make run``
starts the server); demo cards and PIN: docs/admin/circulation.md.
"""
from bkklib.network.models import Branch

from . import services
from .models import Sip2Terminal

LOGIN, PASSWORD = "selfcheck1", "selfcheck-demo"


def run(*, stdout=None, scale: float = 1.0) -> None:
    if Sip2Terminal.objects.filter(login=LOGIN).exists():
        return
    branch = (Branch.objects.filter(kind=Branch.Kind.CITY_LIBRARY).order_by("code").first()
              or Branch.objects.order_by("code").first())
    if branch is None:
        return
    services.create_terminal(login=LOGIN, password=PASSWORD, name="ตู้ยืมคืนด้วยตนเอง (ข้อมูลสาธิต)", branch=branch)
    if stdout:
        stdout.write(f"  interop: SIP2 terminal {LOGIN} at {branch.code}")
