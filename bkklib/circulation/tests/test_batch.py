"""A lending batch answers and writes exactly what the single verbs do, one action after another, for less.

Each scenario runs twice on the same world, each time in a savepoint rolled back afterwards: once
with ``checkout``/``checkin`` per action (each in its own savepoint, as a caller of the single
verbs does), once through ``lending_batch``. The answers (codes and Thai messages of refusals,
due dates, destinations, fines) and what is stored afterwards (loans, item statuses, fines, holds,
transits, history rows, the index's availability) must be the same.
"""
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.models import Fine, Hold, Loan, PatronBlock, Transit
from bkklib.core import roles
from bkklib.core.exceptions import DomainError
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user
from bkklib.search import index

from .conftest import TUE_10AM
from .factories import LoanPolicyFactory, PatronFactory, category

pytestmark = pytest.mark.django_db


@dataclass
class World:
    desk: Branch
    staff: object
    items: dict
    patrons: dict


@pytest.fixture
def world(db):
    """A desk with a loan limit of 3, another library, a reading house, items in every situation, four patrons."""
    desk = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    other = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้ดินแดง")
    house = BranchFactory(name_th="บ้านหนังสือชุมชนวัดลาดปลาดุก", kind=Branch.Kind.READING_HOUSE)
    staff = staff_user(roles.BRANCH_LIBRARIAN, desk, other)
    LoanPolicyFactory(branch=desk, category=category("adult"), max_loans=3)
    patrons = {"somsri": PatronFactory(home_branch=desk), "somchai": PatronFactory(home_branch=desk),
               "blocked": PatronFactory(home_branch=desk), "holder": PatronFactory(home_branch=desk)}
    PatronBlock.objects.create(patron=patrons["blocked"], reason="ทำหนังสือเสียหาย", created_at=TUE_10AM - timedelta(days=9))
    items = {f"shelf{k}": ItemFactory(branch=desk) for k in range(4)}
    items["withdrawn"] = ItemFactory(branch=desk, status=Item.Status.WITHDRAWN)
    # Stored in bulk, without a history row: its first change adds the baseline row first.
    items["bulk"] = Item.objects.bulk_create([Item(record=items["shelf0"].record, barcode="3199000000001",
                                                   branch=desk, item_type=items["shelf0"].item_type)])[0]
    items["visitor"] = ItemFactory(branch=other)  # comes back here: goes home in transit
    items["outpost"] = ItemFactory(branch=house)  # lent only at the reading house
    items["held"] = ItemFactory(branch=desk)  # its record has a waiting hold: a checkin traps it
    services.place_hold(record=items["held"].record, patron=patrons["holder"], pickup_branch=desk, staff=staff,
                        desk=desk, now=TUE_10AM - timedelta(days=2))
    items["late"] = ItemFactory(branch=desk)  # lent long ago: its return is fined
    services.checkout(item=items["late"], patron=patrons["somchai"], staff=staff, desk=desk,
                      now=TUE_10AM - timedelta(days=40))
    items["out"] = ItemFactory(branch=desk)  # lent yesterday
    services.checkout(item=items["out"], patron=patrons["somsri"], staff=staff, desk=desk,
                      now=TUE_10AM - timedelta(days=1))
    items["visitor"].refresh_from_db()
    return World(desk=desk, staff=staff, items=items, patrons=patrons)


def describe(answer) -> tuple:
    if isinstance(answer, Loan):
        return ("loan", answer.item.barcode, answer.patron.card_number, answer.due_on, answer.checked_out_at)
    return ("checkin", answer.was_on_loan, answer.destination, answer.fine.amount if answer.fine else None,
            answer.previous_status)


def one_by_one(world: World, script) -> list:
    answers = []
    for minute, (kind, item, patron) in enumerate(script):
        now = TUE_10AM + timedelta(minutes=minute)
        try:
            with transaction.atomic():
                if kind == "lend":
                    answer = services.checkout(item=world.items[item], patron=world.patrons[patron],
                                               staff=world.staff, desk=world.desk, now=now)
                else:
                    answer = services.checkin(item=world.items[item], staff=world.staff, desk=world.desk, now=now)
            answers.append(describe(answer))
        except DomainError as error:
            answers.append((error.code, error.text))
    return answers


def batched(world: World, script) -> list:
    answers = []
    with services.lending_batch(staff=world.staff, desk=world.desk, items=world.items.values(),
                                patrons=world.patrons.values()) as batch:
        for minute, (kind, item, patron) in enumerate(script):
            now = TUE_10AM + timedelta(minutes=minute)
            try:
                if kind == "lend":
                    answer = batch.checkout(item=world.items[item], patron=world.patrons[patron], now=now)
                else:
                    answer = batch.checkin(item=world.items[item], now=now)
                answers.append(describe(answer))
            except DomainError as error:
                answers.append((error.code, error.text))
    return answers


def rows(iterable) -> list:
    return sorted(iterable, key=repr)  # by repr: None beside dates


def state(world: World) -> dict:
    """What is stored, without keys (the two runs number their rows differently)."""
    barcode = {i.pk: name for name, i in world.items.items()}
    card = {p.pk: name for name, p in world.patrons.items()}
    loans = rows((barcode[x.item_id], card.get(x.patron_id), x.branch_id, x.checked_out_at, x.checked_out_by_id,
                  x.due_on, x.returned_at, x.end_reason, x.returned_branch_id, x.returned_by_id, x.fine_per_day,
                  x.age_band) for x in Loan.objects.all())
    loan_history = rows((barcode[h.item_id], h.checked_out_at, h.history_type, h.returned_at, h.history_user_id,
                         h.history_change_reason) for h in Loan.history.all())
    item_history = {name: [(h.history_type, h.status, h.status_changed_at, h.history_user_id, h.history_change_reason)
                           for h in Item.history.filter(id=item.pk).order_by("history_date", "history_id")]
                    for name, item in world.items.items()}
    available = {h.id for h in index.search("", filters={"availability": ["available"]}, page_size=500).hits}
    return {
        "loans": loans, "loan_history": loan_history, "item_history": item_history,
        "items": {name: Item.objects.get(pk=i.pk).status for name, i in world.items.items()},
        "fines": rows((card[f.patron_id], f.kind, f.amount, f.description) for f in Fine.objects.all()),
        "holds": rows((card[h.patron_id], h.status, barcode.get(h.trapped_item_id), h.expires_on)
                      for h in Hold.objects.all()),
        "transits": rows((barcode[t.item_id], t.to_branch_id, t.reason, t.received_at) for t in Transit.objects.all()),
        "available": {name for name, i in world.items.items() if i.record_id in available},
    }


def outcome(world: World, runner, script) -> tuple[list, dict]:
    with translation.override("th"), transaction.atomic():
        answers = runner(world, script)
        stored = state(world)
        transaction.set_rollback(True)
    return answers, stored


SCRIPT = [
    ("lend", "shelf0", "somsri"),
    ("lend", "shelf1", "blocked"),  # patron_blocked
    ("lend", "shelf0", "somchai"),  # lent twice in the batch: item_on_loan, due date named
    ("lend", "shelf1", "somsri"),  # her third loan (with "out"): the limit
    ("lend", "shelf2", "somsri"),  # loan_limit
    ("lend", "shelf3", "somsri"),  # loan_limit
    ("return", "shelf0", None),
    ("return", "shelf0", None),  # back twice: nothing to end
    ("lend", "shelf0", "somchai"),  # lent again after its return
    ("lend", "shelf3", "somsri"),  # one loan less now: allowed
    ("return", "withdrawn", None),  # checkin_refused
    ("lend", "withdrawn", "somchai"),  # item_not_available
    ("lend", "outpost", "somchai"),  # item_at_outpost
    ("return", "out", None),  # a loan made before the batch
    ("lend", "out", "somchai"),  # lent again: the loan before is closed first when written
    ("return", "late", None),  # overdue: fined (the single verb, inside the batch)
    ("lend", "visitor", "somchai"),  # fines_due: the fine just charged counts
    ("lend", "visitor", "somsri"),
    ("return", "visitor", None),  # goes home in transit (single verb)
    ("lend", "visitor", "somchai"),  # item_in_transit
    ("lend", "held", "somsri"),
    ("return", "held", None),  # trapped for the waiting hold: hold shelf (single verb)
    ("lend", "held", "somsri"),  # item_on_hold_shelf
    ("lend", "held", "holder"),  # the holder collects it: the hold is fulfilled (single verb)
    ("return", "shelf1", None),
    ("lend", "bulk", "somsri"),
    ("return", "bulk", None),
]


def test_a_batch_answers_and_stores_what_the_single_verbs_do(world):
    single, stored_single = outcome(world, one_by_one, SCRIPT)
    batch, stored_batch = outcome(world, batched, SCRIPT)
    codes = [a[0] for a in single]
    assert codes == ["loan", "patron_blocked", "item_on_loan", "loan", "loan_limit", "loan_limit", "checkin", "checkin",
                     "loan", "loan", "checkin_refused", "item_not_available", "item_at_outpost", "checkin", "loan",
                     "checkin", "fines_due", "loan", "checkin", "item_in_transit", "loan", "checkin",
                     "item_on_hold_shelf", "loan", "checkin", "loan", "checkin"]
    assert batch == single
    assert "ทำหนังสือเสียหาย" in single[1][1]  # the Thai message names the block's reason
    assert stored_batch == stored_single
    assert stored_single["items"]["held"] == "on_loan" and stored_single["items"]["visitor"] == "in_transit"
    assert [f[1] for f in stored_single["fines"]] == ["overdue"]
    assert ("holder", "fulfilled", "held") in [h[:3] for h in stored_single["holds"]]
    assert [h[0] for h in stored_single["item_history"]["bulk"]] == ["+", "~", "~"]  # baseline, lent, back


def queries_of(world: World, runner, script):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        runner(world, script)
        transaction.set_rollback(True)
    return [q["sql"] for q in queries.captured_queries]


def test_a_batch_writes_in_bulk_and_reindexes_once(world):
    script = [("lend", "shelf0", "somsri"), ("lend", "shelf1", "somsri"), ("lend", "shelf2", "somchai"),
              ("return", "shelf0", None), ("return", "out", None)]
    batch, single = queries_of(world, batched, script), queries_of(world, one_by_one, script)
    holdings = "SELECT i.record_id, b.code, i.status"  # what every reindex reads
    assert sum(holdings in q for q in single) == 5
    # One reindex, of the records of shelf1, shelf2 and out: shelf0 is back on the shelf as it was.
    [reindex] = [q for q in batch if holdings in q]
    assert sorted(int(n) for n in reindex.split("IN (")[1].split(")")[0].split(", ")) == sorted(
        world.items[name].record_id for name in ("shelf1", "shelf2", "out"))
    assert not any(q.startswith("SAVEPOINT") for q in batch[1:])  # no savepoint per action
    assert len(batch) < len(single) / 2


ACTIONS = st.one_of(
    st.tuples(st.just("lend"), st.sampled_from(["shelf0", "shelf1", "shelf2", "bulk", "out", "held", "visitor"]),
              st.sampled_from(["somsri", "somchai", "blocked", "holder"])),
    st.tuples(st.just("return"), st.sampled_from(["shelf0", "shelf1", "bulk", "out", "late", "held", "visitor"]),
              st.none()),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=st.lists(ACTIONS, min_size=1, max_size=10))
def test_any_mix_of_actions_gives_the_same_answers_and_rows(world, script):
    assert outcome(world, batched, script) == outcome(world, one_by_one, script)
