"""Forms of the comms staff pages: a post with its channels and variants, an action, a channel, a CSV."""
from django import forms
from django.utils.translation import gettext_lazy as _

from bkklib.core.forms import DateTimeInput, MultilineField
from bkklib.core.images import PhotoField

from .models import Channel


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = MultilineField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    hashtags = forms.CharField(label=_("Hashtags"), required=False, max_length=300,
                               help_text=_("Without “#”, separated by spaces."))
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None, required=False,
                                    empty_label=_("The whole division"))
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=DateTimeInput())
    image = PhotoField(label=_("Image"), required=False)
    image_url = forms.URLField(label=_("Image address"), required=False, max_length=500, assume_scheme="https")
    image_alt_th = forms.CharField(label=_("Image description (Thai)"), required=False, max_length=300,
                                   help_text=_("For people who cannot see the image (screen readers)."))
    channels = forms.ModelMultipleChoiceField(label=_("Channels"), queryset=None,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, branches, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["channels"].queryset = channels
        self.channel_list = list(channels)
        for channel in self.channel_list:
            self.fields[f"variant_{channel.pk}"] = MultilineField(
                label=_("Own text for {channel}").format(channel=channel.name), required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Empty: the text above with the link and hashtags."))

    def variant_fields(self):
        return [self[f"variant_{c.pk}"] for c in self.channel_list]

    def variants(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"variant_{c.pk}", "") for c in self.channel_list}


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "approve", "return", "schedule", "unschedule",
                                                         "retry")])
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=DateTimeInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DraftForm(forms.Form):
    source = forms.ChoiceField(choices=[(s, s) for s in ("activity", "festival", "new_books", "collection", "news")])
    source_id = forms.CharField(max_length=40)
    branch = forms.IntegerField(required=False)


class ChannelForm(forms.Form):
    """A channel's settings (a plain form: the token is write-only and never rendered back)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Channel.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None, required=False,
                                    empty_label=_("The whole division"))
    account_id = forms.CharField(label=_("Page or account ID"), max_length=100, required=False,
                                 help_text=Channel._meta.get_field("account_id").help_text)
    base_url = forms.URLField(label=_("API address"), required=False, assume_scheme="https",
                              help_text=Channel._meta.get_field("base_url").help_text)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    token = forms.CharField(label=_("Access token"), required=False, strip=True,
                            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                            help_text=_("Stored encrypted and never shown again. Empty: keep the stored token."))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class CsvForm(forms.Form):
    file = forms.FileField(label=_("Meta Business Suite export (CSV)"))
