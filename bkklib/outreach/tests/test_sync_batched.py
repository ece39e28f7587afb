"""The sync applies a batch through circulation's lending batch: the same loans, statuses and conflicts as the
single verbs one action at a time, and a number of queries that does not grow with the batch."""
import random
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.dateparse import parse_datetime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services as circulation
from bkklib.circulation.models import Loan, Patron, PatronBlock
from bkklib.circulation.tests.factories import LoanPolicyFactory, PatronFactory, category
from bkklib.core.exceptions import DomainError
from bkklib.outreach import rules, services
from bkklib.outreach.deposits import recalled_deposit_of
from bkklib.outreach.exceptions import CONFLICTS
from bkklib.outreach.models import DepositCollection

from .conftest import at

UNKNOWN = "9999999999999"


def action(kind, when, seq, **fields):
    return {"action_id": uuid.uuid4().hex, "kind": kind, "happened_at": when.isoformat(), "seq": seq, **fields}


def one_by_one(house, actions) -> dict:
    """The single verbs, one action at a time in its own savepoint: how the sync applied a batch before."""
    answers = {}
    queued = [rules.QueuedAction(a["action_id"], a["kind"], parse_datetime(a["happened_at"]), a["seq"])
              for a in actions]
    by_id = {a["action_id"]: a for a in actions}
    for q in rules.apply_order(queued):
        a = by_id[q.action_id]
        try:
            with transaction.atomic():
                item = Item.objects.filter(barcode=a["item_barcode"]).first()
                if item is None:
                    raise DomainError(CONFLICTS["unknown_barcode"], code="unknown_barcode", barcode=a["item_barcode"])
                if a["kind"] == "lend":
                    patron = Patron.objects.filter(card_number=a["card_number"]).first()
                    if patron is None:
                        raise DomainError(CONFLICTS["unknown_card"], code="unknown_card", card=a["card_number"])
                    if recalled_deposit_of(item.pk) is not None:
                        raise DomainError(CONFLICTS["deposit_recalled"], code="deposit_recalled", barcode=item.barcode)
                    circulation.checkout(item=item, patron=patron, staff=house.volunteer, desk=house.house,
                                         now=q.happened_at)
                else:
                    loan = Loan.objects.open().filter(item=item).first()
                    if loan is None or loan.checked_out_at > q.happened_at:
                        raise DomainError(CONFLICTS["already_returned"], code="already_returned",
                                          barcode=item.barcode)
                    circulation.checkin(item=item, staff=house.volunteer, desk=house.house, now=q.happened_at)
            answers[a["action_id"]] = ("applied", "", "")
        except DomainError as error:
            answers[a["action_id"]] = ("conflict", error.code, error.text[:400])
    return answers


def synced_on(now):
    def synced(house, actions) -> dict:
        result = services.sync(user=house.volunteer, actions=actions, now=now)
        return {r.action_id: (r.status, r.code, r.message) for r in result.results}

    return synced


synced = synced_on(at(4, 18))


def stored(house) -> dict:
    return {
        "loans": sorted((x.item.barcode, x.patron.card_number, x.checked_out_at, x.due_on, x.returned_at,
                         x.branch_id, x.returned_branch_id) for x in Loan.objects.select_related("item", "patron")),
        "items": {i.barcode: Item.objects.get(pk=i.pk).status for i in house.items},
        "loan_history": sorted(((h.item_id, h.history_type, h.returned_at, h.history_user_id)
                                for h in Loan.history.all()), key=repr),
        "item_history": sorted(((h.id, h.history_type, h.status, h.history_user_id, h.history_change_reason)
                                for h in Item.history.filter(id__in=[i.pk for i in house.items])), key=repr),
    }


def outcome(house, runner, actions):
    with translation.override("th"), transaction.atomic():
        answers = runner(house, actions)
        rows = stored(house)
        transaction.set_rollback(True)
    return answers, rows


@pytest.fixture
def crowd(house):
    """The house of conftest with a loan limit of 2, a blocked patron, and item 1 lent then returned at the library."""
    LoanPolicyFactory(branch=house.house, category=category("adult"), max_loans=2)
    blocked = PatronFactory(home_branch=house.library)
    PatronBlock.objects.create(patron=blocked, reason="ค้างส่งหนังสือ", created_at=at(1, 9))
    other = PatronFactory(home_branch=house.library)
    returned = house.items[1]
    circulation.checkout(item=returned, patron=other, staff=house.volunteer, desk=house.house, now=at(3, 9))
    circulation.checkin(item=returned, staff=house.librarian, desk=house.library, now=at(3, 15))
    house.cards = [house.patron.card_number, other.card_number, blocked.card_number, "0000000"]
    return house


def test_a_mixed_day_gives_the_conflicts_of_the_single_verbs(crowd):
    a, b, c, d, _e = (i.barcode for i in crowd.items)
    me, other, blocked, _unknown = crowd.cards
    day = [
        action("lend", at(4, 9), 1, item_barcode=a, card_number=me),
        action("lend", at(4, 9, 5), 2, item_barcode=c, card_number=blocked),  # blocked patron
        action("lend", at(4, 9, 10), 3, item_barcode=a, card_number=other),  # lent twice in the batch
        action("lend", at(4, 9, 15), 4, item_barcode=c, card_number=me),
        action("lend", at(4, 9, 20), 5, item_barcode=d, card_number=me),  # over the limit of 2
        action("lend", at(4, 9, 25), 6, item_barcode=UNKNOWN, card_number=me),  # unknown barcode
        action("return", at(4, 10), 7, item_barcode=b),  # returned at the library meanwhile
        action("return", at(4, 11), 8, item_barcode=a),
        action("lend", at(4, 11, 5), 9, item_barcode=d, card_number=me),  # within the limit again
        action("lend", at(4, 11, 10), 10, item_barcode=a, card_number=other),
    ]
    shuffled = day[:]
    random.Random(7).shuffle(shuffled)
    single = outcome(crowd, one_by_one, shuffled)
    batch = outcome(crowd, synced, shuffled)
    assert [single[0][x["action_id"]][1] for x in day] == [
        "", "patron_blocked", "item_on_loan", "", "loan_limit", "unknown_barcode", "already_returned", "", "", ""]
    assert batch == single
    assert "ค้างส่งหนังสือ" in single[0][day[1]["action_id"]][2]


def test_a_recalled_deposit_gives_the_conflicts_of_the_single_verbs(house):
    a, b, c = house.items[:3]
    circulation.checkout(item=a, patron=house.patron, staff=house.volunteer, desk=house.house, now=at(4, 9))
    services.recall_deposit(deposit=DepositCollection.objects.get(code="dep-1"), by=house.librarian, now=at(10, 9))
    day = [action("lend", at(10, 10), 1, item_barcode=b.barcode, card_number=house.patron.card_number),
           action("return", at(10, 11), 2, item_barcode=a.barcode),
           action("lend", at(10, 12), 3, item_barcode=a.barcode, card_number=house.patron.card_number),
           action("return", at(10, 13), 4, item_barcode=c.barcode)]
    single, batch = outcome(house, one_by_one, day), outcome(house, synced_on(at(10, 18)), day)
    assert [single[0][x["action_id"]][1] for x in day] == ["deposit_recalled", "", "deposit_recalled",
                                                           "already_returned"]
    assert batch == single


ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("lend"), st.integers(0, 5), st.integers(0, 3)),  # item 5: the unknown barcode
    st.tuples(st.just("return"), st.integers(0, 5), st.just(0)),
), min_size=1, max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=ACTIONS, seed=st.integers(0, 1000))
def test_any_mixed_batch_gives_the_loans_statuses_and_conflicts_of_the_single_verbs(crowd, script, seed):
    barcodes = [i.barcode for i in crowd.items] + [UNKNOWN]
    actions = []
    for seq, (kind, item, patron) in enumerate(script):
        fields = {"item_barcode": barcodes[item]}
        if kind == "lend":
            fields["card_number"] = crowd.cards[patron]
        actions.append(action(kind, at(4, 9) + timedelta(minutes=seq // 2), seq, **fields))  # some share a minute
    random.Random(seed).shuffle(actions)
    assert outcome(crowd, synced, actions) == outcome(crowd, one_by_one, actions)


def _day(house, items, patrons, start):
    """Each item lent to one patron, then all returned: 2 actions per item."""
    out = [action("lend", start + timedelta(seconds=k), k, item_barcode=i.barcode, card_number=p.card_number)
           for k, (i, p) in enumerate(zip(items, patrons, strict=True))]
    out += [action("return", start + timedelta(hours=1, seconds=k), len(items) + k, item_barcode=i.barcode)
            for k, i in enumerate(items)]
    return out


def test_the_queries_of_a_sync_do_not_grow_with_the_number_of_actions(house):
    items = [ItemFactory(branch=house.house) for _ in range(55)]
    patrons = [PatronFactory(home_branch=house.library) for _ in range(55)]
    counts = {}
    for n, start in ((5, at(4, 9)), (50, at(4, 12))):
        chosen, lenders = (items[:5], patrons[:5]) if n == 5 else (items[5:], patrons[5:])
        actions = _day(house, chosen, lenders, start)
        with CaptureQueriesContext(connection) as queries:
            result = services.sync(user=house.volunteer, actions=actions, now=at(4, 18))
        assert result.count("applied") == 2 * n
        counts[2 * n] = len(queries)
    assert counts[100] - counts[10] <= 3, counts  # 43 and 43 on both databases when written
    assert counts[100] < 60, counts
    assert all(Item.objects.get(pk=i.pk).status == "available" for i in items)
    assert Loan.objects.filter(returned_at__isnull=False).count() == 55
