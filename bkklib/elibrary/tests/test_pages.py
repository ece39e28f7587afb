"""Public pages and the patron account: browse, borrow, hold, read, return; the home page and account sections."""
import json

import pytest
from django.urls import reverse

from bkklib.opac.account import SESSION_KEY

from ..models import Collection, EHold, ELoan, ReadingPosition
from ..services import lending

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, patron):
    session = client.session
    session[SESSION_KEY] = patron.pk
    session.save()
    return client


def test_the_elibrary_home_search_and_title_pages_show_thai_titles(client, title_factory, django_assert_max_num_queries):
    titles = [title_factory(n, kind="open") for n in range(1, 4)]
    Collection.objects.create(name="นิทานก่อนนอน", slug="bedtime", featured=True).titles.set(titles)
    with django_assert_max_num_queries(15):
        home = client.get(reverse("elibrary:home"))
    assert "ตำนานแม่น้ำเจ้าพระยา เล่ม 3" in home.content.decode() and "นิทานก่อนนอน" in home.content.decode()
    found = client.get(reverse("elibrary:search"), {"q": "เจ้าพระยา"}).content.decode()
    assert "ตำนานแม่น้ำเจ้าพระยา เล่ม 1" in found
    by_subject = client.get(reverse("elibrary:search"), {"subject": "นิทานพื้นบ้าน"}).content.decode()
    assert "ตำนานแม่น้ำเจ้าพระยา เล่ม 2" in by_subject
    page = client.get(reverse("elibrary:title", args=[titles[0].pk])).content.decode()
    assert "/account/?next=" in page  # sign in to borrow
    assert client.get(reverse("elibrary:collection", args=["bedtime"])).status_code == 200
    assert client.get(reverse("elibrary:by-file", args=[titles[0].sha256])).status_code == 302
    assert client.get(reverse("elibrary:help")).status_code == 200


def test_the_home_page_features_collections_and_the_menu_links_the_elibrary(client, title_factory):
    Collection.objects.create(name="หนังสือแนะนำประจำเดือน", slug="month", featured=True)
    page = client.get("/").content.decode()
    assert "หนังสือแนะนำประจำเดือน" in page and 'href="/elibrary/"' in page


def test_borrow_read_save_position_and_return_from_the_website(signed_in, patron, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    response = signed_in.post(reverse("elibrary:borrow", args=[title.pk]))
    assert response.status_code == 302
    loan = ELoan.objects.active().get(patron=patron)
    account = signed_in.get("/account/").content.decode()
    assert title.title in account and reverse("elibrary:read", args=[loan.pk]) in account
    reader = signed_in.get(reverse("elibrary:read", args=[loan.pk])).content.decode()
    assert "epub.min.js" in reader and "/elibrary/download/" in reader
    saved = signed_in.post(reverse("elibrary:position", args=[loan.pk]),
                           json.dumps({"location": "epubcfi(/6/4!/4/2/1:0)", "progress": 0.25}),
                           content_type="application/json")
    assert saved.json() == {"saved": True}
    assert ReadingPosition.objects.get(patron=patron, title=title).progress == 0.25
    assert "epubcfi(/6/4!/4/2/1:0)" in signed_in.get(reverse("elibrary:read", args=[loan.pk])).content.decode()
    signed_in.post(reverse("elibrary:return", args=[loan.pk]), {"next": "/account/"})
    assert not ELoan.objects.active().exists()


def test_a_hold_from_the_website_shows_in_the_account_with_its_place(signed_in, patron, other_patrons, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    lending.borrow(patron=other_patrons[0], title=title)
    refused = signed_in.post(reverse("elibrary:borrow", args=[title.pk]), follow=True).content.decode()
    assert "alert" in refused or "error" in refused
    signed_in.post(reverse("elibrary:hold", args=[title.pk]))
    hold = EHold.objects.get(patron=patron)
    assert "eholds" in signed_in.get("/account/").content.decode()
    signed_in.post(reverse("elibrary:cancel-hold", args=[hold.pk]), {"next": "/account/"})
    assert EHold.objects.get(pk=hold.pk).status == "cancelled"


def test_someone_elses_loan_cannot_be_read_or_returned(signed_in, other_patrons, title_factory):
    loan = lending.borrow(patron=other_patrons[0], title=title_factory(kind="open"))
    assert signed_in.get(reverse("elibrary:read", args=[loan.pk])).status_code == 404
    assert signed_in.post(reverse("elibrary:return", args=[loan.pk])).status_code == 404


def test_a_pdf_opens_inline_in_the_browsers_viewer(signed_in, patron):
    import io

    from reportlab.pdfgen import canvas

    from ..models import Licence
    from ..opds import links
    from ..services import ingest

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.setTitle("รายงานประจำปี")
    c.save()
    title = ingest.ingest(io.BytesIO(buffer.getvalue()), filename="r.pdf")
    Licence.objects.create(title=title, kind="open", starts_on="2020-01-01")
    loan = lending.borrow(patron=patron, title=title)
    response = signed_in.get(reverse("elibrary:download", args=[links.download_token(loan)]))
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
