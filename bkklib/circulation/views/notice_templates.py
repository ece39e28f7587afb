"""The circulation notice texts (Thai and English) that network admins edit."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bkklib.core.decorators import perm_required
from bkklib.core.models import MessageTemplate

from .. import forms, notices

# --- Notice templates ------------------------------------------------------------------------------------


@perm_required("core.change_messagetemplate")
def notice_templates(request):
    """The circulation notice texts (Thai and English) that network admins edit."""
    notices.ensure_templates()
    templates = MessageTemplate.objects.filter(code__startswith="circulation.").order_by("code")
    return render(request, "circulation/notice_templates.html", {"templates": templates})


@perm_required("core.change_messagetemplate")
def notice_template_edit(request, pk: int):
    """Edit one notice text; ``{{ name }}``, ``{{ title }}``, ``{{ due }}``... are filled in when sent."""
    template = get_object_or_404(MessageTemplate, pk=pk, code__startswith="circulation.")
    form = forms.TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("circulation:notice-templates")
    return render(request, "circulation/notice_template_form.html", {"form": form, "template": template})
