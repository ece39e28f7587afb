"""Staff spine and barcode label sheets (PDF), and the licence of the font they use."""
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bkklib.core.decorators import perm_required

from .. import labels
from ..forms import (
    LabelForm,
)
from ..models import Item


@perm_required("catalog.view_item")
def label_sheet(request):
    form = LabelForm(request.POST or None, user=request.user, initial={"start": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = Item.objects.select_related("record", "branch")
        if data["barcode_list"]:
            found = {i.barcode: i for i in items.filter(barcode__in=data["barcode_list"])}
            missing = [b for b in data["barcode_list"] if b not in found]
            if missing:
                form.add_error("barcodes", _("No item has these barcodes: {list}").format(list=", ".join(missing[:20])))
                return render(request, "catalog/labels.html", {"form": form})
            chosen = [found[b] for b in data["barcode_list"]]
        else:
            chosen = items.filter(branch=data["branch"]).exclude(status=Item.Status.WITHDRAWN)
            if data["added_since"]:
                chosen = chosen.filter(created_at__date__gte=data["added_since"])
            chosen = list(chosen.order_by("call_number", "barcode")[:2000])
        sheet = [labels.Label(barcode=i.barcode, call_number=i.effective_call_number, title=i.record.title,
                              branch=i.branch.name_th) for i in chosen]
        if not sheet:
            form.add_error(None, _("No items to print."))
            return render(request, "catalog/labels.html", {"form": form})
        make = labels.spine_labels_pdf if data["kind"] == "spine" else labels.barcode_labels_pdf
        pdf = make(sheet, start=data["start"])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{data["kind"]}-labels.pdf"'
        return response
    return render(request, "catalog/labels.html", {"form": form})



@perm_required("catalog.view_record")
def font_licence(request):
    """Serve the licence of the font embedded in the label PDFs (OFL asks that it travel with the font)."""
    return FileResponse(open(labels.FONT_DIR / "OFL.txt", "rb"), content_type="text/plain; charset=utf-8")
