from django import forms
from django.contrib import admin
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bkklib.core.forms import ModelForm

from .models import Sip2Terminal


class TerminalForm(ModelForm):
    new_password = forms.CharField(label=_("new password"), required=False, min_length=8,
                                   widget=forms.PasswordInput(render_value=False),
                                   help_text=_("Leave empty to keep the current password."))

    class Meta:
        model = Sip2Terminal
        fields = ["name", "enabled", "charset", "date_style", "error_detection", "institution_id"]

    def save(self, commit=True):
        terminal = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            terminal.password_hash = make_password(self.cleaned_data["new_password"])
        if commit:
            terminal.save()
        return terminal


@admin.register(Sip2Terminal)
class Sip2TerminalAdmin(SimpleHistoryAdmin):
    """Terminals are created with ``bkklib sip2_terminal`` (which sets up the service account); here they are
    renamed, switched off, given another charset or date style, or a new password."""

    form = TerminalForm
    list_display = ["login", "name", "branch", "charset", "date_style", "error_detection", "enabled", "last_seen_at"]
    list_filter = ["enabled", "charset", "date_style", "branch"]
    search_fields = ["login", "name"]
    readonly_fields = ["login", "branch", "user", "last_seen_at"]

    def has_add_permission(self, request):
        return False
