"""Django admin for the service standards catalogue and the self-checks."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin

from .models import ServiceStandard, StandardCheck


@admin.register(ServiceStandard)
class ServiceStandardAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "service_line")
    list_filter = ("service_line",)
    search_fields = ("code", "name")


@admin.register(StandardCheck)
class StandardCheckAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("facility", "standard", "year", "result", "status", "reviewed_by")
    list_select_related = ("facility", "standard", "reviewed_by")
    list_filter = ("year", "result", "status")
    search_fields = ("facility__name", "^facility__code", "standard__code")
    autocomplete_fields = ("facility", "standard")
    readonly_fields = ("version", "status", "review_note", "reviewed_at", "reviewed_by")
