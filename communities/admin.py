"""Django admin for communities, their yearly statistics and social organisations."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core import admin as core_admin
from core.admin import ScopedAdminMixin, expected_version
from core.figures import figures_deferred
from core.services import StaleVersionError

from .models import Community, CommunityStat, SocialOrganization
from .scopes import child_units
from .services import stat_approve, stat_return, stat_save, stat_submit


class RegionFilter(core_admin.RegionFilter):
    """下级区划: the next level of the hierarchy below the user's own code."""

    def units(self, code):
        return child_units(code)


class Digital3DFilter(admin.SimpleListFilter):
    title = "三维数字社区"
    parameter_name = "digital_3d"

    def lookups(self, request, model_admin):
        return [("yes", "已建成"), ("no", "未建成")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(digital_3d_completed_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(digital_3d_completed_on__isnull=True)
        return queryset


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "street", "county_name", "digital_3d_completed_on")
    list_select_related = ("street__county",)
    list_filter = (RegionFilter, Digital3DFilter)
    search_fields = ("^code", "name")
    autocomplete_fields = ("street",)
    ordering = ("code",)

    @admin.display(description="所属县区", ordering="street__county__name")
    def county_name(self, obj):
        return obj.street.county.name

    def get_readonly_fields(self, request, obj=None):
        # The code is the community's key; what else is read-only follows the policy
        # (staff record only when their community's 3D digital model was completed).
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None or "code" in readonly else ["code", *readonly]


class StatActionForm(ActionForm):
    reason = forms.CharField(label="退回原因", required=False, max_length=500)


@admin.register(CommunityStat)
class CommunityStatAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "community",
        "community_code",
        "year",
        "status",
        "households",
        "residents",
        "party_members",
        "party_members_volunteering",
        "residents_volunteering",
        "version",
    )
    list_select_related = ("community",)
    list_filter = ("status", "year", RegionFilter)
    search_fields = ("^community__code", "community__name")
    autocomplete_fields = ("community",)
    readonly_fields = (
        "status",
        "return_reason",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "version",
    )
    ordering = ("community_id", "year")
    action_form = StatActionForm
    actions = ("submit_selected", "approve_selected", "return_selected")

    @admin.display(description="社区代码", ordering="community_id")
    def community_code(self, obj):
        return obj.community_id

    def has_submit_permission(self, request):
        return self.policy.can(request.user, "submit")

    def has_approve_permission(self, request):
        return self.policy.can(request.user, "approve")

    def save_model(self, request, obj, form, change):
        stat_save(stat=obj, user=request.user, expected_version=expected_version(form, change))

    def _run(self, request, queryset, verb, service, **kwargs):
        done, failures = 0, []
        with figures_deferred():  # the communities' figures once, at the end
            for stat in queryset.select_related("community"):
                try:
                    service(stat=stat, user=request.user, expected_version=stat.version, **kwargs)
                except ValidationError as error:
                    messages_ = "；".join(error.messages)
                    failures.append(f"{stat.community.name}{stat.year}年：{messages_}")
                except (PermissionDenied, StaleVersionError) as error:
                    failures.append(f"{stat.community.name}{stat.year}年：{error}")
                else:
                    done += 1
        if done:
            self.message_user(request, f"已{verb} {done} 条年度统计。", messages.SUCCESS)
        for failure in failures:
            self.message_user(request, f"未能{verb}：{failure}", messages.ERROR)

    @admin.action(description="上报所选年度统计", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._run(request, queryset, "上报", stat_submit)

    @admin.action(description="审核通过所选年度统计", permissions=["approve"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset, "审核通过", stat_approve)

    @admin.action(description="退回所选年度统计（请填写退回原因）", permissions=["approve"])
    def return_selected(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if not reason:
            self.message_user(request, "退回时必须填写退回原因。", messages.ERROR)
            return
        self._run(request, queryset, "退回", stat_return, reason=reason)


@admin.register(SocialOrganization)
class SocialOrganizationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "category", "community", "registered_on", "dissolved_on")
    list_select_related = ("community",)
    list_filter = ("category", RegionFilter)
    search_fields = ("name", "^community__code")
    autocomplete_fields = ("community",)
    readonly_fields = ("version",)
