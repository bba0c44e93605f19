"""Django admin for community workers and their training records."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin import RegionFilter
from core.admin import ScopedAdminMixin, ScopedInlineMixin

from .models import Training, Worker


class TrainingInline(ScopedInlineMixin, admin.TabularInline):
    model = Training
    fields = ("title", "started_on", "hours", "organizer")


@admin.register(Worker)
class WorkerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "gender",
        "role",
        "education",
        "social_work_qualification",
        "recruitment",
        "community",
        "hired_on",
        "left_on",
    )
    list_select_related = ("community",)
    list_filter = ("role", "education", "social_work_qualification", "recruitment", RegionFilter)
    search_fields = ("name", "^community__code")
    autocomplete_fields = ("community",)
    readonly_fields = ("version",)
    inlines = (TrainingInline,)


@admin.register(Training)
class TrainingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "worker", "started_on", "hours", "organizer")
    list_select_related = ("worker",)
    list_filter = ("started_on", RegionFilter)
    search_fields = ("title", "worker__name", "organizer")
    autocomplete_fields = ("worker",)
