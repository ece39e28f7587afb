"""OPDS for reading apps: feeds valid against the OPDS 2.0 schemas, OPDS 1.2 parsed by feedparser, the
authentication document, and a shared EPUB going ingest → borrow with Basic auth → download → return."""
import base64
import json

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from ..models import ELoan
from ..services import ingest, lending
from .conftest import PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemas(shared_data):
    """The OPDS 2.0 schemas and the Readium schemas they refer to, registered by their $id (offline)."""
    root = shared_data / "schemas"
    registry, found = Registry(), {}
    for path in list((root / "opds2").glob("*.json")) + list((root / "readium-webpub-manifest").rglob("*.json")):
        text = path.read_text(encoding="utf-8").replace("(?<", "(?P<")  # ECMA named groups → Python's
        contents = json.loads(text)
        registry = registry.with_resource(contents["$id"], Resource.from_contents(contents))
        found[contents["$id"]] = contents
    return registry, found


def validate(schemas, name: str, document: dict) -> None:
    registry, found = schemas
    validator = Draft7Validator(found[f"https://drafts.opds.io/schema/{name}"], registry=registry)
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def basic(card: str, pin: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{card}:{pin}".encode()).decode()}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def shelf(patron, title_factory):
    titles = [title_factory(1, kind="open"), title_factory(2, kind="perpetual", copies=1),
              title_factory(3, kind="metered", copies=1, loans_total=5)]
    from ..models import Collection

    collection = Collection.objects.create(name="นิทานก่อนนอน", slug="bedtime", featured=True)
    collection.titles.set(titles)
    return titles


def test_every_opds2_feed_validates_against_the_schemas(client, schemas, shelf, patron):
    lending.borrow(patron=patron, title=shelf[1])
    auth = basic(patron.card_number, PIN)
    for name, args, query in (("opds2-root", [], ""), ("opds2-new", [], ""), ("opds2-popular", [], ""),
                              ("opds2-subjects", [], ""), ("opds2-subject", ["นิทานพื้นบ้าน"], ""),
                              ("opds2-collections", [], ""), ("opds2-collection", ["bedtime"], ""),
                              ("opds2-search", [], "query=เจ้าพระยา"), ("opds2-search", [], "query=nothingmatches")):
        response = client.get(reverse(f"elibrary:{name}", args=args) + (f"?{query}" if query else ""), **auth)
        assert response.status_code == 200, (name, response.content[:300])
        assert response["Content-Type"].startswith("application/opds+json")
        body = response.json()
        validate(schemas, "feed.schema.json", body)
        if name in ("opds2-new", "opds2-collection"):
            assert {p["metadata"]["title"] for p in body["publications"]} >= {"ตำนานแม่น้ำเจ้าพระยา เล่ม 1"}
    shelf_feed = client.get(reverse("elibrary:opds2-shelf"), **auth).json()
    validate(schemas, "feed.schema.json", shelf_feed)
    assert [p["metadata"]["title"] for p in shelf_feed["publications"]] == ["ตำนานแม่น้ำเจ้าพระยา เล่ม 2"]
    publication = client.get(reverse("elibrary:opds2-publication", args=[shelf[0].pk])).json()
    validate(schemas, "publication.schema.json", publication)


def test_feeds_page_with_next_links(client, schemas, title_factory, settings):
    from ..opds import links

    for n in range(1, 4):
        title_factory(n, kind="open")
    original = links.PAGE_SIZE
    links.PAGE_SIZE = 2
    try:
        first = client.get(reverse("elibrary:opds2-new")).json()
        assert first["metadata"]["numberOfItems"] == 3 and len(first["publications"]) == 2
        next_url = next(link["href"] for link in first["links"] if link["rel"] == "next")
        second = client.get(next_url).json()
        validate(schemas, "feed.schema.json", second)
        assert len(second["publications"]) == 1 and second["metadata"]["currentPage"] == 2
    finally:
        links.PAGE_SIZE = original


def test_the_search_link_is_templated(client, shelf):
    root = client.get(reverse("elibrary:opds2-root")).json()
    search = next(link for link in root["links"] if link["rel"] == "search")
    assert search["templated"] is True and search["href"].endswith("{?query}")


def test_the_authentication_document_validates_and_the_shelf_asks_for_it(client, schemas):
    document = client.get(reverse("elibrary:opds-auth"))
    assert document["Content-Type"].startswith("application/opds-authentication+json")
    validate(schemas, "authentication.schema.json", document.json())
    assert document.json()["authentication"][0]["type"] == "http://opds-spec.org/auth/basic"
    refused = client.get(reverse("elibrary:opds2-shelf"))
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Basic")
    validate(schemas, "authentication.schema.json", refused.json())


def test_a_wrong_pin_is_refused_and_rate_limited(client, patron):
    for _n in range(10):
        assert client.get(reverse("elibrary:opds2-shelf"), **basic(patron.card_number, "0000")).status_code == 401
    assert client.get(reverse("elibrary:opds2-shelf"), **basic(patron.card_number, "0000")).status_code == 429


def test_the_opds_1_feeds_parse_with_feedparser(client, shelf, patron):
    for name, args, query in (("opds1-root", [], ""), ("opds1-new", [], ""), ("opds1-subjects", [], ""),
                              ("opds1-collection", ["bedtime"], ""), ("opds1-search", [], "q=เจ้าพระยา")):
        response = client.get(reverse(f"elibrary:{name}", args=args) + (f"?{query}" if query else ""))
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (name, feed.bozo_exception)
        assert feed.entries, name
    feed = feedparser.parse(client.get(reverse("elibrary:opds1-new")).content)
    entry = next(e for e in feed.entries if e.title == "ตำนานแม่น้ำเจ้าพระยา เล่ม 1")
    rels = {link.rel for link in entry.links}
    assert "http://opds-spec.org/acquisition/borrow" in rels and entry.author == "สุนทร ภูริพัฒน์"
    opensearch = client.get(reverse("elibrary:opds1-opensearch"))
    assert b"{searchTerms}" in opensearch.content


def test_a_shared_epub_goes_ingest_borrow_download_return_through_opds(client, shared_data, patron):
    path = shared_data / "epub" / "epubcheck__epub3-minimal-valid.epub"
    title = ingest.ingest(str(path), filename=path.name)
    from ..models import Licence
    from .conftest import TODAY

    Licence.objects.create(title=title, kind="perpetual", copies=1, starts_on=TODAY.replace(year=2020))
    auth = basic(patron.card_number, PIN)
    publication = client.get(reverse("elibrary:opds2-publication", args=[title.pk]), **auth).json()
    borrow = next(link for link in publication["links"] if link["rel"] == "http://opds-spec.org/acquisition/borrow")
    borrowed = client.get(borrow["href"], **auth)
    assert borrowed.status_code == 201
    links = {link["rel"]: link["href"] for link in borrowed.json()["links"]}
    download = client.get(links["http://opds-spec.org/acquisition"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == path.read_bytes()
    # borrowing again is the same loan
    assert client.get(borrow["href"], **auth).status_code == 200
    assert ELoan.objects.active().count() == 1
    returned = client.get(links["http://librarysimplified.org/terms/rel/revoke"], **auth)
    assert returned.status_code == 200 and ELoan.objects.active().count() == 0
    # the signed link stops working with the loan
    assert client.get(links["http://opds-spec.org/acquisition"]).status_code == 403
    assert "http://opds-spec.org/acquisition/borrow" in {link["rel"] for link in returned.json()["links"]}


def test_the_opds1_borrow_and_return_give_entries(client, patron, title_factory):
    title = title_factory(kind="open")
    auth = basic(patron.card_number, PIN)
    entry = client.get(reverse("elibrary:opds1-borrow", args=[title.pk]), **auth)
    assert entry.status_code == 201
    parsed = feedparser.parse(b"<feed xmlns='http://www.w3.org/2005/Atom'>" + entry.content.split(b"?>", 1)[1]
                              + b"</feed>")
    revoke = next(link.href for link in parsed.entries[0].links if link.rel.endswith("revoke"))
    assert client.get(revoke, **auth).status_code == 200


def test_a_forged_or_expired_link_is_refused(client, patron, title_factory):
    from datetime import timedelta

    from django.utils import timezone

    from ..opds import links

    loan = lending.borrow(patron=patron, title=title_factory(kind="open"))
    token = links.download_token(loan)
    assert client.get(reverse("elibrary:download", args=[token + "x"])).status_code == 403
    with pytest.raises(Exception):  # noqa: B017 - BadLink
        links.loan_for_token(token, now=timezone.now() + timedelta(days=15))


def test_media_files_of_the_elibrary_are_never_served(client, patron, title_factory):
    title = title_factory(kind="open")
    assert client.get("/media/" + title.file_path).status_code == 404


def test_anonymous_feeds_are_kept_briefly_and_signed_in_readers_get_fresh_ones(client, patron, title_factory):
    title_factory(1, kind="open")
    first = client.get(reverse("elibrary:opds2-new")).json()
    title_factory(2, kind="open")
    assert client.get(reverse("elibrary:opds2-new")).json() == first  # the same for every reader, for 30 s
    fresh = client.get(reverse("elibrary:opds2-new"), **basic(patron.card_number, PIN)).json()
    assert len(fresh["publications"]) == 2
