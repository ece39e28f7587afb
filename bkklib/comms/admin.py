"""Django admin of comms: channels (never the token), the division's settings, posts read-only."""
from django.contrib import admin

from .models import Channel, Post, Settings


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "branch", "is_active"]
    list_filter = ["kind", "is_active"]
    exclude = ["credentials_encrypted"]


@admin.register(Settings)
class SettingsAdmin(admin.ModelAdmin):
    list_display = ["standard_hashtags"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "branch", "publish_at", "author", "approved_by"]
    list_filter = ["status"]
    readonly_fields = ["author", "approved_by", "approved_at", "published_at", "status"]
