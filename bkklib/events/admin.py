"""Django admin of the events app: festivals, projects and activities (staff work in /staff/events/)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Festival, Project, ProjectTarget


@admin.register(Festival)
class FestivalAdmin(SimpleHistoryAdmin):
    list_display = ["year", "month", "name_th", "starts_on", "ends_on"]
    list_filter = ["year"]


class TargetInline(admin.TabularInline):
    model = ProjectTarget
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fiscal_year", "budget", "target_activities"]
    list_filter = ["fiscal_year"]
    inlines = [TargetInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "branch", "status", "festival", "project"]
    list_filter = ["status"]
    search_fields = ["title"]
