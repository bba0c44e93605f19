"""Django admin for committees, training plans and entrusted projects."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdminMixin

from .models import Committee, EntrustedProject, TrainingPlan


@admin.register(Committee)
class CommitteeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("kind", "community", "chair", "established_on", "dissolved_on")
    list_select_related = ("community", "chair")
    list_filter = ("kind",)
    search_fields = ("^community__code", "community__name")
    autocomplete_fields = ("community", "chair")
    readonly_fields = ("version",)


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("region_code", "year", "courses", "hours_per_worker", "share_to_train")
    list_filter = ("year",)
    search_fields = ("^region_code",)
    readonly_fields = ("version",)


@admin.register(EntrustedProject)
class EntrustedProjectAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "code",
        "organization",
        "service_line",
        "starts_on",
        "ends_on",
        "rating",
    )
    list_select_related = ("organization",)
    list_filter = ("service_line", "rating")
    search_fields = ("name", "^code", "organization__name")
    autocomplete_fields = ("community", "street", "organization")
    raw_id_fields = ("budget_line",)
    readonly_fields = ("version", "code")
