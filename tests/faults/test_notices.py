"""The huey consumer killed while it sends notices: each notice reaches the patron exactly once.

A real consumer process (``bkklib run_huey``, production settings) sends the day's overdue notices
through a real SMTP server that takes its time; it is killed (SIGKILL) in the middle. Its task is
lost with it, as huey loses a running task; recovery is what an operator does (or the next 07:00
run): start the consumer and run the notices again. Afterwards every patron has received the
notice once, none twice, and every Notice row says sent.
"""
import asyncio
import signal
import subprocess
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.models import Notice
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

from .conftest import MANAGE, PYTHON, ROOT, free_port

PATRONS = 6


class SlowSmtp:
    """A real SMTP server whose RCPT takes 0.3 s; a message counts once its DATA is accepted."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: list[str] = []
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                await asyncio.sleep(0.3)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                sink.received.extend(envelope.rcpt_tos)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)


@pytest.fixture
def smtp():
    server = SlowSmtp()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def queue(app_env):
    """Point this process's huey at the consumer's queue file, so calling a task enqueues it there."""
    from huey.contrib.djhuey import HUEY as huey

    saved = huey.storage_kwargs, huey.immediate
    huey.storage_kwargs = {**saved[0], "filename": f"{app_env['BKKLIB_VAR_DIR']}/huey.sqlite3"}
    huey.immediate = False
    huey.storage = huey.create_storage()
    yield huey
    huey.storage_kwargs, huey.immediate = saved
    huey.storage = huey.create_storage()


def overdue_loans():
    branch = BranchFactory()
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    today = timezone.localdate()
    tuesday = today - timedelta(days=60 + (today.weekday() - 1) % 7)
    lent = datetime.combine(tuesday, datetime.min.time().replace(hour=10), tzinfo=ZoneInfo("Asia/Bangkok"))
    patrons = [PatronFactory(home_branch=branch) for _ in range(PATRONS)]
    for patron in patrons:
        services.checkout(item=ItemFactory(branch=branch), patron=patron, staff=staff, desk=branch, now=lent)
    return patrons


def start_consumer(app_env, smtp, log):
    env = {**app_env, "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}
    return subprocess.Popen([PYTHON, MANAGE, "run_huey", "--workers", "1", "--no-periodic"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def test_killing_the_consumer_while_it_sends_notices_sends_each_once(app_env, smtp, queue, tmp_path):
    from bkklib.circulation.tasks import daily_notices

    patrons = overdue_loans()
    with open(tmp_path / "consumer.log", "wb") as log:
        consumer = start_consumer(app_env, smtp, log)
        daily_notices()  # enqueued for the consumer
        deadline = time.monotonic() + 60
        while len(smtp.received) < 3:
            assert time.monotonic() < deadline and consumer.poll() is None, (tmp_path / "consumer.log").read_text()
            time.sleep(0.02)
        time.sleep(0.15)  # inside the next message's SMTP exchange
        consumer.send_signal(signal.SIGKILL)
        consumer.wait()
        time.sleep(0.5)
        killed_at = len(smtp.received)
        assert 3 <= killed_at < PATRONS
        assert Notice.objects.count() == killed_at  # the notice in flight left no row behind

        consumer = start_consumer(app_env, smtp, log)  # recovery: the consumer again, the day's run again
        try:
            daily_notices()
            while len(smtp.received) < PATRONS or Notice.objects.exclude(status=Notice.Status.SENT).exists() \
                    or Notice.objects.count() < PATRONS:
                assert time.monotonic() < deadline + 30, (tmp_path / "consumer.log").read_text()
                time.sleep(0.05)
            daily_notices()  # a further run (tomorrow's, or an operator's) sends nothing again
            time.sleep(1)
        finally:
            consumer.send_signal(signal.SIGTERM)
            consumer.wait(timeout=20)
    assert sorted(smtp.received) == sorted(p.email for p in patrons)  # each once: none lost, none twice
    assert Notice.objects.filter(status=Notice.Status.SENT).count() == PATRONS
