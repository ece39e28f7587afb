"""Django admin for the e-library's reference rows (lending limits); everything else has its staff pages."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LendingPolicy


@admin.register(LendingPolicy)
class LendingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "max_loans", "max_holds", "loan_days"]
