"""Forms of the e-library's staff pages (model forms derive from core.forms.ModelForm)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import ModelForm, MultilineField

from .models import Campaign, Collection, Licence


class UploadForm(forms.Form):
    file = forms.FileField(label=_("E-book or audiobook file"),
                           help_text=_("EPUB, PDF, MP3, M4A, M4B or OGG; the title and authors are read from the file."))
    title = forms.CharField(label=_("Title"), max_length=500, required=False,
                            help_text=_("Only for a PDF without a title or an audiobook file; otherwise leave empty."))
    authors = forms.CharField(label=_("Authors (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StreamForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    stream_url = forms.URLField(label=_("Streaming link"), max_length=500, assume_scheme="https")
    authors = forms.CharField(label=_("Authors (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LicenceCsvForm(forms.Form):
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    file = forms.FileField(label=_("Licence file (CSV)"),
                           help_text=_("Columns: reference, isbn, kind, copies, loans, starts_on, expires_on, price."))


class LicenceForm(ModelForm):
    class Meta:
        model = Licence
        fields = ["kind", "copies", "loans_total", "starts_on", "expires_on", "price", "vendor", "reference", "note"]


class CollectionForm(ModelForm):
    description = MultilineField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Collection
        fields = ["name", "slug", "description", "featured"]


class CampaignForm(ModelForm):
    description = MultilineField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Campaign
        fields = ["name", "description", "starts_on", "ends_on", "featured", "festival", "collection"]


class AddToCollectionForm(forms.Form):
    collection = forms.ModelChoiceField(label=_("Add to the collection"), queryset=Collection.objects.all())
