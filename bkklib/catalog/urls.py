"""Staff pages of the catalog app, under /staff/catalog/."""
from django.urls import path, register_converter

from . import views


class MarcFormat:
    regex = "mrc|xml"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MarcFormat, "marcfmt")

app_name = "catalog"
urlpatterns = [
    path("", views.record_list, name="record-list"),
    path("records/new/", views.record_new, name="record-new"),
    path("records/marc-row/", views.marc_field_row, name="marc-row"),
    path("records/<int:record_id>/", views.record_detail, name="record-detail"),
    path("records/<int:record_id>/edit/", views.record_edit, name="record-edit"),
    path("records/<int:record_id>/copy/", views.record_copy, name="record-copy"),
    path("records/<int:record_id>/delete/", views.record_delete, name="record-delete"),
    path("records/<int:record_id>/history/", views.record_history, name="record-history"),
    path("records/<int:record_id>/record.<marcfmt:fmt>", views.record_download, name="record-download"),
    path("records/<int:record_id>/items/new/", views.item_add, name="item-add"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:item_id>/withdraw/", views.withdrawal_new, name="withdrawal-new"),
    path("withdrawals/", views.withdrawal_list, name="withdrawal-list"),
    path("withdrawals/<int:withdrawal_id>/decide/", views.withdrawal_decide, name="withdrawal-decide"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:job_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:job_id>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:job_id>/report.txt", views.import_report, name="import-report"),
    path("labels/", views.label_sheet, name="labels"),
    path("labels/font-licence.txt", views.font_licence, name="font-licence"),
    path("stocktakes/", views.stocktake_list, name="stocktake-list"),
    path("stocktakes/<int:stocktake_id>/", views.stocktake_detail, name="stocktake-detail"),
    path("stocktakes/<int:stocktake_id>/close/", views.stocktake_close, name="stocktake-close"),
]
