"""Django admin for the hierarchy: divisions and streets (official reference data)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin import RegionFilter
from core.admin import ScopedAdminMixin

from .models import Division, Street


@admin.register(Division)
class DivisionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    # Loaded from fixtures/ by load_divisions: only administrators change it (policies.py).
    list_display = ("code", "name", "level", "parent")
    list_select_related = ("parent",)
    list_filter = ("level", RegionFilter)
    search_fields = ("^code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


@admin.register(Street)
class StreetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "county", "prefecture_name")
    list_select_related = ("county__parent",)
    list_filter = ("kind", RegionFilter)
    search_fields = ("^code", "name")
    autocomplete_fields = ("county",)
    ordering = ("code",)

    @admin.display(description="所属市州", ordering="county__parent__name")
    def prefecture_name(self, obj):
        return obj.county.parent.name if obj.county.parent_id else ""

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()
