"""Must show (issue 30): two web nodes behind a proxy and one worker, sharing PostgreSQL and Redis, pass a
scripted day of desk work over real HTTP with no lost or doubled loan.

The stack (conftest.py, stack.py): two gunicorn processes (two workers each) on their own ports, the
shipped nginx site in front (round robin; a tiny Python proxy where nginx is missing), one huey
consumer, one PostgreSQL database, Redis database 5. Four librarians log in through the staff page and
work their shelves at the same time (checkout, renew, checkin), all four scan the same copies at the
same moment, patrons search the OPAC, sign in, reserve a title and renew a loan, the return of the
reserved copy traps it and the worker mails the patron, the holder collects it, an overdue return
brings a fine and the patron pays it. Then the database, the metrics and the logs are checked.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .desk import Desk, Reader

pytestmark = pytest.mark.deploy


def metric(text: str, name: str, **labels) -> float:
    """Sum the samples of ``name`` whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        sample_labels = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(sample_labels.get(k) == v for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def desk_shift(desk: Desk, shelf: list[str], patron: str, start: threading.Barrier) -> None:
    start.wait()
    for barcode in shelf:
        assert desk.post("checkout", barcode, patron_card=patron).status == 201, desk.last.text
        assert desk.post("renew", barcode).status == 200, desk.last.text
        assert desk.post("checkin", barcode).status == 200, desk.last.text


def race(desks: list[Desk], barcode: str, patrons: list[str], start: threading.Barrier) -> None:
    """Every desk scans the same copy for its own patron at the same moment."""
    with ThreadPoolExecutor(len(desks)) as pool:
        def scan(k):
            start.wait()
            return desks[k].post("checkout", barcode, patron_card=patrons[k])

        results = list(pool.map(scan, range(len(desks))))
    winners = [k for k, r in enumerate(results) if r.status == 201]
    assert len(winners) == 1, [(r.status, r.code) for r in results]
    assert all(r.status == 409 for r in results if r.status != 201), [(r.status, r.code) for r in results]
    assert desks[winners[0]].post("checkin", barcode).status == 200


def test_a_day_of_desk_work_on_two_nodes_loses_and_doubles_no_loan(stack, smtp):
    world, base = stack.world, stack.base
    started = time.time()
    day_start = stack.query("SELECT now()")[0][0]

    # Both nodes and the proxy say they are ready, with the production profile's shared state.
    for port in stack.node_ports:
        ready = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10).json()
        assert ready["status"] == "ready", ready
        assert ready["checks"]["database"]["vendor"] == "postgresql"
        assert ready["checks"]["redis"] == {"ok": True, "configured": True}
        assert ready["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert requests.get(f"{base}/healthz", verify=stack.ca, timeout=10).json() == {"status": "ok"}
    # Every worker loaded the search index's in-memory values before its first request (deploy/gunicorn.conf.py).
    deadline = time.monotonic() + 20
    def warmed():
        return [stack.log(f"web{n}").count("search values loaded in") for n in range(len(stack.node_ports))]
    while warmed() != [stack.workers] * len(stack.node_ports) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert warmed() == [stack.workers] * len(stack.node_ports), stack.log("web0")[-2000:]

    desks = [Desk(base, name, world["password"], world["branch"], ca=stack.ca) for name in world["desks"]]
    for desk in desks:
        desk.log_in()  # the session is made on one node and read by the other on the next request

    # Morning on the OPAC: a reader finds the title out on loan, signs in, reserves it.
    hold = world["hold"]
    holder = Reader(base, hold["holder"], world["pin"], ca=stack.ca)
    assert hold["title"] in holder.search("ประวัติศาสตร์ห้องสมุด")
    holder.sign_in()
    placed = holder.form_post(f"/records/{hold['record']}/hold/", f"/records/{hold['record']}/",
                              branch=world["branch"])
    assert placed.status_code == 302 and placed.headers["Location"].endswith("/account/"), placed.status_code
    # Another renews a loan from the account page.
    owner = Reader(base, world["own"]["patron"], world["pin"], ca=stack.ca)
    owner.sign_in()
    renewed = owner.form_post(f"/account/loans/{world['own']['loan']}/renew/", "/account/")
    assert renewed.status_code == 302

    # The desks work their shelves at the same time, then all scan the same copies at once.
    start = threading.Barrier(len(desks))
    with ThreadPoolExecutor(len(desks)) as pool:
        shifts = [pool.submit(desk_shift, desk, world["shelves"][k], world["desk_patrons"][k], start)
                  for k, desk in enumerate(desks)]
        for shift in shifts:
            shift.result()
    for barcode in world["contested"]:
        race(desks, barcode, world["desk_patrons"], threading.Barrier(len(desks)))

    # The reserved copy comes back: trapped for the holder; the worker mails them; they collect it.
    back = desks[0].post("checkin", hold["barcode"])
    assert back.status == 200 and desks[0].last.json()["hold"], desks[0].last.text
    assert desks[2].post("checkout", hold["barcode"], patron_card=hold["holder"]).status == 201, desks[2].last.text
    # The overdue return brings a fine; the patron pays it at another desk.
    late = world["late"]
    assert desks[1].post("checkin", late["barcode"]).status == 200
    fine = desks[1].last.json()["fine"]
    assert fine and float(fine["amount"]) > 0, desks[1].last.text
    paid = desks[3].post("pay", "", patron_card=late["patron"], amount=fine["amount"])
    assert paid.status == 201 and desks[3].last.json()["balance_after"] == "0.00", desks[3].last.text

    # --- No lost and no doubled loan -------------------------------------------------------------
    outcomes = [o for desk in desks for o in desk.outcomes]
    lent = Counter(o.barcode for o in outcomes if o.op == "checkout" and o.status == 201)
    renewals = sum(1 for o in outcomes if o.op == "renew" and o.status == 200)
    assert stack.query("SELECT item_id FROM circulation_loan WHERE returned_at IS NULL "
                       "GROUP BY item_id HAVING COUNT(*) > 1") == []
    stored = dict(stack.query(
        "SELECT i.barcode, COUNT(*) FROM circulation_loan l JOIN catalog_item i ON i.id = l.item_id "
        "WHERE l.checked_out_at >= %s GROUP BY i.barcode", [day_start]))
    assert stored == dict(lent)  # every answered checkout is one loan; no loan nobody was told of
    assert stack.query("SELECT COALESCE(SUM(renewals), 0) FROM circulation_loan WHERE checked_out_at >= %s",
                       [day_start])[0][0] == renewals
    worked = [b for shelf in world["shelves"] for b in shelf] + world["contested"]
    assert stack.query("SELECT COUNT(*) FROM catalog_item WHERE barcode = ANY(%s) AND status <> 'available'",
                       [worked])[0][0] == 0
    assert stack.query("SELECT COUNT(*) FROM circulation_loan l JOIN catalog_item i ON i.id = l.item_id "
                       "WHERE i.barcode = ANY(%s) AND l.returned_at IS NULL", [worked])[0][0] == 0
    assert stack.query("SELECT h.status FROM circulation_hold h JOIN circulation_patron p ON p.id = h.patron_id "
                       "WHERE p.card_number = %s", [hold["holder"]]) == [("fulfilled",)]
    assert stack.query("SELECT i.status FROM catalog_item i WHERE i.barcode = %s", [hold["barcode"]]) == [("on_loan",)]
    assert stack.query("SELECT renewals FROM circulation_loan WHERE id = %s", [world["own"]["loan"]]) == [(1,)]
    assert stack.query("SELECT amount = paid FROM circulation_fine WHERE loan_id = %s", [late["loan"]]) == [(True,)]

    # The worker sent the hold-ready notice exactly once.
    holder_email = stack.query("SELECT email FROM circulation_patron WHERE card_number = %s", [hold["holder"]])[0][0]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(holder_email in m["to"] for m in smtp.messages):
        time.sleep(0.2)
    time.sleep(0.5)
    assert sum(holder_email in m["to"] for m in smtp.messages) == 1
    assert stack.query("SELECT COUNT(*) FROM circulation_notice WHERE kind = 'hold_ready'")[0][0] == 1

    # --- Metrics: each node counted its share; together they count what the desks did ----------
    scrapes = [requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10,
                            headers={"Authorization": f"Bearer {stack.metrics_token}"}) for port in stack.node_ports]
    assert all(s.status_code == 200 for s in scrapes)
    checkouts = sum(metric(s.text, "bkklib_circulation_transactions_total", action="checkout") for s in scrapes)
    assert checkouts == sum(lent.values())
    assert sum(metric(s.text, "bkklib_circulation_transactions_total", action="renew") for s in scrapes) == renewals + 1
    for scrape in scrapes:  # round robin: both nodes served desk work
        assert metric(scrape.text, "bkklib_http_request_duration_seconds_count", view="api-circulation-checkout") > 0
        assert "bkklib_queue_depth{" in scrape.text
    worker = requests.get(f"http://127.0.0.1:{stack.worker_metrics_port}/metrics", timeout=10,
                          headers={"Authorization": f"Bearer {stack.metrics_token}"})
    assert worker.status_code == 200 and "bkklib_queue_depth{" in worker.text  # the worker's own endpoint
    assert metric(worker.text, "bkklib_queue_depth") == 0  # every task of the day was done
    assert requests.get(f"http://127.0.0.1:{stack.worker_metrics_port}/metrics", timeout=10).status_code == 404
    assert requests.get(f"http://127.0.0.1:{stack.node_ports[0]}/metrics", timeout=10).status_code == 404
    assert requests.get(f"{base}/metrics", verify=stack.ca, timeout=10,
                        headers={"Authorization": f"Bearer {stack.metrics_token}"}).status_code == 404

    # --- Logs: JSON lines with request and user ids, no personal data ------------------------------
    staff_ids = {row[0] for row in stack.query("SELECT id FROM core_user WHERE username LIKE 'desk%%'")}
    request_ids = {o.request_id for o in outcomes}
    seen_ids, seen_users = set(), set()
    for name in [f"web{n}" for n in range(len(stack.node_ports))] + ["worker"]:
        text = stack.log(name)
        for secret in world["patron_names"] + world["patrons"] + [world["password"]]:
            assert secret not in text, f"personal data in the {name} log"
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
        if name == "worker":
            assert any(line["message"].startswith("Executing bkklib.circulation.tasks.send_hold_ready_notice")
                       for line in lines)
            continue
        requests_logged = [line for line in lines if line.get("message") == "request"]
        assert requests_logged, f"{name} logged no request"
        seen_ids |= {line.get("request_id") for line in requests_logged}
        seen_users |= {line.get("user_id") for line in requests_logged}
    assert request_ids <= seen_ids  # nginx's request id is the one the application logged
    assert staff_ids <= seen_users
    assert time.time() - started < 80  # the day itself (about 30 s on the loaded 2-core machine)
