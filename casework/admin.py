"""Django admin of the request pipeline: categories (plan data), handling units, requests.

Requests are registered and moved through their steps in the portal (``casework.services``);
here the records office reads them, with the resident's name and phone masked unless the user
holds the permission to see personal data (then shown in full, and audited).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin import RegionFilter
from core.admin import ScopedAdminMixin
from core.personal import personal_data_audit, unmask_decision

from .models import Case, CaseCategory, CaseEvent, HandlingUnit
from .services import case_register, case_update


@admin.register(CaseCategory)
class CaseCategoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "time_limit_working_days", "order")
    ordering = ("order",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


@admin.register(HandlingUnit)
class HandlingUnitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "code", "department")
    search_fields = ("name", "^code")
    readonly_fields = ("name", "version")
    fields = ("code", "department", "name", "version")

    # Officials set up their units in the portal and the API; here administrators only.
    def has_add_permission(self, request, *args):
        return self.policy.can_add(request.user) and request.user.is_admin

    def has_change_permission(self, request, obj=None):
        return self.policy.can_change(request.user, obj) and request.user.is_admin

    def has_delete_permission(self, request, obj=None):
        return self.policy.can_delete(request.user, obj) and request.user.is_admin


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ("at", "kind", "unit", "user", "note", "automatic")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Case)
class CaseAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    write_only_fields = ("resident_name", "resident_phone")
    list_display = (
        "number",
        "community",
        "category",
        "channel",
        "status",
        "accepted_on",
        "due_on",
        "handling_unit",
    )
    list_select_related = ("community", "category", "handling_unit")
    list_filter = ("status", "category", "channel", RegionFilter)
    search_fields = ("=number",)
    inlines = (CaseEventInline,)
    autocomplete_fields = ("community",)
    masked = ("resident_name_masked", "resident_phone_masked")
    full = ("resident_name_full", "resident_phone_full")
    bookkeeping = (
        "number",
        "due_on",
        "calendar_note",
        "status",
        "handling_unit",
        "resolved_on",
        "resolution",
        "satisfaction",
        "reopen_count",
        "urge_count",
        "extension_days",
        "version",
    )

    @admin.display(description="居民姓名")
    def resident_name_masked(self, obj):
        return obj.resident_name_masked if obj is not None and obj.pk else ""

    @admin.display(description="联系电话")
    def resident_phone_masked(self, obj):
        return obj.resident_phone_masked if obj is not None and obj.pk else ""

    @admin.display(description="居民姓名（完整）")
    def resident_name_full(self, obj):
        return obj.resident_name if obj is not None and obj.pk else ""

    @admin.display(description="联系电话（完整）")
    def resident_phone_full(self, obj):
        return obj.resident_phone if obj is not None and obj.pk else ""

    def personal_fields(self, request):
        return self.full if unmask_decision(request, asked=True) else self.masked

    def has_add_permission(self, request, *args):
        # Registered in the portal (where the number is given at once); here administrators.
        return self.policy.can_add(request.user) and request.user.is_admin

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.personal_fields(request), *self.bookkeeping)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (None, {"fields": ("community", "category", "channel", "accepted_on")}),
                ("居民", {"fields": ("resident_name", "resident_phone", "address")}),
                ("诉求", {"fields": ("description",)}),
            )
        fieldsets = (
            (None, {"fields": ("number", "community", "category", "channel", "accepted_on")}),
            ("居民", {"fields": (*self.personal_fields(request), "address")}),
            ("诉求与办理", {"fields": ("description", *self.bookkeeping[1:])}),
        )
        return self.hide_write_only(request, obj, fieldsets)

    def save_model(self, request, obj, form, change):
        from core.admin import expected_version

        if not change:
            case_register(case=obj, user=request.user)
        else:
            case_update(
                case=obj, user=request.user, expected_version=expected_version(form, change)
            )

    def _audit_full_view(self, request, view: str) -> None:
        if request.method == "GET" and unmask_decision(request, asked=True):
            personal_data_audit(request, detail={"view": view, "model": "case"})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audit_full_view(request, f"admin_change:{object_id}")
        return super().change_view(request, object_id, form_url, extra_context)
