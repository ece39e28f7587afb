"""Staff pages, licence import, posters, statistics, API and PDPA."""
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bkklib.core import roles
from bkklib.core.models import AccessLog
from bkklib.network.tests.factories import BranchFactory, staff_user

from .. import epubgen, pdpa
from ..exceptions import BadLicenceFile
from ..models import Campaign, Collection, EHold, ELoan, Licence, ReadingPosition, Title
from ..services import lending, licences
from .conftest import NOW, thai_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(staff_user(roles.NETWORK_ADMIN, BranchFactory()))
    return client


def test_staff_pages_answer(admin_client, patron, title_factory):
    from django.utils import timezone

    title = title_factory(kind="metered", copies=1, loans_total=10,
                          expires_on=timezone.localdate() + timedelta(days=10))
    lending.borrow(patron=patron, title=title)
    collection = Collection.objects.create(name="ชุดแนะนำ", slug="picks")
    campaign = Campaign.objects.create(name="สัปดาห์รักการอ่าน", starts_on=NOW.date(), ends_on=NOW.date(),
                                       collection=collection, festival="เทศกาลหนังสือ")
    for name, args in (("dashboard", []), ("titles", []), ("title", [title.pk]), ("add", []), ("licences", []),
                       ("licence-import", []), ("collections", []), ("collection", [collection.pk]),
                       ("collection-edit", [collection.pk]), ("campaign-edit", [campaign.pk]), ("stats", [])):
        response = admin_client.get(reverse(f"elibrary_staff:{name}", args=args))
        assert response.status_code == 200, name
    dashboard = admin_client.get(reverse("elibrary_staff:dashboard")).content.decode()
    assert title.title in dashboard  # its licence ends within 30 days


def test_branch_staff_cannot_add_licences(client, title_factory):
    client.force_login(staff_user(roles.BRANCH_STAFF, BranchFactory()))
    assert client.get(reverse("elibrary_staff:licence-import")).status_code == 403


def test_upload_through_the_staff_page_and_a_clear_message_for_a_bad_file(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("a.epub", epubgen.build(thai_book(7)), "application/epub+zip")
    response = admin_client.post(reverse("elibrary_staff:add"), {"kind": "file", "file": good})
    assert response.status_code == 302 and Title.objects.count() == 1
    bad = SimpleUploadedFile("b.epub", b"%PDF-1.4 renamed", "application/epub+zip")
    page = admin_client.post(reverse("elibrary_staff:add"), {"kind": "file", "file": bad}, follow=True)
    assert "b.epub" in page.content.decode() and Title.objects.count() == 1
    stream = admin_client.post(reverse("elibrary_staff:add"), {
        "kind": "stream", "title": "เสียงเล่านิทาน", "stream_url": "https://audio.example.org/tale.mp3"})
    assert stream.status_code == 302 and Title.objects.get(format="stream").stream_url.endswith("tale.mp3")


def test_a_licence_added_on_the_title_page(admin_client, title_factory):
    title = title_factory(kind=None)
    admin_client.post(reverse("elibrary_staff:title", args=[title.pk]), {
        "kind": "concurrent", "copies": "3", "starts_on": "2026-01-01", "expires_on": "2026-12-31", "price": "900",
        "vendor": "", "reference": "", "note": "", "loans_total": ""})
    assert Licence.objects.get(title=title).copies == 3
    bad = admin_client.post(reverse("elibrary_staff:title", args=[title.pk]), {
        "kind": "metered", "copies": "1", "starts_on": "2026-01-01", "price": "1", "loans_total": "",
        "expires_on": ""})
    assert bad.status_code == 200 and Licence.objects.filter(title=title).count() == 1


def test_vendor_csv_creates_and_updates_and_one_bad_line_stores_nothing(title_factory):
    title = title_factory(kind=None, identifier="urn:isbn:9786160000005")
    assert title.isbn == "9786160000005"
    good = (b"reference,isbn,kind,copies,loans,starts_on,expires_on,price\n"
            b"L-1,978-616-000000-5,metered,1,26,2026-01-01,2569-12-31,260\n"
            b"L-2,9786160000005,concurrent,3,,2026-01-01,2026-06-30,1200\n")
    assert licences.import_csv(good, vendor="Ookbee") == {"created": 2, "updated": 0}
    metered = Licence.objects.get(reference="L-1")
    assert metered.loans_total == 26 and str(metered.expires_on) == "2026-12-31"  # a BE date is read
    again = good.replace(b"L-1,978-616-000000-5,metered,1,26", b"L-1,978-616-000000-5,metered,1,52")
    assert licences.import_csv(again, vendor="Ookbee") == {"created": 0, "updated": 2}
    bad = good + b"L-3,9786169999999,perpetual,1,,2026-01-01,,100\n"
    with pytest.raises(BadLicenceFile) as caught:
        licences.import_csv(bad.replace(b"L-1,", b"L-9,"), vendor="Ookbee")
    assert caught.value.params["line"] == 4
    assert Licence.objects.count() == 2 and not Licence.objects.filter(reference="L-9").exists()


def test_posters_are_pdfs_with_a_qr_code_and_social_text_names_the_link(admin_client, title_factory):
    title = title_factory(kind="open")
    collection = Collection.objects.create(name="ชุดแนะนำ", slug="picks")
    for url in (reverse("elibrary_staff:title-poster", args=[title.pk]),
                reverse("elibrary_staff:collection-poster", args=[collection.pk])):
        response = admin_client.get(url)
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    page = admin_client.get(reverse("elibrary_staff:title", args=[title.pk])).content.decode()
    assert f"/elibrary/titles/{title.pk}/" in page and "#ห้องสมุดกรุงเทพ" in page


def test_statistics_count_loans_readers_turnaways_and_export_xlsx(admin_client, patron, other_patrons, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    loan = lending.borrow(patron=patron, title=title)
    with pytest.raises(Exception):  # noqa: B017 - NoCopyFree: a turnaway
        lending.borrow(patron=other_patrons[0], title=title)
    lending.place_hold(patron=other_patrons[0], title=title)
    lending.return_loan(loan)
    lending.borrow(patron=other_patrons[0], title=title)
    response = admin_client.get(reverse("elibrary_staff:stats"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    data = next(r for r in rows if r[1] == title.title)
    assert data[2:6] == [2, 2, 1, 1]  # loans, unique readers, turnaways, holds placed


def test_indicators_count_one_day():
    from bkklib.core.indicators import by_key

    assert {"elibrary.eloans", "elibrary.readers", "elibrary.turnaways"} <= set(by_key())
    assert by_key()["elibrary.eloans"].compute(NOW.date()) == []


def test_the_api_lists_titles_and_lends_for_staff(admin_client, patron, title_factory):
    from django.test import Client

    client = Client()
    title = title_factory(kind="open")
    listed = client.get("/api/v1/elibrary/titles/").json()
    assert listed["count"] == 1 and listed["results"][0]["available"] is True
    assert client.post("/api/v1/elibrary/borrow/", {"title": title.pk, "patron_card": patron.card_number}
                       ).status_code in (401, 403)
    lent = admin_client.post("/api/v1/elibrary/borrow/", {"title": title.pk, "patron_card": patron.card_number})
    assert lent.status_code == 201
    again = admin_client.post("/api/v1/elibrary/borrow/", {"title": title.pk, "patron_card": patron.card_number})
    assert again.status_code == 422 and again.json()["code"] == "already_borrowed"
    loans = admin_client.get("/api/v1/elibrary/loans/", {"patron": patron.card_number}).json()
    assert loans["count"] == 1 and AccessLog.objects.filter(subject=f"circulation.patron:{patron.pk}").exists()
    assert admin_client.post("/api/v1/elibrary/return/", {"loan": lent.json()["id"]}).status_code == 200


def test_pdpa_export_and_erasure_keep_anonymous_facts(patron, other_patrons, title_factory):
    title = title_factory(kind="perpetual", copies=1)
    loan = lending.borrow(patron=patron, title=title, now=NOW)
    hold = lending.place_hold(patron=other_patrons[0], title=title, now=NOW)
    ReadingPosition.objects.create(patron=patron, title=title, location="epubcfi(/6/2)", progress=0.1, updated_at=NOW)
    exported = pdpa.export_patron(patron)
    assert exported["eloans"][0]["title"] == title.title and exported["reading_positions"]
    pdpa.erase_patron(patron, now=NOW + timedelta(hours=1))
    loan.refresh_from_db()
    assert loan.patron_id is None and loan.returned_at and loan.reader_key.startswith("erased-")
    assert not ReadingPosition.objects.exists()
    assert EHold.objects.get(pk=hold.pk).status == "ready"  # the copy went to the next reader
    assert ELoan.objects.count() == 1  # the fact is kept for statistics
