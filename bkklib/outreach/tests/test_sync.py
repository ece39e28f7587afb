"""The volunteer desk's sync: a day of offline actions applied in order, conflicts reported, nothing lost or doubled."""
import random
import uuid

import pytest

from bkklib.circulation import services as circulation
from bkklib.circulation.models import Loan, PatronBlock
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.outreach import services
from bkklib.outreach.exceptions import BadBatch, NotAVolunteer
from bkklib.outreach.models import SyncAction, VisitRecord

from .conftest import at


def action(kind, when, seq, **fields):
    return {"action_id": uuid.uuid4().hex, "kind": kind, "happened_at": when.isoformat(), "seq": seq, **fields}


def test_a_day_of_queued_actions_is_applied_in_order_and_each_conflict_reported(house):
    a, b, c, d, e = house.items
    blocked = PatronFactory(home_branch=house.library)
    PatronBlock.objects.create(patron=blocked, reason="ทำหนังสือเสียหาย", created_at=at(1, 9))
    card = house.patron.card_number
    # b is lent through the desk earlier, then returned at the library before the volunteer's return syncs.
    circulation.checkout(item=b, patron=house.patron, staff=house.volunteer, desk=house.house, now=at(3, 9))
    circulation.checkin(item=b, staff=house.librarian, desk=house.library, now=at(3, 15))
    day = [
        action("visit", at(4, 9), 1, counts={"children": 12, "elderly": 3}),
        action("lend", at(4, 9, 10), 2, item_barcode=a.barcode, card_number=card),
        action("lend", at(4, 9, 20), 3, item_barcode=c.barcode, card_number=card),
        action("lend", at(4, 9, 30), 4, item_barcode=d.barcode, card_number=blocked.card_number),
        action("lend", at(4, 9, 40), 5, item_barcode="9999999999999", card_number=card),
        action("return", at(4, 11), 6, item_barcode=a.barcode),
        action("return", at(4, 11, 5), 7, item_barcode=b.barcode),
        action("lend", at(4, 11, 10), 8, item_barcode=a.barcode, card_number=card),
        action("visit", at(4, 15), 9, counts={"adults": 5}),
    ]
    shuffled = day[:]
    random.Random(22).shuffle(shuffled)

    result = services.sync(user=house.volunteer, actions=shuffled, now=at(4, 18))

    by_id = {r.action_id: r for r in result.results}
    assert len(by_id) == len(day) == SyncAction.objects.count()  # every action kept, once
    codes = [by_id[x["action_id"]].code for x in day]
    assert codes == ["", "", "", "patron_blocked", "unknown_barcode", "", "already_returned", "", ""]
    assert [by_id[x["action_id"]].status for x in day].count("conflict") == 3
    # In the order they happened: a lent at 9:10, returned at 11:00, lent again at 11:10.
    loans_a = list(Loan.objects.filter(item=a).order_by("checked_out_at"))
    assert [(loan.checked_out_at, loan.returned_at) for loan in loans_a] == [(at(4, 9, 10), at(4, 11)),
                                                                             (at(4, 11, 10), None)]
    assert all(loan.branch_id == house.house.pk for loan in loans_a)
    assert Loan.objects.get(item=c).checked_out_at == at(4, 9, 20)
    assert not Loan.objects.filter(item=d).exists()
    visit = VisitRecord.objects.get(branch=house.house, day=at(4, 9).date())
    assert (visit.children, visit.adults, visit.elderly, visit.people) == (12, 5, 3, 20)
    assert SyncAction.objects.open_conflicts().count() == 3


def test_a_batch_sent_twice_is_applied_once(house):
    batch = [action("lend", at(4, 9), 1, item_barcode=house.items[0].barcode, card_number=house.patron.card_number),
             action("visit", at(4, 10), 2, counts={"youth": 4})]
    first = services.sync(user=house.volunteer, actions=batch, now=at(4, 12))
    second = services.sync(user=house.volunteer, actions=batch, now=at(4, 12, 1))
    assert [r.duplicate for r in first.results] == [False, False]
    assert [r.duplicate for r in second.results] == [True, True]
    assert [r.status for r in second.results] == ["applied", "applied"]
    assert second.results[0].loan_id == first.results[0].loan_id
    assert Loan.objects.count() == 1 and SyncAction.objects.count() == 2
    assert VisitRecord.objects.get().youth == 4
    # The same action twice inside one batch counts once too.
    again = services.sync(user=house.volunteer, actions=[batch[1], batch[1]], now=at(4, 13))
    assert len(again.results) == 1 and again.duplicates == 1


def test_actions_out_of_order_are_applied_by_the_time_they_happened(house):
    item = house.items[0]
    lend = action("lend", at(4, 9), 1, item_barcode=item.barcode, card_number=house.patron.card_number)
    back = action("return", at(4, 10), 2, item_barcode=item.barcode)
    result = services.sync(user=house.volunteer, actions=[back, lend], now=at(4, 12))
    assert [r.status for r in result.results] == ["applied", "applied"]
    loan = Loan.objects.get(item=item)
    assert (loan.checked_out_at, loan.returned_at) == (at(4, 9), at(4, 10))


def test_a_return_older_than_a_later_loan_does_not_end_it(house):
    item = house.items[0]
    circulation.checkout(item=item, patron=house.patron, staff=house.volunteer, desk=house.house, now=at(5, 9))
    late = services.sync(user=house.volunteer, actions=[action("return", at(4, 16), 1, item_barcode=item.barcode)],
                         now=at(5, 12))
    assert late.results[0].code == "already_returned"
    assert Loan.objects.open().filter(item=item).exists()


def test_an_unknown_barcode_and_an_unknown_card_are_specific_conflicts(house):
    result = services.sync(user=house.volunteer, actions=[
        action("lend", at(4, 9), 1, item_barcode="NOPE-123", card_number=house.patron.card_number),
        action("lend", at(4, 9, 1), 2, item_barcode=house.items[0].barcode, card_number="0000000"),
    ], now=at(4, 12))
    assert [(r.status, r.code) for r in result.results] == [("conflict", "unknown_barcode"),
                                                            ("conflict", "unknown_card")]
    assert "NOPE-123" in result.results[0].message and "0000000" in result.results[1].message
    assert not Loan.objects.exists()


def test_a_batch_from_a_revoked_account_is_kept_but_not_applied(house):
    services.revoke_volunteer(account=house.account, by=house.librarian, reason="ย้ายออกจากชุมชน", now=at(4, 8))
    batch = [action("lend", at(3, 16), 1, item_barcode=house.items[0].barcode, card_number=house.patron.card_number)]
    result = services.sync(user=house.volunteer, actions=batch, now=at(4, 12))
    assert result.revoked and [(r.status, r.code) for r in result.results] == [("rejected", "account_revoked")]
    again = services.sync(user=house.volunteer, actions=batch, now=at(4, 13))
    assert again.results[0].duplicate and SyncAction.objects.count() == 1
    assert not Loan.objects.exists()
    assert SyncAction.objects.open_conflicts().count() == 1
    # Nor may the account lend at the house any more.
    with pytest.raises(Exception, match="บ้านหนังสือ|may not"):
        circulation.checkout(item=house.items[0], patron=house.patron, staff=house.volunteer, desk=house.house,
                             now=at(4, 14))


@pytest.mark.parametrize("broken, field", [
    ({"kind": "steal"}, "kind"), ({"happened_at": "yesterday"}, "happened_at"), ({"action_id": "x"}, "action_id"),
    ({"item_barcode": ""}, "barcode"), ({"seq": -1}, "seq"), ({"happened_at": "2025-06-30T09:00:00+07:00"}, "future"),
])
def test_a_malformed_batch_is_refused_whole_naming_the_action(house, broken, field):
    good = action("visit", at(4, 9), 1, counts={"adults": 1})
    bad = {**action("lend", at(4, 9, 5), 2, item_barcode=house.items[0].barcode,
                    card_number=house.patron.card_number), **broken}
    with pytest.raises(BadBatch) as refused:
        services.sync(user=house.volunteer, actions=[good, bad], now=at(4, 12))
    assert refused.value.text.startswith("The batch") or "2" in refused.value.text
    assert not SyncAction.objects.exists() and not VisitRecord.objects.exists()


def test_only_volunteer_accounts_sync(house):
    with pytest.raises(NotAVolunteer):
        services.sync(user=house.librarian, actions=[action("visit", at(4, 9), 1, counts={"adults": 1})])


def test_staff_resolve_a_conflict_by_applying_it_again(house):
    blocked_card = house.patron.card_number
    block = PatronBlock.objects.create(patron=house.patron, reason="ค้างส่ง", created_at=at(1, 9))
    result = services.sync(user=house.volunteer, actions=[
        action("lend", at(4, 9), 1, item_barcode=house.items[0].barcode, card_number=blocked_card)], now=at(4, 12))
    row = SyncAction.objects.get(action_id=result.results[0].action_id)
    assert row.code == "patron_blocked"
    block.lifted_at = at(4, 13)
    block.save()
    services.resolve_action(action=row, by=house.librarian, resolution="", retry=True, now=at(4, 14))
    row.refresh_from_db()
    assert row.status == "applied" and row.resolved_at == at(4, 14)
    assert Loan.objects.get(item=house.items[0]).checked_out_at == at(4, 9)
