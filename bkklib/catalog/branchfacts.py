"""What the catalogue knows about a branch (core/branchfacts.py): its collection by item status."""
from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section

from .models import Item

SECTIONS = ["bkklib.catalog.branchfacts.collection"]


def collection(branch, *, today: date) -> Section:
    by_status = dict(Item.objects.filter(branch=branch).values_list("status").annotate(n=Count("id")).order_by())
    titles = Item.objects.filter(branch=branch).values("record_id").distinct().count()
    labels = dict(Item.Status.choices)
    rows = [(str(labels[status]), number_format(by_status[status], force_grouping=True))
            for status, _label in Item.Status.choices if by_status.get(status)]
    facts = [
        Fact(_("Items"), number_format(sum(by_status.values()), force_grouping=True)),
        Fact(_("Titles"), number_format(titles, force_grouping=True)),
    ]
    return Section(key="catalog.collection", title=_("Collection"), facts=facts,
                   columns=(_("Item status"), _("Items")), rows=rows, as_of=today, order=10,
                   empty_text=_("No items at this branch."))
