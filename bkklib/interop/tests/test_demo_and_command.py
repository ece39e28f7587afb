"""The demo terminal and the terminal command."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bkklib.interop import demo, services
from bkklib.interop.models import Sip2Terminal
from bkklib.network.models import Assignment
from bkklib.network.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_demo_terminal_is_created_once_and_can_log_in():
    BranchFactory(code="demo01")
    demo.run(stdout=StringIO())
    demo.run()
    terminal = Sip2Terminal.objects.get()
    assert services.authenticate(demo.LOGIN, demo.PASSWORD) == terminal
    assert services.authenticate(demo.LOGIN, "wrong") is None
    assert Assignment.objects.filter(staff__user=terminal.user, branch=terminal.branch).exists()
    assert not terminal.user.has_usable_password()


def test_terminal_command_and_its_refusals():
    BranchFactory(code="cmd01")
    out = StringIO()
    call_command("sip2_terminal", "gate1", "--branch", "cmd01", "--password", "gate-pass-1", "--charset", "tis-620",
                 "--dates", "be", stdout=out)
    terminal = Sip2Terminal.objects.get(login="gate1")
    assert (terminal.charset, terminal.date_style, terminal.error_detection) == ("tis-620", "be", True)
    with pytest.raises(CommandError, match="เครื่องอื่นใช้อยู่แล้ว"):
        call_command("sip2_terminal", "gate1", "--branch", "cmd01", "--password", "gate-pass-1")
    with pytest.raises(CommandError, match="8"):
        call_command("sip2_terminal", "gate2", "--branch", "cmd01", "--password", "short")
    with pytest.raises(CommandError, match="nope"):
        call_command("sip2_terminal", "gate3", "--branch", "nope", "--password", "gate-pass-1")
    assert Sip2Terminal.objects.count() == 1
