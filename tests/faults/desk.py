"""A day at the desk for the fault scenarios: a branch, a librarian with an API token, items, patrons.

Clients send checkouts the way a desk application does: on a dropped connection or a 503 they
wait and send the same checkout again; "already on loan" after a retry means the first attempt
was saved. The invariants are checked in the database afterwards.
"""
import threading
import time
from dataclasses import dataclass, field

import requests
from rest_framework.authtoken.models import Token

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation.models import Loan
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user


@dataclass
class Desk:
    branch: object
    staff: object
    token: str
    pairs: list  # (item barcode, patron card) to lend
    answers: list = field(default_factory=list)  # (barcode, status or "connection") of every attempt


def open_desk(loans: int) -> Desk:
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    patrons = [PatronFactory(home_branch=branch) for _ in range((loans + 2) // 3)]
    items = [ItemFactory(branch=branch) for _ in range(loans)]
    return Desk(branch=branch, staff=staff, token=Token.objects.create(user=staff).key,
                pairs=[(item.barcode, patrons[i // 3].card_number) for i, item in enumerate(items)])


def checkout_until_answered(url: str, desk: Desk, barcode: str, card: str, deadline: float) -> str:
    """POST one checkout, again after a dropped connection or a 503; return "created" or "already"."""
    while time.monotonic() < deadline:
        try:
            response = requests.post(
                f"{url}/api/v1/circulation/checkout/", timeout=15,
                json={"item_barcode": barcode, "patron_card": card, "desk": desk.branch.code},
                headers={"Authorization": f"Token {desk.token}", "Accept-Language": "th"})
        except requests.RequestException:  # dropped connection, reset, or no answer in time
            desk.answers.append((barcode, "connection"))
            time.sleep(0.1)
            continue
        desk.answers.append((barcode, response.status_code))
        if response.status_code == 201:
            return "created"
        if response.status_code == 409 and response.json().get("code") == "item_on_loan":
            return "already"  # an earlier attempt was saved before its answer was lost
        if response.status_code == 503:
            assert response.headers["Content-Type"].startswith("application/problem+json")
            assert response.headers["Retry-After"] and response.json()["code"] == "unavailable"
            time.sleep(0.2)
            continue
        return f"unexpected {response.status_code}: {response.text[:500]}"
    return "gave up"


def run_clients(url: str, desk: Desk, *, clients: int = 3, timeout: float = 60) -> tuple[list[str], threading.Event]:
    """Start ``clients`` desk threads over the pairs; return their results list and a 'finished' event."""
    results = [None] * len(desk.pairs)
    finished = threading.Event()
    deadline = time.monotonic() + timeout

    def client(k):
        for i in range(k, len(desk.pairs), clients):
            try:
                results[i] = checkout_until_answered(url, desk, *desk.pairs[i], deadline)
            except Exception as exc:  # reported by the invariant check, not lost in a thread
                results[i] = f"client error: {exc!r}"

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()

    def wait():
        for t in threads:
            t.join()
        finished.set()

    threading.Thread(target=wait, daemon=True).start()
    return results, finished


def created_so_far(desk: Desk) -> int:
    return sum(1 for _barcode, status in list(desk.answers) if status == 201)


def assert_every_loan_once(desk: Desk, results: list) -> None:
    """No loan lost, none doubled: each item lent exactly once, to its patron, and on loan."""
    assert all(r in ("created", "already") for r in results), results
    by_item = {}
    for barcode, card in Loan.objects.values_list("item__barcode", "patron__card_number"):
        by_item.setdefault(barcode, []).append(card)
    assert by_item == {barcode: [card] for barcode, card in desk.pairs}
    assert set(Item.objects.filter(barcode__in=by_item).values_list("status", flat=True)) == {Item.Status.ON_LOAN}
