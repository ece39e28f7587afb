"""A change committed by another connection reaches a process's in-memory facets, whatever the commit order."""
import threading

import pytest
from django.db import connection, transaction

from bkklib.search import index

from .conftest import make_doc

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL transaction ids"),
]


def branches():
    return dict(index.search("แมว", facets=["branch"]).facets["branch"])


def test_a_transaction_that_began_earlier_but_commits_later_is_not_missed():
    index.index_documents([make_doc(1, "แมวเหมียว", branch=["B01"])])
    assert branches() == {"B01": 1}  # this process now holds facet values in memory
    written, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                index.index_documents([make_doc(2, "แมวส้ม", branch=["B02"])])  # takes the lower xid
                written.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert written.wait(10)
    index.index_documents([make_doc(3, "แมวดำ", branch=["B03"])])  # a higher xid, committed first

    assert branches() == {"B01": 1, "B03": 1}
    release.set()
    writer.join(10)

    assert branches() == {"B01": 1, "B02": 1, "B03": 1}
