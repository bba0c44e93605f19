"""Django admin for plans and their thresholds (validated by ``Plan.clean()``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin

from .models import Plan
from .services import plan_delete, plan_save


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    # Every role reads the plan; only administrators change it and its thresholds (policies.py).
    list_display = ("code", "name", "document_number", "start_year", "target_year", "is_current")
    list_filter = ("is_current",)
    search_fields = ("code", "name", "title")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def get_deleted_objects(self, objs, request):
        # The current plan stays until another one is made current: list it as protected,
        # so the confirmation page explains and the delete does not happen.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        current = [plan for plan in objs if plan.is_current]
        if current:
            protected = [
                *protected,
                *(f"{plan}（当前规划：请先将其他规划设为当前规划）" for plan in current),
            ]
        return to_delete, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        plan_save(plan=obj, user=request.user)

    def delete_model(self, request, obj):
        plan_delete(plan=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            self.delete_model(request, plan)
