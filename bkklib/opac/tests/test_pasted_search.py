"""The public search with a pasted title whose dashes would read as NOT: it finds the book and says how."""
import pytest

from bkklib.catalog.tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


def test_a_pasted_title_is_found_and_the_page_says_it_was_read_as_words(client):
    book = RecordFactory(title="86 -เอทตี้ซิกซ์- เล่ม 1", author="อาซาโตะ อาซาโตะ")
    RecordFactory(title="เล่ม 1 ของใครก็ได้")

    exact = client.get("/search/", {"q": "86 -เอทตี้ซิกซ์- เล่ม 1"})
    assert exact.context["rows"][0]["record"] == book and not exact.context["result"].read_as_words

    pasted = client.get("/search/", {"q": "86 -เอทตี้ซิกซ์ เล่ม 1"})
    assert [row["record"] for row in pasted.context["rows"]] == [book]
    assert "จึงค้นด้วยคำในข้อความตามปกติแทน" in pasted.content.decode()
