"""Faults under the web tier: a worker killed mid-checkouts, PostgreSQL restarted during a burst.

gunicorn (two sync workers, the production settings) serves desk clients that retry as a desk
application does. Afterwards every loan exists exactly once; while PostgreSQL is down the API
answers 503 problem JSON with Retry-After and the staff checkout page a Thai 503 page, never a 500.
"""
import os
import signal
import time

import requests
from django.test import Client

from bkklib.circulation.models import Patron

from .desk import assert_every_loan_once, created_so_far, open_desk, run_clients


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_killing_web_workers_mid_checkouts_loses_and_doubles_no_loan(web):
    desk = open_desk(24)
    results, finished = run_clients(web.url, desk)
    for kills in (4, 14):  # two workers die at different moments of the burst
        wait_until(lambda k=kills: created_so_far(desk) >= k or finished.is_set())
        os.kill(web.workers()[0], signal.SIGKILL)
    finished.wait(90)
    assert_every_loan_once(desk, results)
    assert not [a for a in desk.answers if a[1] not in (201, 409, "connection")], desk.answers
    assert len(web.workers()) == 2  # gunicorn replaced the killed workers


def test_postgres_restart_during_a_circulation_burst_gives_503_then_every_loan_once(web, cluster):
    desk = open_desk(24)
    patron_id = Patron.objects.first().pk
    browser = Client()
    browser.force_login(desk.staff)
    session = browser.cookies["sessionid"].value
    results, finished = run_clients(web.url, desk)
    wait_until(lambda: created_so_far(desk) >= 6 or finished.is_set())
    cluster.stop()
    try:
        # What a librarian sees meanwhile: the API says 503 in problem JSON, the checkout page a Thai 503 page.
        api = requests.post(f"{web.url}/api/v1/circulation/checkout/", timeout=10,
                            json={"item_barcode": desk.pairs[-1][0], "patron_card": desk.pairs[-1][1]},
                            headers={"Authorization": f"Token {desk.token}", "Accept-Language": "th"})
        page = requests.get(f"{web.url}/staff/circulation/checkout/{patron_id}/", cookies={"sessionid": session},
                            timeout=10)
        time.sleep(1.0)  # the clients keep trying while the database is away
    finally:
        cluster.start()
    finished.wait(90)
    assert api.status_code == 503 and api.headers["Retry-After"] == "30", api.text
    assert api.json()["title"] == "ระบบไม่พร้อมให้บริการชั่วคราว" and api.json()["code"] == "unavailable"
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in page.text and "Traceback" not in page.text and "<html lang=\"th\">" in page.text
    assert_every_loan_once(desk, results)
    assert any(status == 503 or status == "connection" for _b, status in desk.answers), "the restart went unnoticed"
