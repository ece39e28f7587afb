from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CopyTarget

INDEX_CHOICES = [("title", _("Title")), ("author", _("Author")), ("isbn", _("ISBN")), ("subject", _("Subject")),
                 ("any", _("Any word"))]


class CopySearchForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Catalogue"), queryset=CopyTarget.objects.filter(enabled=True),
                                    empty_label=None)
    index = forms.ChoiceField(label=_("Search in"), choices=INDEX_CHOICES, initial="title")
    terms = forms.CharField(label=_("Look for"), max_length=300)
