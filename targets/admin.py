"""Django admin for plans and their thresholds (validated by ``Plan.clean()``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gansu_community.admin import ROLE_ADMIN, ScopedAdminMixin

from .models import Plan


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    # Every role reads the plan; only administrators change it and its thresholds.
    write_roles = frozenset({ROLE_ADMIN})
    scope_path = None
    list_display = ("code", "name", "document_number", "start_year", "target_year", "is_current")
    list_filter = ("is_current",)
    search_fields = ("code", "name", "title")
