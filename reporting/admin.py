"""Django admin for reporting periods (plan data, provincial administrators)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin

from .models import ReportingPeriod
from .services import period_delete, period_save


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("year", "opens_on", "due_on", "approval_levels", "reminder_days")

    def get_readonly_fields(self, request, obj=None):
        return ("year",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        period_save(period=obj, user=request.user)

    def delete_model(self, request, obj):
        period_delete(period=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for period in queryset:
            period_delete(period=period, user=request.user)
