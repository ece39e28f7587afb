"""Django admin of core records: staff users, message templates, notification and access logs."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AccessLog, MessageTemplate, NotificationAttempt, User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("phone", "line_user_id", "preferred_language")}))


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "subject_th", "updated_at"]
    search_fields = ["code", "subject_th", "body_th"]


@admin.register(NotificationAttempt)
class NotificationAttemptAdmin(admin.ModelAdmin):
    list_display = ["attempted_at", "channel", "recipient", "template_code", "status"]
    list_filter = ["channel", "status", "template_code"]
    search_fields = ["recipient", "about"]
    readonly_fields = [f.name for f in NotificationAttempt._meta.fields]

    def has_add_permission(self, request):
        return False  # a log: written by the notification service only


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "subject", "action", "purpose"]
    search_fields = ["subject", "user__username"]
    readonly_fields = [f.name for f in AccessLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
