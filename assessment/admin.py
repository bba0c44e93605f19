"""Django admin for the 目标考核: schemes with their items (administrators), rounds read-only.

A round's scores change only through its steps (the score sheet page and the API), so the
admin shows rounds and never edits them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Assessment, Scheme, SchemeItem
from .services import scheme_save


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0
    fields = ("position", "code", "name", "points", "method", "params", "standard")

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.assessments.exists()

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(Scheme)
class SchemeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "year", "level", "base_score", "excellent_quota")
    list_filter = ("year", "level")
    search_fields = ("name",)
    inlines = (SchemeItemInline,)

    def save_model(self, request, obj, form, change):
        scheme_save(scheme=obj, items=None, user=request.user, expected_version=obj.version)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("unit_name", "unit_code", "scheme", "status", "total", "grade", "rank")
    list_select_related = ("scheme",)
    list_filter = ("status", "grade", "scheme__year")
    search_fields = ("^unit_code", "unit_name")
    readonly_fields = [f.name for f in Assessment._meta.fields]
