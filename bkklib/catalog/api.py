"""REST API of the catalog (wired under /api/v1/ by bkklib/api_urls.py): records, items, MARC downloads.

Reading is public (the OPAC's data); writing needs the cataloguing permissions, and items are
written only at the branches the user works at (network.access). Refusals are problem JSON.
"""
import functools
import json
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.utils.urls import remove_query_param, replace_query_param

from bkklib.core import ratelimit
from bkklib.core.api import Pagination, QueryParams, query_params
from bkklib.network import access
from bkklib.network.models import Branch
from bkklib.search import index
from bkklib.search.documents import FACETS

from . import queries, services
from .marc import writer
from .models import Item, ItemType, Record


class CatalogPermission(permissions.BasePermission):
    """Anyone reads; writing needs the model permission (add/change/delete) of the resource."""

    verbs = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        verb = self.verbs.get(request.method)
        model = view.queryset.model._meta
        return bool(request.user and request.user.is_authenticated and verb
                    and request.user.has_perm(f"{model.app_label}.{verb}_{model.model_name}"))


class ItemBriefSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    branch_name = serializers.CharField(source="branch.name_th", read_only=True)
    item_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Item
        fields = ["id", "barcode", "branch", "branch_name", "shelving_location", "call_number", "item_type", "status"]


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Record
        fields = ["id", "title", "responsibility", "authors", "publisher", "place", "year", "display_year", "edition",
                  "isbns",
                  "language", "material_type", "subjects", "series", "classification", "call_number", "vernacular",
                  "control_number", "control_agency", "is_demo", "created_at", "updated_at"]
        read_only_fields = fields


class RecordDetailSerializer(RecordSerializer):
    items = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "marc", "items"]
        read_only_fields = fields

    def get_items(self, record) -> list[dict]:
        return ItemBriefSerializer(queries.items_of(record), many=True).data


class RecordWriteSerializer(serializers.Serializer):
    marc = serializers.JSONField(help_text="The record in MARC-in-JSON (leader and fields).")


class RecordSearchQuery(QueryParams):
    year_from = serializers.IntegerField(required=False)
    year_to = serializers.IntegerField(required=False)
    sort = serializers.ChoiceField(choices=["relevance", "newest", "title"], required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class ItemQuery(QueryParams):
    barcode = serializers.CharField(required=False, help_text=_("barcode of the item (exact)"))
    record = serializers.IntegerField(required=False, min_value=1, help_text=_("record id"))
    branch = serializers.CharField(required=False, help_text=_("branch code"))


@functools.cache
def _row_sql(vendor: str) -> str:
    """Return the SELECT of the serializer's columns for a list of ids (a JSON array on SQLite)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Record._meta.get_field(name).column) for name in RecordSerializer.Meta.fields)
    ids = "IN (SELECT value FROM json_each(%s))" if vendor == "sqlite" else "= ANY(%s)"
    return f"SELECT {columns} FROM {quote(Record._meta.db_table)} WHERE {quote(Record._meta.pk.column)} {ids}"


_JSON_FIELDS = {name for name in RecordSerializer.Meta.fields
                if Record._meta.get_field(name).get_internal_type() == "JSONField"}
_TIME_FIELDS = ("created_at", "updated_at")


def _iso(moment) -> str | None:
    """Return a stored date-time as DRF's DateTimeField gives it: ISO 8601 in the current time zone, "Z" for UTC."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:  # SQLite keeps UTC without an offset
        moment = moment.replace(tzinfo=UTC)
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def search_rows(hits) -> list[dict]:
    """Return the rows of a search answer: each hit's record as ``RecordSerializer`` gives it, and its score.

    One statement for the page (the serializer's columns, not the MARC; no model instances, no
    query compiled per request) and the conversions the serializer's fields do. Building the
    serializer's fields and model instances cost about four times the search itself at 200,000
    records (docs/performance.md, "Search ahead of Zebra"). catalog/tests/test_api_search_cost.py
    holds both equal.
    """
    ids = [h.id for h in hits]
    if not ids:
        return []
    names = RecordSerializer.Meta.fields
    with connection.cursor() as cursor:
        cursor.execute(_row_sql(connection.vendor), [json.dumps(ids) if connection.vendor == "sqlite" else ids])
        by_id = {row[0]: row for row in cursor.fetchall()}
    out = []
    for hit in hits:
        values = by_id.get(hit.id)
        if values is None:  # deleted since it was indexed
            continue
        row = dict(zip(names, values, strict=True))
        for name in _JSON_FIELDS:
            if isinstance(row[name], str | bytes):
                row[name] = json.loads(row[name])
        for name in _TIME_FIELDS:
            row[name] = _iso(row[name])
        row["is_demo"] = bool(row["is_demo"])
        row["score"] = round(hit.score, 4)
        out.append(row)
    return out


def _page_links(request, result) -> dict:
    """Return the ``next`` and ``previous`` page URLs of a search answer, as DRF's page-number pagination
    gives every other list (None at either end)."""
    url = request.build_absolute_uri()
    last = max(1, -(-result.total // result.page_size))
    previous = None
    if result.page > 1:  # past the end, the way back is to the last page
        back = min(result.page - 1, last)
        previous = remove_query_param(url, "page") if back == 1 else replace_query_param(url, "page", back)
    return {"next": replace_query_param(url, "page", result.page + 1) if result.page < last else None,
            "previous": previous}


# Searches per client address and minute (issue 30); settings.BKKLIB["SEARCH_PER_MINUTE"].
SEARCH_LIMIT = ratelimit.Limit("api-records", settings.BKKLIB["SEARCH_PER_MINUTE"], 60)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("q", str, description="Search query: words, \"phrases\", AND/OR/NOT, title: author: subject: isbn:"),
    OpenApiParameter("branch", str, many=True), OpenApiParameter("material_type", str, many=True),
    OpenApiParameter("language", str, many=True), OpenApiParameter("availability", str),
    OpenApiParameter("year", str, many=True, description="Year of publication, BE or CE (from 2400 on: BE)"),
    OpenApiParameter("year_from", int, description="BE or CE"), OpenApiParameter("year_to", int, description="BE or CE"),
    OpenApiParameter("sort", str, enum=["relevance", "newest", "title"]),
    OpenApiParameter("facets", str, description="Comma-separated facet names to count"),
]))
class RecordViewSet(viewsets.ModelViewSet):
    """Bibliographic records: search (``?q=``) with filters and facets, read with items and MARC, write as MARC-in-JSON."""

    queryset = Record.objects.all().order_by("pk")
    permission_classes = [CatalogPermission]
    pagination_class = Pagination

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return RecordWriteSerializer
        return RecordDetailSerializer if self.action == "retrieve" else RecordSerializer

    def list(self, request, *args, **kwargs):
        ratelimit.check_request(SEARCH_LIMIT, request)  # 429 problem JSON past the (generous) limit
        params = request.query_params
        query_params(request, RecordSearchQuery)  # 400 naming a bad number or sort order
        if not any(k in params for k in ("q", "branch", "material_type", "language", "availability", "year",
                                         "year_from", "year_to", "facets")):
            return super().list(request, *args, **kwargs)
        filters = {name: params.getlist(name) for name in ("branch", "material_type", "language", "availability",
                                                           "year") if params.getlist(name)}
        facets = [f for f in (params.get("facets") or "").split(",") if f in FACETS]
        paginator = Pagination()
        try:
            page_size = min(500, max(1, int(params.get("page_size") or paginator.page_size)))
        except ValueError:
            page_size = paginator.page_size
        result = index.search(params.get("q", ""), filters=filters, year_from=params.get("year_from"),
                              year_to=params.get("year_to"), facets=facets, sort=params.get("sort", "relevance"),
                              page=params.get("page") or 1, page_size=page_size)
        results = search_rows(result.hits)
        body = {"count": result.total, **_page_links(request, result), "page": result.page,
                "page_size": result.page_size, "results": results,
                "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in result.facets.items()},
                "suggestions": result.suggestions}
        if result.query_error:
            body["query_error"] = result.query_error
        if result.read_as_words:
            body["read_as_words"] = True
        return Response(body)

    def create(self, request, *args, **kwargs):
        data = RecordWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.save_record(data.validated_data["marc"], user=request.user, reason="API")
        return Response(RecordDetailSerializer(record).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        data = RecordWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.save_record(data.validated_data["marc"], record=record, user=request.user, reason="API")
        return Response(RecordDetailSerializer(record).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_record(self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/marcxml+xml"): str})
    @action(detail=True, methods=["get"], url_path="marcxml")
    def marcxml(self, request, pk=None):
        """The record as MARCXML (UTF-8, LoC MARC21slim)."""
        record = self.get_object()
        return HttpResponse("".join(writer.to_marcxml([record.marc])), content_type="application/marcxml+xml")

    @extend_schema(responses={(200, "application/marc"): bytes})
    @action(detail=True, methods=["get"], url_path="marc")
    def marc(self, request, pk=None):
        """The record as ISO 2709 MARC 21 in UTF-8 (leader/09 'a', lengths in bytes)."""
        record = self.get_object()
        response = HttpResponse(writer.to_iso2709(record.marc), content_type="application/marc")
        response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.mrc"'
        return response


class ItemSerializer(serializers.ModelSerializer):
    record = serializers.PrimaryKeyRelatedField(queryset=Record.objects.all())
    branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all())
    item_type = serializers.SlugRelatedField(slug_field="code", queryset=ItemType.objects.all())
    status = serializers.ChoiceField(choices=Item.Status.choices, required=False)

    class Meta:
        model = Item
        fields = ["id", "record", "barcode", "branch", "shelving_location", "call_number", "item_type", "status",
                  "price", "acquired_on", "notes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"barcode": {"validators": []}}  # the service checks format and uniqueness


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                  viewsets.GenericViewSet):
    """Items: look up by ``?barcode=``, list by ``?record=`` or ``?branch=``; staff write at their own branches."""

    queryset = Item.objects.select_related("branch", "item_type").order_by("pk")
    serializer_class = ItemSerializer
    permission_classes = [CatalogPermission]
    pagination_class = Pagination

    @extend_schema(parameters=[ItemQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        params = query_params(self.request, ItemQuery)
        if barcode := params.get("barcode"):
            qs = qs.filter(barcode=barcode.strip())
        if record := params.get("record"):
            qs = qs.filter(record_id=record)
        if branch := params.get("branch"):
            qs = qs.filter(branch__code=branch)
        return qs

    def create(self, request, *args, **kwargs):
        # Branch scope before the record and item type of the body are looked up.
        access.require_at_codes(request.user, "catalog.add_item", request.data, "branch")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        access.require(request.user, "catalog.change_item", at=self.get_object().branch)
        access.require_at_codes(request.user, "catalog.change_item", request.data, "branch")
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        state = data.pop("status", Item.Status.AVAILABLE)
        record, barcode, branch, item_type = (data.pop(k) for k in ("record", "barcode", "branch", "item_type"))
        item = services.add_item(record, barcode=barcode, branch=branch, item_type=item_type, user=self.request.user,
                                 **data)
        if state != Item.Status.AVAILABLE:
            self._set_status(item, state)
        serializer.instance = item

    def perform_update(self, serializer):
        item = serializer.instance
        data = dict(serializer.validated_data)
        state = data.pop("status", None)
        item = services.update_item(item, user=self.request.user, **data)
        if state and state != item.status:
            self._set_status(item, state)
        serializer.instance = item

    def _set_status(self, item, state):
        services.set_item_status_by_hand(item, state, user=self.request.user)


router = SimpleRouter()
router.register("records", RecordViewSet, basename="record")
router.register("items", ItemViewSet, basename="item")

urlpatterns = [path("", include(router.urls))]
