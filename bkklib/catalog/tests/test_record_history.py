"""The record history page shows which MARC field and subfield changed, from what to what, by whom.

Seen on day one: after a subfield and a 590 were added to an imported record, the change column
was empty (an imported record has no history row to compare with).
"""
import io
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from bkklib.catalog import services
from bkklib.catalog.history import marc_changes
from bkklib.catalog.importer import import_marc
from bkklib.catalog.marc.writer import to_iso2709
from bkklib.catalog.models import Item, Record
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ItemFactory, marc_record
from .test_staff_pages import record_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def librarian(client):
    user = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory(), first_name="ปราณี", last_name="รักหนังสือ")
    client.force_login(user)
    return user


def history_text(client, record) -> str:
    html = client.get(reverse("catalog:record-history", args=[record.pk])).content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_an_edit_of_an_imported_record_shows_the_subfield_and_the_590_added(client, librarian):
    import_marc([io.BytesIO(to_iso2709(marc_record("ลุงบุญมีระลึกชาติ")))], format="iso2709")
    record = Record.objects.get()
    assert not record.history.exists()  # imports write no history row per record

    response = client.post(reverse("catalog:record-edit", args=[record.pk]), record_post(
        title="ลุงบุญมีระลึกชาติ", subtitle="บทภาพยนตร์", **{
            "marc-1-tag": "590", "marc-1-value": "$a บริจาคโดยชมรมนักอ่านบางรัก"}))
    assert response.status_code == 302

    text = history_text(client, record)
    assert "245 $b : — → บทภาพยนตร์" in text  # a subfield added
    assert "590 : — → __ $a บริจาคโดยชมรมนักอ่านบางรัก" in text  # a field added
    assert "264 $c : 2558. → 2553." in text  # a subfield changed
    assert "ปราณี รักหนังสือ ระเบียน · แก้ไขล่าสุด" in text  # the editor by name
    assert "— ระเบียน · สร้าง" in text  # the import's baseline row: no person known
    assert record.history.filter(history_type="~").count() == 1  # the edit: one row
    assert "MARC changed" not in text and "เปลี่ยน MARC" not in text


def test_marc_changes_pair_repeated_fields_and_name_indicators():
    old = marc_record("ก", extra_fields=[
        {"650": {"ind1": " ", "ind2": "4", "subfields": [{"a": "นวนิยายไทย"}]}},
        {"650": {"ind1": " ", "ind2": "4", "subfields": [{"a": "ชีวิตชนบท"}]}}])
    new = marc_record("ก", extra_fields=[
        {"650": {"ind1": " ", "ind2": "4", "subfields": [{"a": "นวนิยายไทย"}]}},
        {"650": {"ind1": " ", "ind2": "7", "subfields": [{"a": "ชีวิตชนบท"}, {"x": "ประวัติ"}]}}])
    found = {(c.label, c.old, c.new) for c in marc_changes(old, new)}
    assert found == {("650 (2) indicator 2", "4", "7"), ("650 (2) $x", "", "ประวัติ")}
    removed = marc_changes(new, old | {"fields": [f for f in old["fields"] if "650" not in f]})
    assert {c.label for c in removed} == {"650 (1)", "650 (2)"} and all(c.new == "" for c in removed)


def test_item_changes_show_names_labels_and_buddhist_era_dates(client):
    admin = staff_user(roles.NETWORK_ADMIN, first_name="ปราณี", last_name="รักหนังสือ")
    client.force_login(admin)
    item = ItemFactory(acquired_on=date(2025, 1, 5))
    other = BranchFactory(name_th="ห้องสมุดประชาชนเขตดินแดง")
    services.update_item(item, user=admin, barcode=item.barcode, branch=other, shelving_location="",
                         call_number="", item_type=item.item_type, price=None, acquired_on=date(2026, 11, 30),
                         notes="")
    services.set_item_status(Item.objects.get(pk=item.pk), Item.Status.DAMAGED, user=admin)

    text = history_text(client, item.record)
    assert "5 ม.ค. 2568 → 30 พ.ย. 2569" in text and "2026" not in text
    assert "→ ห้องสมุดประชาชนเขตดินแดง" in text  # the branch by name, not its id
    assert "ชำรุด" in text  # the status by its label, not "damaged"
    assert "ปราณี รักหนังสือ" in text
