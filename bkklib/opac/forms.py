"""Forms of the public website and of the staff news pages."""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core import forms as iso
from bkklib.core.collation import thai_ordered
from bkklib.core.exceptions import InvalidInput
from bkklib.network.models import Branch, District, Service

from . import services
from .models import InfoPage, NewsImage, NewsPost


class DirectoryFilterForm(forms.Form):
    """Filters of the library directory; bad values are reported, never an error page."""

    name = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    district = thai_ordered(forms.ModelChoiceField(
        label=_("District"), required=False, queryset=District.objects.all(), to_field_name="code",
        empty_label=_("All districts"),
    ))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    service = thai_ordered(forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.all(), to_field_name="code",
        empty_label=_("Any service"),
    ))
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(k, label) for k, label in Branch.Kind.choices if k != Branch.Kind.OFFICE]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Your location needs both a latitude and a longitude."), code="half_location")
        return data


class HashtagField(forms.CharField):
    """Hashtags typed as "#a #b" or "a, b"; cleaned to the stored form."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return services.normalise_hashtags(value or "")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.text, code=exc.code) from None


class NewsPostForm(iso.ModelForm):
    """Write or edit a news post (publishing is a separate step)."""

    hashtags = HashtagField(
        label=_("Hashtags"), required=False, max_length=300,
        help_text=_("For example: #ห้องสมุดกรุงเทพ #อ่านเปลี่ยนโลก — kept in the Facebook and LINE text."),
    )
    slug = forms.SlugField(
        label=_("Web address (slug)"), required=False, max_length=80,
        help_text=_("Latin letters, digits and dashes. Leave empty to make one from the English title."),
    )

    class Meta:
        model = NewsPost
        fields = ["title_th", "body_th", "title_en", "body_en", "hashtags", "branch", "image", "image_alt_th",
                  "image_alt_en", "slug"]
        widgets = {"body_th": forms.Textarea(attrs={"rows": 10}), "body_en": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.exclude(kind=Branch.Kind.OFFICE)
        thai_ordered(self.fields["branch"])
        self.fields["hashtags"].initial = " ".join(f"#{t}" for t in self.instance.tag_list) if self.instance.pk else ""
        if self.instance.pk:
            self.initial["hashtags"] = self.fields["hashtags"].initial

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt_th"):
            self.add_error("image_alt_th", _("Describe the image in Thai for readers who cannot see it."))
        if data.get("title_en") and not data.get("body_en"):
            self.add_error("body_en", _("Add the English text, or clear the English title."))
        slug = data.get("slug")
        if slug and NewsPost.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            self.add_error("slug", _("Another post already uses this web address."))
        return data


NewsImageFormSet = iso.inlineformset_factory(
    NewsPost, NewsImage, fields=["image", "alt_th", "alt_en", "position"], extra=2, max_num=12, can_delete=True,
)


class PublishForm(forms.Form):
    """Publish now, or schedule for a later moment."""

    publish_at = forms.DateTimeField(
        label=_("Publish at (leave empty for now)"), required=False,
        widget=iso.DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class InfoPageForm(iso.ModelForm):
    class Meta:
        model = InfoPage
        fields = ["title_th", "body_th", "title_en", "body_en"]
        widgets = {"body_th": forms.Textarea(attrs={"rows": 14}), "body_en": forms.Textarea(attrs={"rows": 10})}
