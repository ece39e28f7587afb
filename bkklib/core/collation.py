"""Thai dictionary order (ICU collation) for every list a person scans.

Python's ``sorted`` and the databases' default collations order Thai by code point: a leading
vowel (เ แ โ ใ ไ, U+0E40-U+0E44) sorts after every consonant, so คลองสามวา (ส) comes before
คลองเตย (เ, though the word is read from ต). ICU's Thai collator orders as a Thai dictionary
does, the same on SQLite and PostgreSQL. Reference lists (districts,
branches, org units, staff, patron categories) are small and bounded, so they are sorted here in
Python after the query; ``search`` keeps a stored key column for the catalogue, which is not.
"""
import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu
from django.forms.models import ModelChoiceIterator

T = TypeVar("T")

_LOCAL = threading.local()


def collator() -> "icu.Collator":
    """Return this thread's ICU Thai collator (a collator is not safe to share between threads)."""
    found = getattr(_LOCAL, "th", None)
    if found is None:
        found = _LOCAL.th = icu.Collator.createInstance(icu.Locale("th"))
    return found


def sort_key(text: str | None) -> bytes:
    """Return the Thai collation key of ``text`` (bytes, compared bytewise)."""
    return bytes(collator().getSortKey(unicodedata.normalize("NFC", str(text or "")).strip()))


def thai_sorted(items: Iterable[T], key: Callable[[T], object] = str, *, reverse: bool = False) -> list[T]:
    """Return ``items`` sorted in Thai dictionary order of ``key(item)``.

    ``key`` may return a tuple; each text in it is compared in Thai order and each other value
    (a number, a date) as it is, so ``key=lambda b: (b.kind, b.name_th)`` groups then orders.
    """
    def full_key(item):
        value = key(item)
        if isinstance(value, tuple):
            return tuple(sort_key(v) if isinstance(v, str) or v is None else v for v in value)
        return sort_key(value if isinstance(value, str) or value is None else str(value))

    return sorted(items, key=full_key, reverse=reverse)


class ThaiOrderIterator(ModelChoiceIterator):
    """Choices of a ModelChoiceField in Thai order of their labels."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.iterator()
        for obj in thai_sorted(queryset, key=self.field.label_from_instance):
            yield self.choice(obj)


def thai_ordered(field):
    """Make a ModelChoiceField (or ModelMultipleChoiceField) list its choices in Thai order; return it.

    Call it after setting the field's queryset: the widget takes its choices when the queryset is set.
    """
    field.iterator = ThaiOrderIterator
    field.widget.choices = field.choices
    return field


class ThaiOrderedList:
    """The rows of a queryset in Thai order of some of their fields, for a Paginator.

    Only the primary keys and the sort fields of every row are read to order them; the full rows
    are fetched for the slice a page shows, so a page of a long list costs two small queries.
    Non-text sort fields (a kind code) compare as they are, before the texts that follow them.
    """

    def __init__(self, queryset, *fields: str):
        self.queryset = queryset
        rows = queryset.order_by().values_list("pk", *fields).distinct()
        self.pks = [row[0] for row in thai_sorted(rows, key=lambda row: tuple(row[1:]))]

    def __len__(self):
        return len(self.pks)

    def count(self):
        return len(self.pks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            pks = self.pks[index]
            found = self.queryset.model._default_manager.filter(pk__in=pks)
            found = found.select_related(*self._related()) if self._related() else found
            by_pk = {obj.pk: obj for obj in found}
            return [by_pk[pk] for pk in pks]
        return self[index:index + 1][0]

    def _related(self):
        related = self.queryset.query.select_related
        return list(related) if isinstance(related, dict) else []
