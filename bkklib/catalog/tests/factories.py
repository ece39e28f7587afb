"""Factories for catalog tests (also used by circulation's and the OPAC's tests)."""
import factory
from factory.django import DjangoModelFactory

from bkklib.catalog import services
from bkklib.catalog.models import Item, ItemType, Record
from bkklib.network.tests.factories import BranchFactory


def marc_record(title: str = "ข้างหลังภาพ", *, author: str = "ศรีบูรพา", year: int = 2015, isbn: str | None = None,
                language: str = "tha", call_number: str = "", extra_fields: list | None = None,
                control_number: str | None = None) -> dict:
    """Return a small valid MARC-in-JSON book record."""
    f008 = f"150911s{year}    th            000 0 {language} d"
    imprint_year = year + 543 if language == "tha" else year  # Thai books are dated BE on their imprint
    fields = []
    if control_number:
        fields += [{"001": control_number}, {"003": "BKKLIB"}]
    fields.append({"008": f008})
    if isbn:
        fields.append({"020": {"ind1": " ", "ind2": " ", "subfields": [{"a": isbn}]}})
    if call_number:
        fields.append({"099": {"ind1": " ", "ind2": " ", "subfields": [{"a": call_number}]}})
    fields.append({"100": {"ind1": "0", "ind2": " ", "subfields": [{"a": author}]}})
    fields.append({"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": title + " /"}, {"c": author + "."}]}})
    fields.append({"264": {"ind1": " ", "ind2": "1", "subfields": [{"a": "กรุงเทพฯ :"}, {"b": "สำนักพิมพ์ทดสอบ,"},
                                                                 {"c": f"{imprint_year}."}]}})
    fields.extend(extra_fields or [])
    return {"leader": "00000nam a2200000 i 4500", "fields": fields}


class ItemTypeFactory(DjangoModelFactory):
    class Meta:
        model = ItemType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type{n}")
    name_th = factory.Sequence(lambda n: f"ประเภท {n}")
    name_en = factory.Sequence(lambda n: f"Type {n}")


class RecordFactory(DjangoModelFactory):
    """A record saved through ``services.save_record`` (so it is indexed); pass ``title=``, ``author=``..."""

    class Meta:
        model = Record

    title = "ข้างหลังภาพ"
    author = "ศรีบูรพา"
    year = 2015
    isbn = None
    language = "tha"
    call_number = ""

    @classmethod
    def _create(cls, model_class, *args, title, author, year, isbn, language, call_number, marc=None, **kwargs):
        record = services.save_record(marc or marc_record(title, author=author, year=year, isbn=isbn,
                                                          language=language, call_number=call_number))
        if kwargs:
            model_class.objects.filter(pk=record.pk).update(**kwargs)
            record.refresh_from_db()
        return record


class ItemFactory(DjangoModelFactory):
    """An item saved through ``services.add_item`` (its record reindexed)."""

    class Meta:
        model = Item

    record = factory.SubFactory(RecordFactory)
    barcode = factory.Sequence(lambda n: f"3100{n:010d}")
    branch = factory.SubFactory(BranchFactory)
    item_type = factory.LazyFunction(lambda: ItemTypeFactory(code="book", name_th="หนังสือทั่วไป", name_en="Book"))
    status = Item.Status.AVAILABLE

    @classmethod
    def _create(cls, model_class, *args, record, barcode, branch, item_type, status, **kwargs):
        item = services.add_item(record, barcode=barcode, branch=branch, item_type=item_type, **kwargs)
        if status != Item.Status.AVAILABLE:
            services.set_item_status(item, status)
        return item
