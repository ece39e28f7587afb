"""Public URLs of the e-library: /elibrary/ pages, /opds/ feeds; /media/elibrary/ is never served."""
from django.urls import path, re_path

from .opds import views as opds
from .views import public, reader

app_name = "elibrary"

urlpatterns = [
    re_path(r"^media/elibrary/(?P<path>.*)$", public.not_served),
    path("elibrary/", public.home, name="home"),
    path("elibrary/search/", public.search, name="search"),
    path("elibrary/help/", public.opds_help, name="help"),
    path("elibrary/titles/<int:title_id>/", public.title_detail, name="title"),
    path("elibrary/titles/<int:title_id>/borrow/", public.borrow, name="borrow"),
    path("elibrary/titles/<int:title_id>/hold/", public.place_hold, name="hold"),
    path("elibrary/titles/<int:title_id>/cover/", public.cover, name="cover"),
    path("elibrary/file/<str:sha256>/", public.by_file, name="by-file"),
    path("elibrary/collections/<slug:slug>/", public.collection_detail, name="collection"),
    path("elibrary/loans/<int:loan_id>/return/", public.return_loan, name="return"),
    path("elibrary/loans/<int:loan_id>/read/", reader.read, name="read"),
    path("elibrary/loans/<int:loan_id>/position/", reader.save_position, name="position"),
    path("elibrary/holds/<int:hold_id>/cancel/", public.cancel_hold, name="cancel-hold"),
    path("elibrary/download/<str:token>/", public.download, name="download"),
    # OPDS 2.0 JSON, OPDS 1.2 Atom and the Authentication for OPDS document.
    path("opds/auth/", opds.auth_document, name="opds-auth"),
    path("opds/v2/", opds.v2_root, name="opds2-root"),
    path("opds/v2/new/", opds.v2_feed, {"kind": "new"}, name="opds2-new"),
    path("opds/v2/popular/", opds.v2_feed, {"kind": "popular"}, name="opds2-popular"),
    path("opds/v2/search/", opds.v2_feed, {"kind": "search"}, name="opds2-search"),
    path("opds/v2/subjects/", opds.v2_subjects, name="opds2-subjects"),
    path("opds/v2/subjects/<str:arg>/", opds.v2_feed, {"kind": "subject"}, name="opds2-subject"),
    path("opds/v2/collections/", opds.v2_collections, name="opds2-collections"),
    path("opds/v2/collections/<slug:arg>/", opds.v2_feed, {"kind": "collection"}, name="opds2-collection"),
    path("opds/v2/shelf/", opds.v2_shelf, name="opds2-shelf"),
    path("opds/v2/publications/<int:title_id>/", opds.v2_publication, name="opds2-publication"),
    path("opds/v2/publications/<int:title_id>/borrow/", opds.v2_borrow, name="opds2-borrow"),
    path("opds/v2/loans/<int:loan_id>/return/", opds.v2_return, name="opds2-return"),
    path("opds/v1/", opds.v1_root, name="opds1-root"),
    path("opds/v1/new/", opds.v1_feed, {"kind": "new"}, name="opds1-new"),
    path("opds/v1/popular/", opds.v1_feed, {"kind": "popular"}, name="opds1-popular"),
    path("opds/v1/search/", opds.v1_feed, {"kind": "search"}, name="opds1-search"),
    path("opds/v1/opensearch.xml", opds.v1_opensearch, name="opds1-opensearch"),
    path("opds/v1/subjects/", opds.v1_subjects, name="opds1-subjects"),
    path("opds/v1/subjects/<str:arg>/", opds.v1_feed, {"kind": "subject"}, name="opds1-subject"),
    path("opds/v1/collections/", opds.v1_collections, name="opds1-collections"),
    path("opds/v1/collections/<slug:arg>/", opds.v1_feed, {"kind": "collection"}, name="opds1-collection"),
    path("opds/v1/shelf/", opds.v1_shelf, name="opds1-shelf"),
    path("opds/v1/publications/<int:title_id>/borrow/", opds.v1_borrow, name="opds1-borrow"),
    path("opds/v1/loans/<int:loan_id>/return/", opds.v1_return, name="opds1-return"),
]
