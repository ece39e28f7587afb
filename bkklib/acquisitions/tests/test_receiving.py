"""Receiving creates exactly the ordered items, each linked to its order line, never more on a repeated
submit (by constraint); the items wait "in processing"; the request's patron is told."""
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from bkklib.acquisitions import rules, services
from bkklib.acquisitions.exceptions import AcquisitionRefused
from bkklib.acquisitions.models import Delivery, DeliveryLine, OrderCopy, Request
from bkklib.catalog.models import Item

from .conftest import NOW
from .helpers import placed_order


def test_receiving_creates_one_item_per_received_copy_at_its_branch_and_shelf(site):
    order = placed_order(site, lines=((4, "250"),), split=True)
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=4)}, now=NOW, by=site.admin)
    items = Item.objects.filter(order_copy__line=line).order_by("order_copy__copy_no")
    assert items.count() == 4 == Item.objects.count()
    assert [(i.branch_id, i.shelving_location) for i in items] == [
        (site.branch.pk, "GEN"), (site.branch.pk, "GEN"), (site.other.pk, "CHILD"), (site.other.pk, "CHILD")]
    assert all(i.record_id == line.record_id and i.price == Decimal("250.00") for i in items)
    assert {i.status for i in items} == {services.PROCESSING_STATUS}
    assert len({i.barcode for i in items}) == 4
    order.refresh_from_db()
    assert order.status == "closed"


def test_a_repeated_submit_of_the_same_delivery_creates_nothing_more(site):
    order = placed_order(site, lines=((3, "100"),))
    line = order.lines.get()
    token = uuid.uuid4()
    first = services.receive(order=order, token=token, counts={line.pk: rules.Inspection(received=2, short=1)},
                             now=NOW)
    again = services.receive(order=order, token=str(token), counts={line.pk: rules.Inspection(received=2,
                                                                                                short=1)}, now=NOW)
    assert again.pk == first.pk
    assert Item.objects.count() == 2 and Delivery.objects.count() == 1 and DeliveryLine.objects.count() == 1
    assert OrderCopy.objects.filter(status="ordered").count() == 1


def test_the_database_refuses_a_second_copy_with_the_same_number_or_a_second_link_to_an_item(site):
    order = placed_order(site, lines=((1, "100"),))
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=1)}, now=NOW)
    copy = line.copies.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderCopy.objects.create(line=line, copy_no=1, branch=site.branch, fund=site.fund)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderCopy.objects.create(line=line, copy_no=2, branch=site.branch, fund=site.fund, item=copy.item,
                                 status="received", received_at=NOW)


def test_receiving_more_than_ordered_is_refused_in_thai_and_stores_nothing(site, settings):
    settings.LANGUAGE_CODE = "th"
    order = placed_order(site, lines=((2, "100"), (1, "80")))
    first, second = order.lines.order_by("pk")
    with pytest.raises(AcquisitionRefused) as refused:
        services.receive(order=order, counts={second.pk: rules.Inspection(received=1),
                                              first.pk: rules.Inspection(received=3)}, now=NOW)
    assert refused.value.code == "over_receipt"
    from django.utils import translation

    with translation.override("th"):
        assert "ยังค้างส่งเพียง 2 เล่ม" in refused.value.text
    assert Item.objects.count() == 0 and Delivery.objects.count() == 0
    assert OrderCopy.objects.filter(status="ordered").count() == 3


def test_damaged_and_wrong_copies_are_recorded_and_stay_outstanding_for_a_claim(site):
    order = placed_order(site, lines=((4, "100"),))
    line = order.lines.get()
    services.receive(order=order, counts={line.pk: rules.Inspection(received=1, damaged=2, wrong_title=1)},
                     now=NOW)
    inspected = DeliveryLine.objects.get()
    assert (inspected.received, inspected.damaged, inspected.wrong_title) == (1, 2, 1)
    claim = services.claim(order=order, today=NOW.date(), note="ชำรุด 2 เล่ม ผิดปก 1 เล่ม")
    assert claim.copies == 3


def test_the_patron_whose_suggestion_was_ordered_is_told_when_it_arrives_and_when_it_is_on_the_shelf(
        site, django_capture_on_commit_callbacks):
    request = services.suggest(patron=site.patron, title="หนังสือที่ผู้อ่านเสนอ", author="นักเขียน", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order(site, lines=((1, "150"),), request=request)
    request.refresh_from_db()
    assert request.status == "ordered"
    line = order.lines.get()
    assert line.request_id == request.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.receive(order=order, counts={line.pk: rules.Inspection(received=1)}, now=NOW)
    request.refresh_from_db()
    assert request.status == Request.Status.RECEIVED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.com"]
    assert "หนังสือที่ผู้อ่านเสนอ" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.shelve(copies=list(line.copies.all()), now=NOW) == 1
    request.refresh_from_db()
    assert request.status == Request.Status.ON_SHELF
    assert line.copies.get().item.status == "available"
    assert len(mail.outbox) == 2 and "พร้อมให้ยืม" in mail.outbox[1].subject


def test_a_declined_suggestion_tells_the_patron_why(site, django_capture_on_commit_callbacks):
    request = services.suggest(patron=site.patron, title="หนังสือเก่ามาก", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_request(request=request, accept=False, reason="หนังสือเล่มนี้เลิกพิมพ์แล้ว", by=site.admin,
                                now=NOW)
    assert "เลิกพิมพ์แล้ว" in mail.outbox[0].body
